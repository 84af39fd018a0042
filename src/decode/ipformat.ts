/**
 * Canonical text for IP addresses: dotted quad, and RFC 5952 for IPv6 (what tshark prints).
 * Both run once per IP packet, so they avoid arrays and cache what repeats.
 */
import { readIpv4 } from '../net/ipv4.js';

/**
 * IPv4 strings cached in a direct-mapped table (slot = multiplicative hash of the address): a hit
 * costs two array reads, a miss just overwrites the slot, and memory stays fixed.
 */
const IPV4_CACHE_BITS = 12;
const ipv4CacheKeys = new Float64Array(1 << IPV4_CACHE_BITS).fill(-1);
const ipv4CacheText: string[] = new Array<string>(1 << IPV4_CACHE_BITS).fill('');
/** IPv6 strings, direct-mapped the same way (four 32-bit words per key). */
const IPV6_CACHE_BITS = 12;
const ipv6CacheKeys = new Int32Array(4 << IPV6_CACHE_BITS);
const ipv6CacheText: (string | undefined)[] = new Array<string | undefined>(1 << IPV6_CACHE_BITS).fill(undefined);
const DECIMAL = Array.from({ length: 256 }, (_, i) => String(i));
/** Lower-case hex of every 16-bit group, filled on first use. */
const HEX_GROUP: string[] = [];

/** `192.0.2.1` from 4 bytes at `o`. The caller checks bounds. */
export function formatIpv4(b: Uint8Array, o: number): string {
  return ipv4Text(readIpv4(b, o));
}

/** `192.0.2.1` from the address as an unsigned 32-bit number. */
export function ipv4Text(key: number): string {
  const slot = Math.imul(key, 0x9e3779b1) >>> (32 - IPV4_CACHE_BITS);
  if (ipv4CacheKeys[slot] === key) return ipv4CacheText[slot]!;
  const text = `${DECIMAL[key >>> 24]!}.${DECIMAL[(key >>> 16) & 255]!}.${DECIMAL[(key >>> 8) & 255]!}.${DECIMAL[key & 255]!}`;
  ipv4CacheKeys[slot] = key;
  ipv4CacheText[slot] = text;
  return text;
}

function hexGroup(g: number): string {
  return (HEX_GROUP[g] ??= g.toString(16));
}

/**
 * RFC 5952: lower-case hex, no leading zeros, the longest run (first on a tie) of two or more
 * zero groups as `::`, and IPv4-mapped addresses as `::ffff:192.0.2.1` (section 5). Like
 * inet_ntop and tshark, `::a.b.c.d` when only the low 32 bits are set and the high 16 of them are
 * not zero (IPv4-compatible); `::1` and `::` stay hex.
 */
export function formatIpv6(b: Uint8Array, o: number): string {
  const w0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const w1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
  const w2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!;
  const w3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!;
  const slot = Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ Math.imul(w3, 0x9e3779b1), 0x27d4eb2f) >>>
    (32 - IPV6_CACHE_BITS);
  const k = slot * 4;
  const cached = ipv6CacheText[slot];
  if (cached !== undefined && ipv6CacheKeys[k] === w0 && ipv6CacheKeys[k + 1] === w1 && ipv6CacheKeys[k + 2] === w2 &&
    ipv6CacheKeys[k + 3] === w3) {
    return cached;
  }
  const text = formatIpv6Uncached(b, o);
  ipv6CacheKeys[k] = w0;
  ipv6CacheKeys[k + 1] = w1;
  ipv6CacheKeys[k + 2] = w2;
  ipv6CacheKeys[k + 3] = w3;
  ipv6CacheText[slot] = text;
  return text;
}

function formatIpv6Uncached(b: Uint8Array, o: number): string {
  const group = (i: number): number => (b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!;
  if (group(0) === 0 && group(1) === 0 && group(2) === 0 && group(3) === 0 && group(4) === 0) {
    if (group(5) === 0xffff) return `::ffff:${formatIpv4(b, o + 12)}`;
    if (group(5) === 0 && group(6) !== 0) return `::${formatIpv4(b, o + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never shortened (RFC 5952 section 4.2.2)
  let runStart = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && group(i) === 0) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > bestLen) { bestStart = runStart; bestLen = i - runStart; }
      runStart = -1;
    }
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLen - 1;
      continue;
    }
    if (text.length > 0 && !text.endsWith(':')) text += ':';
    text += hexGroup(group(i));
  }
  return text;
}
