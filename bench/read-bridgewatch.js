/**
 * Bench worker: bridgewatch reader + decoder over one file. Prints JSON counts.
 * Usage: node bench/read-bridgewatch.js FILE [all|echo|none]  (decodePacket's ipEvents option:
 * `all` makes an event for every IP packet; `none` decodes ARP/NDP/STP only, like a capture filter).
 */
import { readCaptures } from '../dist/capture/index.js';
import { decodePacket } from '../dist/decode/index.js';

const options = { ipEvents: process.argv[3] ?? 'all' };
const counts = { packets: 0, arp: 0, ndp: 0, stp: 0, ip: 0, anomaly: 0, none: 0 };
const [result] = await readCaptures([process.argv[2]], (p) => {
  counts.packets++;
  const ev = decodePacket(p, options);
  if (ev === null) counts.none++;
  else counts[ev.kind]++;
});
if (result.error) { console.error(result.error.message); process.exit(2); }
console.log(JSON.stringify(counts));
