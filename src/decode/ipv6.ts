/**
 * IPv6 header (RFC 8200), skipping extension headers to the upper-layer protocol; ICMPv6 goes to
 * the NDP decoder (types 133-137) or is reported with its echo id/sequence (RFC 4443).
 */
import type { DecodedEvent } from './events.js';
import {
  anomaly, DST_GROUP, ECHO_REPLY, ECHO_REQUEST, IP_ALL, IP_ECHO, IP_NONE, ipEvent, NO_ECHO, NOT_TCP, SRC_GROUP, type LinkScratch,
} from './frame.js';
import { decodeNdp, NDP_FIRST_TYPE, NDP_LAST_TYPE } from './icmpv6/ndp.js';
import { formatIpv6 } from './ipformat.js';
import { PROTO_TCP, tcpFlagsAt, tcpPayloadBytes } from './tcp.js';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DEST_OPTS = 60;
const MOBILITY = 135;
const ICMPV6 = 58;
/** Extension headers followed before giving up (a loop guard; real packets have one or two). */
const MAX_EXTENSION_HEADERS = 8;

/** True when a packet whose first next-header is `next` can make no event in mode `mode` (NDP is ICMPv6, maybe behind HBH). */
function eventless(next: number, mode: number): boolean {
  return mode !== IP_ALL && next !== ICMPV6 && next !== HOP_BY_HOP && next !== DEST_OPTS;
}

/**
 * True when the IPv6 header at `o` is well formed and {@link decodeIpv6} would return null for it
 * in `mode`: a check that needs no decoding state.
 */
export function ipv6MakesNoEvent(b: Uint8Array, o: number, end: number, mode: number): boolean {
  return end - o >= 40 && b[o]! >> 4 === 6 && eventless(b[o + 6]!, mode);
}

export function decodeIpv6(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  const avail = s.end - o;
  if (avail < 40) return anomaly(s, 'IPV6_TRUNCATED', `IPv6 header needs 40 bytes, ${avail} captured`);
  if (b[o]! >> 4 !== 6) return anomaly(s, 'IPV6_BAD_HEADER', `IPv6 version ${b[o]! >> 4}`);
  let next = b[o + 6]!;
  // Fast exit for the bulk of traffic when IP events are not wanted.
  if (eventless(next, s.ipMode)) return null;
  const hopLimit = b[o + 7]!;
  let at = o + 40;
  let unfragmented = true;
  for (let n = 0; n < MAX_EXTENSION_HEADERS; n++) {
    if (next !== HOP_BY_HOP && next !== ROUTING && next !== DEST_OPTS && next !== FRAGMENT && next !== AH && next !== MOBILITY) break;
    if (s.end - at < 8) return anomaly(s, 'IPV6_TRUNCATED', `IPv6 extension header ${next} truncated`);
    const following = b[at]!;
    if (next === FRAGMENT) {
      if ((((b[at + 2]! << 8) | b[at + 3]!) & 0xfff8) !== 0) unfragmented = false;
      at += 8;
    } else if (next === AH) {
      at += (b[at + 1]! + 2) * 4;
    } else {
      at += (b[at + 1]! + 1) * 8;
    }
    next = following;
  }
  if (next === ICMPV6 && unfragmented && s.end - at >= 4) {
    const type = b[at]!;
    if (type >= NDP_FIRST_TYPE && type <= NDP_LAST_TYPE) return decodeNdp(s, b, o, at, hopLimit);
  }
  let echoKind = NO_ECHO;
  if (next === ICMPV6 && unfragmented && s.end - at >= 8 && (b[at] === 128 || b[at] === 129)) {
    echoKind = b[at] === 128 ? ECHO_REQUEST : ECHO_REPLY;
  }
  if (s.ipMode === IP_NONE || (s.ipMode === IP_ECHO && echoKind === NO_ECHO)) return null;
  let tcpFlags = NOT_TCP;
  let tcpPayload = 0;
  if (next === PROTO_TCP && unfragmented) {
    tcpFlags = tcpFlagsAt(b, at, s.end);
    // Payload length 0: a jumbogram (RFC 2675) or a TSO super-packet; the captured bytes are all there is.
    const payloadLength = (b[o + 4]! << 8) | b[o + 5]!;
    if (tcpFlags !== NOT_TCP) tcpPayload = tcpPayloadBytes(b, at, payloadLength > 0 ? o + 40 + payloadLength : s.end);
  }
  const groups = (ipv6IsGroup(b, o + 8) ? SRC_GROUP : 0) | (ipv6IsGroup(b, o + 24) ? DST_GROUP : 0);
  return ipEvent(s, 6, formatIpv6(b, o + 8), formatIpv6(b, o + 24), -1, -1, groups, next, echoKind,
    echoKind === NO_ECHO ? 0 : (b[at + 4]! << 8) | b[at + 5]!,
    echoKind === NO_ECHO ? 0 : (b[at + 6]! << 8) | b[at + 7]!, tcpFlags, tcpPayload);
}

/** ff00::/8 multicast, or :: (unspecified). */
function ipv6IsGroup(b: Uint8Array, at: number): boolean {
  if (b[at] === 0xff) return true;
  for (let i = at; i < at + 16; i++) if (b[i] !== 0) return false;
  return true;
}
