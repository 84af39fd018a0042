/**
 * Heap of the Detector under a flood (HARDEN team, issue 9): feeds tools/fuzz/flood.ts traffic
 * through reader -> decoder -> Detector in this process and, every 200,000 frames, forces a GC and
 * prints the heap in use, the RSS and the detector's state sizes (docs/hardening.md, "Floods").
 * Needs a build (npm run build). Usage: node --expose-gc bench/flood-heap.js [KIND=pairs] [PACKETS=1000000]
 */
import { Readable } from 'node:stream';
import { readCaptures } from '../dist/capture/index.js';
import { decodePacket } from '../dist/decode/index.js';
import { Detector } from '../dist/detect/detector.js';
import { floodCapture } from '../build/tools/fuzz/flood.js';
const kind = process.argv[2] ?? 'pairs';
const n = Number(process.argv[3] ?? 1e6);
const d = new Detector();
let i = 0;
const t = performance.now();
await readCaptures([{ path: kind, stream: Readable.from(floodCapture(kind, n)) }], (p) => {
  const ev = decodePacket(p);
  if (ev) d.push(ev);
  if (++i % 200000 === 0) {
    globalThis.gc?.(); console.log(i, (process.memoryUsage().heapUsed/2**20).toFixed(0), 'MiB heap', (process.memoryUsage.rss()/2**20).toFixed(0), 'rss', JSON.stringify(d.state())); }
});
console.log('ms', (performance.now() - t).toFixed(0));
