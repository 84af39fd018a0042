/** IPv4 header (RFC 791) and, for ICMP echo (RFC 792), the id and sequence number. */
import type { DecodedEvent } from './events.js';
import {
  anomaly, DST_GROUP, ECHO_REPLY, ECHO_REQUEST, IP_ALL, IP_ECHO, IP_NONE, ipEvent, NO_ECHO, NOT_TCP, SRC_GROUP, type LinkScratch,
} from './frame.js';
import { ipv4Text } from './ipformat.js';
import { readIpv4 } from '../net/ipv4.js';
import { PROTO_TCP, tcpFlagsAt, tcpPayloadBytes } from './tcp.js';

const PROTO_ICMP = 1;
/** Offset of the protocol field in the IPv4 header. */
const IPV4_PROTOCOL_AT = 9;

/** True when the first header byte says version 4 and a header length of at least 20 bytes. */
function headerValid(versionAndLength: number): boolean {
  return versionAndLength >> 4 === 4 && (versionAndLength & 0x0f) >= 5;
}

/** True when a packet of `protocol` can make no event in IP event mode `mode`. */
function eventless(protocol: number, mode: number): boolean {
  return mode !== IP_ALL && (mode === IP_NONE || protocol !== PROTO_ICMP);
}

/**
 * True when the IPv4 header at `o` is well formed and {@link decodeIpv4} would return null for it
 * in `mode`: a check that needs no decoding state. Malformed headers give false (they are anomalies).
 */
export function ipv4MakesNoEvent(b: Uint8Array, o: number, end: number, mode: number): boolean {
  return end - o >= 20 && headerValid(b[o]!) && eventless(b[o + IPV4_PROTOCOL_AT]!, mode);
}

export function decodeIpv4(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  const avail = s.end - o;
  if (avail < 20) return anomaly(s, 'IPV4_TRUNCATED', `IPv4 header needs 20 bytes, ${avail} captured`);
  if (!headerValid(b[o]!)) {
    return anomaly(s, 'IPV4_BAD_HEADER', `IPv4 version ${b[o]! >> 4}, header length ${(b[o]! & 0x0f) * 4}`);
  }
  const headerLength = (b[o]! & 0x0f) * 4;
  const protocol = b[o + IPV4_PROTOCOL_AT]!;
  if (eventless(protocol, s.ipMode)) return null;
  let echoKind = NO_ECHO;
  let id = 0;
  let seq = 0;
  const fragmentOffset = ((b[o + 6]! & 0x1f) << 8) | b[o + 7]!;
  const transport = o + headerLength;
  if (protocol === PROTO_ICMP && fragmentOffset === 0 && s.end - transport >= 8) {
    const type = b[transport]!;
    if (type === 8 || type === 0) {
      echoKind = type === 8 ? ECHO_REQUEST : ECHO_REPLY;
      id = (b[transport + 4]! << 8) | b[transport + 5]!;
      seq = (b[transport + 6]! << 8) | b[transport + 7]!;
    }
  }
  if (echoKind === NO_ECHO && s.ipMode === IP_ECHO) return null;
  let tcpFlags = NOT_TCP;
  let tcpPayload = 0;
  if (protocol === PROTO_TCP && fragmentOffset === 0) {
    tcpFlags = tcpFlagsAt(b, transport, s.end);
    // Total length 0 happens in captures of TSO super-packets: the captured bytes are all there is.
    const totalLength = (b[o + 2]! << 8) | b[o + 3]!;
    if (tcpFlags !== NOT_TCP) tcpPayload = tcpPayloadBytes(b, transport, totalLength >= headerLength ? o + totalLength : s.end);
  }
  const src = readIpv4(b, o + 12);
  const dst = readIpv4(b, o + 16);
  const groups = (ipv4IsGroup(src) ? SRC_GROUP : 0) | (ipv4IsGroup(dst) ? DST_GROUP : 0);
  return ipEvent(s, 4, ipv4Text(src), ipv4Text(dst), src, dst, groups, protocol, echoKind, id, seq, tcpFlags, tcpPayload);
}

/** 0.0.0.0, or a first octet of 224 or more (224/4 multicast, 240/4 reserved, 255.255.255.255). */
function ipv4IsGroup(address: number): boolean {
  return address >= 0xe0000000 || address === 0;
}
