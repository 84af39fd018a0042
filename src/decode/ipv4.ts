/** IPv4 header (RFC 791) and, for ICMP echo (RFC 792), the id and sequence number. */
import type { DecodedEvent } from './events.js';
import { anomaly, frameInfo, IP_ALL, IP_ECHO, IP_NONE, type LinkScratch } from './frame.js';
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
  let echo: { type: 'request' | 'reply'; id: number; seq: number } | null = null;
  const fragmentOffset = ((b[o + 6]! & 0x1f) << 8) | b[o + 7]!;
  const icmp = o + headerLength;
  if (protocol === PROTO_ICMP && fragmentOffset === 0 && s.end - icmp >= 8) {
    const type = b[icmp]!;
    if (type === 8 || type === 0) {
      echo = { type: type === 8 ? 'request' : 'reply', id: (b[icmp + 4]! << 8) | b[icmp + 5]!, seq: (b[icmp + 6]! << 8) | b[icmp + 7]! };
    }
  }
  if (echo === null && s.ipMode === IP_ECHO) return null;
  return { kind: 'ip', info: frameInfo(s), version: 4, srcIp: formatIpv4(b, o + 12), dstIp: formatIpv4(b, o + 16), protocol, echo };
}
