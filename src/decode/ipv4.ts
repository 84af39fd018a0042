/** IPv4 header (RFC 791) and, for ICMP echo (RFC 792), the id and sequence number. */
import type { DecodedEvent } from './events.js';
import { anomaly, ECHO_REPLY, ECHO_REQUEST, IP_ALL, IP_ECHO, IP_NONE, ipEvent, NO_ECHO, type LinkScratch } from './frame.js';
import { formatIpv4 } from './ipformat.js';

const PROTO_ICMP = 1;

export function decodeIpv4(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  const avail = s.end - o;
  if (avail < 20) return anomaly(s, 'IPV4_TRUNCATED', `IPv4 header needs 20 bytes, ${avail} captured`);
  const version = b[o]! >> 4;
  const headerLength = (b[o]! & 0x0f) * 4;
  if (version !== 4 || headerLength < 20) {
    return anomaly(s, 'IPV4_BAD_HEADER', `IPv4 version ${version}, header length ${headerLength}`);
  }
  const protocol = b[o + 9]!;
  if (s.ipMode !== IP_ALL && (s.ipMode === IP_NONE || protocol !== PROTO_ICMP)) return null;
  let echoKind = NO_ECHO;
  let id = 0;
  let seq = 0;
  const fragmentOffset = ((b[o + 6]! & 0x1f) << 8) | b[o + 7]!;
  const icmp = o + headerLength;
  if (protocol === PROTO_ICMP && fragmentOffset === 0 && s.end - icmp >= 8) {
    const type = b[icmp]!;
    if (type === 8 || type === 0) {
      echoKind = type === 8 ? ECHO_REQUEST : ECHO_REPLY;
      id = (b[icmp + 4]! << 8) | b[icmp + 5]!;
      seq = (b[icmp + 6]! << 8) | b[icmp + 7]!;
    }
  }
  if (echoKind === NO_ECHO && s.ipMode === IP_ECHO) return null;
  return ipEvent(s, 4, formatIpv4(b, o + 12), formatIpv4(b, o + 16), protocol, echoKind, id, seq);
}
