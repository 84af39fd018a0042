/** IPv4 addresses as numbers: what detection keys its state by (text is for reports). */

/**
 * An IPv4 address as an unsigned 32-bit number (`192.0.2.1` is 0xc0000201), or -1 when `text` is
 * not a dotted quad of four decimal octets (an IPv6 address, for instance).
 */
export function ipv4Number(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  return dots === 3 && digits > 0 ? value * 256 + octet : -1;
}

/** The four bytes at `o` as an unsigned 32-bit number. The caller checks bounds. */
export function readIpv4(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
