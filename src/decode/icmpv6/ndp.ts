/**
 * ICMPv6 Neighbor Discovery (RFC 4861 section 4): RS, RA, NS, NA, Redirect and their source/target
 * link-layer address options (type 1/2, 8 bytes with a 6-byte Ethernet address).
 */
import { readMac, type Mac } from '../../net/mac.js';
import type { DecodedEvent, NdpEvent } from '../events.js';
import { anomaly, frameInfo, type LinkScratch } from '../frame.js';
import { formatIpv6 } from '../ipformat.js';

export const NDP_FIRST_TYPE = 133;
export const NDP_LAST_TYPE = 137;
const TYPES: NdpEvent['type'][] = ['rs', 'ra', 'ns', 'na', 'redirect'];
/** Fixed part of each message (ICMPv6 header included) = where its options start. */
const OPTIONS_AT = [8, 16, 24, 24, 40];
const OPT_SOURCE_LINK_ADDR = 1;
const OPT_TARGET_LINK_ADDR = 2;

/** `ip` is the IPv6 header offset, `at` the ICMPv6 message offset. */
export function decodeNdp(s: LinkScratch, b: Uint8Array, ip: number, at: number, hopLimit: number): DecodedEvent {
  const index = b[at]! - NDP_FIRST_TYPE;
  const type = TYPES[index]!;
  const fixed = OPTIONS_AT[index]!;
  if (s.end - at < fixed) return anomaly(s, 'NDP_TRUNCATED', `${type.toUpperCase()} needs ${fixed} bytes, ${s.end - at} captured`);
  if (hopLimit !== 255) {
    // RFC 4861 receivers drop these; a forged or forwarded ND message is worth seeing, not trusting.
    return anomaly(s, 'NDP_BAD_HOP_LIMIT', `${type.toUpperCase()} with hop limit ${hopLimit} (must be 255)`);
  }
  let sourceLinkAddr: Mac | null = null;
  let targetLinkAddr: Mac | null = null;
  for (let o = at + fixed; o + 2 <= s.end;) {
    const optType = b[o]!;
    const optLen = b[o + 1]! * 8;
    if (optLen === 0) return anomaly(s, 'NDP_BAD_OPTION', `option type ${optType} with length 0`);
    if (o + optLen > s.end) break; // cut by the snap length: keep what was complete
    if (optLen >= 8 && optType === OPT_SOURCE_LINK_ADDR) sourceLinkAddr = readMac(b, o + 2);
    else if (optLen >= 8 && optType === OPT_TARGET_LINK_ADDR) targetLinkAddr = readMac(b, o + 2);
    o += optLen;
  }
  const flags = type === 'na' ? b[at + 4]! : 0;
  return {
    kind: 'ndp',
    info: frameInfo(s),
    type,
    srcIp: formatIpv6(b, ip + 8),
    dstIp: formatIpv6(b, ip + 24),
    targetIp: type === 'ns' || type === 'na' || type === 'redirect' ? formatIpv6(b, at + 8) : null,
    sourceLinkAddr,
    targetLinkAddr,
    router: (flags & 0x80) !== 0,
    solicited: (flags & 0x40) !== 0,
    override: (flags & 0x20) !== 0,
  };
}
