/**
 * Map keys for per-VLAN state. Untagged traffic (the common case) uses the address itself: the
 * decoder hands out the same string object for a repeated address, and V8 caches a string's hash,
 * so a lookup by it hashes nothing; a built `|192.0.2.1` key would be a fresh string to flatten and
 * hash on every frame. Tagged keys cannot collide with untagged ones: addresses contain no `|`.
 */
import type { Mac } from '../net/mac.js';

/** Key of an IP address on a VLAN (null = untagged). */
export function ipKey(vlan: number | null, ip: string): string {
  return vlan === null ? ip : `${vlan}|${ip}`;
}

/** Key of a MAC on a VLAN: the MAC number itself when untagged. */
export function macKey(vlan: number | null, mac: Mac): string | number {
  return vlan === null ? mac : `${vlan}|${macText(mac)}`;
}

/**
 * A MAC as key text (hex), for keys that combine it with other fields. Cached in a direct-mapped
 * table like the decoder's address text: converting a 48-bit number to decimal text on every ARP
 * frame cost more than the lookup it keyed.
 */
export function macText(mac: Mac): string {
  const slot = (Math.imul(mac % 0x40000000 | 0, 0x9e3779b1) ^ Math.floor(mac / 0x40000000)) & (MAC_TEXT_SLOTS - 1);
  if (macTextKeys[slot] === mac) return macTextValues[slot]!;
  const text = mac.toString(16);
  macTextKeys[slot] = mac;
  macTextValues[slot] = text;
  return text;
}

const MAC_TEXT_SLOTS = 1024;
const macTextKeys = new Float64Array(MAC_TEXT_SLOTS).fill(-1);
const macTextValues: string[] = new Array<string>(MAC_TEXT_SLOTS).fill('');
