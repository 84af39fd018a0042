/**
 * Bench worker: bridgewatch reader + decoder over one file. Prints JSON counts.
 * Usage: node bench/read-bridgewatch.js FILE [all|echo|none] [analyze]
 * The second argument is the decoder's ipEvents option (`all` makes an event for every IP packet;
 * `none` decodes ARP/NDP/STP only, like a capture filter); events are reused objects, as in
 * `bridgewatch analyze`. With `analyze`, packets go through the AnalysisPipeline instead (decoding,
 * per-capture stats, detection, correlation and the Analysis): `analyze` without the CLI and the
 * report.
 */
import { readCaptures } from '../dist/capture/index.js';
import { PacketDecoder } from '../dist/decode/index.js';

const file = process.argv[2];
if (process.argv[4] === 'analyze') {
  // Loaded only when used: importing the detection modules alone costs ~20 ms of a ~350 ms run.
  const { AnalysisPipeline } = await import('../dist/pipeline/index.js');
  const pipeline = new AnalysisPipeline({ inputs: [file] });
  const results = await readCaptures([file], (p) => { pipeline.push(p); });
  if (results[0].error) { console.error(results[0].error.message); process.exit(2); }
  const analysis = pipeline.finish({ captures: results });
  const c = analysis.captures[0];
  console.log(JSON.stringify({ packets: c.packets, arp: c.arp, ndp: c.ndp, stp: c.stp, ip: c.ip, findings: analysis.findings.length }));
} else {
  const decoder = new PacketDecoder({ ipEvents: process.argv[3] ?? 'all', reuse: true });
  let packets = 0, arp = 0, ndp = 0, stp = 0, ip = 0, anomaly = 0, none = 0;
  const [result] = await readCaptures([file], (p) => {
    packets++;
    const ev = decoder.decode(p);
    if (ev === null) { none++; return; }
    switch (ev.kind) {
      case 'ip': ip++; break;
      case 'arp': arp++; break;
      case 'ndp': ndp++; break;
      case 'stp': stp++; break;
      default: anomaly++;
    }
  });
  if (result.error) { console.error(result.error.message); process.exit(2); }
  console.log(JSON.stringify({ packets, arp, ndp, stp, ip, anomaly, none }));
}
