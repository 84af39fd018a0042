/** ARP over Ethernet carrying IPv4 (RFC 826): 28 bytes after the link layer. */
import { readMac } from '../net/mac.js';
import type { DecodedEvent } from './events.js';
import { anomaly, frameInfo, type LinkScratch } from './frame.js';
import { ipv4Text } from './ipformat.js';
import { readIpv4 } from '../net/ipv4.js';

const ARP_LENGTH = 28;
const HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

export function decodeArp(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent {
  if (s.end - o < 8) return anomaly(s, 'ARP_TRUNCATED', `ARP header needs 8 bytes, ${s.end - o} captured`);
  const htype = (b[o]! << 8) | b[o + 1]!;
  const ptype = (b[o + 2]! << 8) | b[o + 3]!;
  if (htype !== HTYPE_ETHERNET || ptype !== PTYPE_IPV4 || b[o + 4] !== 6 || b[o + 5] !== 4) {
    return anomaly(s, 'ARP_UNSUPPORTED', `ARP hardware type ${htype}, protocol 0x${ptype.toString(16)}, ` +
      `lengths ${b[o + 4]!}/${b[o + 5]!} (only Ethernet/IPv4 is decoded)`);
  }
  if (s.end - o < ARP_LENGTH) return anomaly(s, 'ARP_TRUNCATED', `ARP needs ${ARP_LENGTH} bytes, ${s.end - o} captured`);
  const senderIpv4 = readIpv4(b, o + 14);
  const targetIpv4 = readIpv4(b, o + 24);
  return {
    kind: 'arp',
    info: frameInfo(s),
    op: (b[o + 6]! << 8) | b[o + 7]!,
    senderMac: readMac(b, o + 8),
    senderIp: ipv4Text(senderIpv4),
    senderIpv4,
    targetMac: readMac(b, o + 18),
    targetIp: ipv4Text(targetIpv4),
    targetIpv4,
  };
}
