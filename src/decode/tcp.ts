/**
 * The two facts of a TCP header (RFC 9293 section 3.1) that say whether a segment awaits an
 * answer: its flags and its payload length. Read by the IPv4 and IPv6 decoders.
 */
import { NOT_TCP } from './frame.js';

/** IP protocol number / IPv6 next header of TCP. */
export const PROTO_TCP = 6;
/** Offset of the data-offset nibble and of the flags octet in the TCP header. */
const DATA_OFFSET_AT = 12;
const FLAGS_AT = 13;

/** Flags of the TCP header at `at`, or NOT_TCP when the capture ends before them. */
export function tcpFlagsAt(b: Uint8Array, at: number, end: number): number {
  return end - at > FLAGS_AT ? b[at + FLAGS_AT]! : NOT_TCP;
}

/**
 * Payload bytes of the TCP segment at `at` in an IP packet ending at `ipEnd` (from the IP length
 * fields, not the capture); 0 when the header claims more than the packet holds.
 */
export function tcpPayloadBytes(b: Uint8Array, at: number, ipEnd: number): number {
  return Math.max(0, ipEnd - at - (b[at + DATA_OFFSET_AT]! >> 4) * 4);
}
