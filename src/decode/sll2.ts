/**
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276, `tcpdump -i any -y LINUX_SLL2`): protocol,
 * reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes.
 */
import type { DecodedEvent } from './events.js';
import { anomaly, type LinkScratch } from './frame.js';
import { decodeSllProtocol, setSllSender } from './sll.js';

const HEADER_LENGTH = 20;

/** `o` is the offset of the SLL2 header in `b`. */
export function decodeSll2(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  if (s.end - o < HEADER_LENGTH) return anomaly(s, 'SLL2_TRUNCATED', `SLL2 header needs ${HEADER_LENGTH} bytes, ${s.end - o} captured`);
  s.ifIndex = ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
  s.packetType = b[o + 10]!;
  setSllSender(s, (b[o + 8]! << 8) | b[o + 9]!, b[o + 11]!, o + 12);
  return decodeSllProtocol(s, b, (b[o]! << 8) | b[o + 1]!, o + HEADER_LENGTH);
}
