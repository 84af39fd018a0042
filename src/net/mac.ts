/**
 * MAC addresses as numbers. A 48-bit MAC fits exactly in a double, compares numerically in the
 * same order as the kernel's memcmp (`br_stp_recalculate_bridge_id` picks the lowest), and costs
 * no allocation on the hot path. Format only for people.
 */

/** A 48-bit MAC address as an integer 0..2^48-1 (first octet most significant). */
export type Mac = number;

/** Reads 6 bytes at `offset` as a {@link Mac}. The caller checks bounds. */
export function readMac(buf: Uint8Array, offset: number): Mac {
  return (
    (buf[offset]! * 0x10000 + buf[offset + 1]! * 0x100 + buf[offset + 2]!) * 0x1000000 +
    ((buf[offset + 3]! << 16) | (buf[offset + 4]! << 8) | buf[offset + 5]!)
  );
}

/** `00:18:51:00:00:01` (lower case, colon separated). */
export function formatMac(mac: Mac): string {
  let s = '';
  for (let shift = 40; shift >= 0; shift -= 8) {
    const octet = Math.floor(mac / 2 ** shift) % 256;
    s += (shift === 40 ? '' : ':') + octet.toString(16).padStart(2, '0');
  }
  return s;
}

/** Parses `00:18:51:00:00:01`, `00-18-51-00-00-01` or `0018.5100.0001`; null when invalid. */
export function parseMac(text: string): Mac | null {
  const hex = text.trim().toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return Number.parseInt(hex, 16);
}

/** First octet (e.g. 0xfe for libvirt/LXC host-side MACs). */
export function firstOctet(mac: Mac): number {
  return Math.floor(mac / 2 ** 40);
}

/** Locally administered bit (bit 1 of the first octet): random kernel MACs have it set. */
export function isLocallyAdministered(mac: Mac): boolean {
  return (firstOctet(mac) & 0x02) !== 0;
}

/** Group (multicast/broadcast) bit. */
export function isMulticast(mac: Mac): boolean {
  return (firstOctet(mac) & 0x01) !== 0;
}

/** ff:ff:ff:ff:ff:ff */
export const BROADCAST_MAC: Mac = 0xffffffffffff;

/** 24-bit OUI, e.g. 0x001851 for SWsoft/OpenVZ. */
export function oui(mac: Mac): number {
  return Math.floor(mac / 0x1000000);
}
