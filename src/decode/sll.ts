/**
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113, `tcpdump -i any`): packet type, ARPHRD type,
 * address length, 8 address bytes, protocol. The address is the sender's; no destination.
 */
import { decodeEtherType } from './ethernet.js';
import type { DecodedEvent } from './events.js';
import { anomaly, type LinkScratch } from './frame.js';
import { decodeLlc } from './stp.js';

const HEADER_LENGTH = 16;
const ARPHRD_ETHER = 1;
/** Protocol values that are not EtherTypes (linux/if_ether.h): ETH_P_802_2 means an LLC header follows. */
const ETH_P_802_2 = 0x0004;

/** Records where the sender MAC is, when the address is a 6-byte Ethernet address. */
export function setSllSender(s: LinkScratch, hatype: number, addrLength: number, at: number): void {
  s.srcMacAt = hatype === ARPHRD_ETHER && addrLength === 6 ? at : -1;
}

/** Protocol dispatch shared by SLL and SLL2. */
export function decodeSllProtocol(s: LinkScratch, b: Uint8Array, protocol: number, o: number): DecodedEvent | null {
  if (protocol === ETH_P_802_2) return decodeLlc(s, b, o);
  return decodeEtherType(s, b, protocol, o);
}

/** `o` is the offset of the SLL header in `b`. */
export function decodeSll(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  if (s.end - o < HEADER_LENGTH) return anomaly(s, 'SLL_TRUNCATED', `SLL header needs ${HEADER_LENGTH} bytes, ${s.end - o} captured`);
  s.packetType = (b[o]! << 8) | b[o + 1]!;
  setSllSender(s, (b[o + 2]! << 8) | b[o + 3]!, (b[o + 4]! << 8) | b[o + 5]!, o + 6);
  return decodeSllProtocol(s, b, (b[o + 14]! << 8) | b[o + 15]!, o + HEADER_LENGTH);
}
