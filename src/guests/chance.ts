/**
 * The chance that a host-side port's MAC is below a reference MAC (the bridge then takes it: a
 * Linux bridge without a set address uses its lowest port MAC). Pure arithmetic on 48-bit MACs.
 *
 * `eth_random_addr` (include/linux/etherdevice.h): six random bytes, then `addr[0] &= 0xfe`
 * (unicast) and `addr[0] |= 0x02` (locally administered). So the first octet is one of the 64
 * values 0x02, 0x06, ..., 0xfe and the other 40 bits are uniform. Below `b4:99:ba:..`: first
 * octets 0x02..0xb2 (45 of 64) always, 0xb6.. never: 45/64 = 70.3%.
 */
import { parseMac } from '../net/mac.js';
import type { HostMac } from './types.js';

const TWO_40 = 2 ** 40;

/** P(eth_random_addr() < reference). */
export function randomBelow(reference: number): number {
  const first = Math.floor(reference / TWO_40);
  const rest = reference % TWO_40;
  let below = 0;
  for (let k = 0; k < 64; k++) {
    const octet = 4 * k + 2;
    if (octet < first) below += 1;
    else if (octet === first) below += rest / TWO_40;
  }
  return below / 64;
}

/**
 * P(MAC with the leading octets `prefix` (e.g. `fe`, `00:18:51`) and the rest uniform < reference).
 */
export function prefixBelow(prefix: string, reference: number): number {
  const octets = prefix.split(':').map((o) => Number.parseInt(o, 16));
  const free = 2 ** (8 * (6 - octets.length));
  const low = octets.reduce((acc, o) => acc * 256 + o, 0) * free;
  if (reference <= low) return 0;
  if (reference >= low + free) return 1;
  return (reference - low) / free;
}

/** Chance per start that a port with `host` MAC is below `referenceMac`. */
export function chanceBelow(host: HostMac, referenceMac: string): number {
  const ref = parseMac(referenceMac);
  if (ref === null) throw new Error(`not a MAC: ${referenceMac}`);
  switch (host.kind) {
    case 'fixed': return (parseMac(host.mac) ?? Infinity) < ref ? 1 : 0;
    case 'prefix': return prefixBelow(host.prefix, ref);
    case 'random': return randomBelow(ref);
  }
}
