/**
 * Bench worker: bridgewatch reader + decoder over one file. Prints JSON counts.
 * Usage: node bench/read-bridgewatch.js FILE [all|echo|none] [analyze]
 * The second argument is decodePacket's ipEvents option (`all` makes an event for every IP packet;
 * `none` decodes ARP/NDP/STP only, like a capture filter). Events are decoded with `REUSE_EVENTS`,
 * as `bridgewatch analyze` does. With `analyze`, every event also goes through the Detector: the
 * whole offline pipeline but correlation and the report.
 */
import { readCaptures } from '../dist/capture/index.js';
import { decodePacket } from '../dist/decode/index.js';

const options = { ipEvents: process.argv[3] ?? 'all', reuse: true };
// Loaded only when used: importing the detection modules alone costs ~20 ms of a ~350 ms run.
const detector = process.argv[4] === 'analyze' ? new (await import('../dist/detect/detector.js')).Detector() : null;
let packets = 0, arp = 0, ndp = 0, stp = 0, ip = 0, anomaly = 0, none = 0;
const [result] = await readCaptures([process.argv[2]], (p) => {
  packets++;
  const ev = decodePacket(p, options);
  if (ev === null) { none++; return; }
  switch (ev.kind) {
    case 'ip': ip++; break;
    case 'arp': arp++; break;
    case 'ndp': ndp++; break;
    case 'stp': stp++; break;
    default: anomaly++;
  }
  detector?.push(ev);
});
if (result.error) { console.error(result.error.message); process.exit(2); }
const findings = detector ? detector.finish().findings.length : undefined;
console.log(JSON.stringify({ packets, arp, ndp, stp, ip, anomaly, none, ...(findings === undefined ? {} : { findings }) }));
