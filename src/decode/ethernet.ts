/**
 * Ethernet II / 802.3 (LINKTYPE_ETHERNET) and the EtherType dispatch shared with SLL/SLL2:
 * 802.1Q (0x8100), 802.1ad (0x88a8) and pre-standard QinQ (0x9100) tags are peeled and their
 * VLAN ids kept, outermost first.
 */
import { decodeArp } from './arp.js';
import type { DecodedEvent } from './events.js';
import { anomaly, MAX_VLAN_TAGS, type LinkScratch } from './frame.js';
import { decodeIpv4, ipv4MakesNoEvent } from './ipv4.js';
import { decodeIpv6, ipv6MakesNoEvent } from './ipv6.js';
import { decodeLlc } from './stp.js';

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  IPV6: 0x86dd,
} as const;

/** EtherType values below this are 802.3 length fields (IEEE 802.3 clause 3.2.6). */
const MIN_ETHERTYPE = 0x0600;
const HEADER_LENGTH = 14;

/** Decodes the payload of EtherType `type` at `o`, peeling VLAN tags first. */
export function decodeEtherType(s: LinkScratch, b: Uint8Array, type: number, o: number): DecodedEvent | null {
  while (isVlanTag(type)) {
    if (s.end - o < 4) return anomaly(s, 'VLAN_TRUNCATED', `VLAN tag needs 4 bytes, ${s.end - o} captured`);
    if (s.vlanCount === MAX_VLAN_TAGS) return anomaly(s, 'VLAN_TOO_DEEP', `more than ${MAX_VLAN_TAGS} VLAN tags`);
    s.vlans[s.vlanCount++] = ((b[o]! << 8) | b[o + 1]!) & 0x0fff;
    type = (b[o + 2]! << 8) | b[o + 3]!;
    o += 4;
  }
  switch (type) {
    case EtherType.IPV4: return decodeIpv4(s, b, o);
    case EtherType.ARP: return decodeArp(s, b, o);
    case EtherType.IPV6: return decodeIpv6(s, b, o);
    default: return type < MIN_ETHERTYPE ? decodeLlc(s, b, o) : null;
  }
}

/** `o` is the offset of the Ethernet header in `b`. */
export function decodeEthernet(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  if (s.end - o < HEADER_LENGTH) return anomaly(s, 'ETHERNET_TRUNCATED', `Ethernet header needs ${HEADER_LENGTH} bytes, ${s.end - o} captured`);
  s.dstMacAt = o;
  s.srcMacAt = o + 6;
  return decodeEtherType(s, b, (b[o + 12]! << 8) | b[o + 13]!, o + HEADER_LENGTH);
}

/**
 * True for an Ethernet frame at `o` (tagged or not) whose IPv4 or IPv6 packet makes no event in IP
 * event mode `mode` (see ipv4MakesNoEvent, ipv6MakesNoEvent): the bulk of traffic when IP events are
 * not wanted, settled before any decoding state is set up. Anything else, including every frame
 * {@link decodeEthernet} would report as an anomaly, gives false and is decoded.
 */
export function ethernetMakesNoEvent(b: Uint8Array, o: number, end: number, mode: number): boolean {
  if (end - o < HEADER_LENGTH) return false;
  let at = o + HEADER_LENGTH;
  let type = (b[at - 2]! << 8) | b[at - 1]!;
  for (let tags = 0; isVlanTag(type); tags++) {
    if (tags === MAX_VLAN_TAGS || end - at < 4) return false;
    type = (b[at + 2]! << 8) | b[at + 3]!;
    at += 4;
  }
  return type === EtherType.IPV4 ? ipv4MakesNoEvent(b, at, end, mode) : type === EtherType.IPV6 && ipv6MakesNoEvent(b, at, end, mode);
}

function isVlanTag(type: number): boolean {
  return type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_OLD;
}
