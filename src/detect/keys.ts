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
  return vlan === null ? mac : `${vlan}|${mac}`;
}
