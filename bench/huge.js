/**
 * Huge-input benchmark (HARDEN team, issue 9): streams a generated capture of GIGABYTES into
 * `bridgewatch analyze - --format json` through its stdin (as `tcpdump -w - | bridgewatch analyze -`
 * would), never touching disk, and samples the analyser's RSS (/proc/PID/status VmRSS, VmHWM)
 * every few seconds. Prints the RSS-over-time table and a summary line for docs/hardening.md.
 * Usage: node bench/huge.js [GIB=5] [FRAME_BYTES=1514] [KIND=normal]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { streamAnalyze } from './stdin-analyze.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const gib = Number(process.argv[2] ?? 5);
const frameBytes = Number(process.argv[3] ?? 1514);
const kind = process.argv[4] ?? 'normal';
const SAMPLE_MS = Number(process.env.HUGE_SAMPLE_MS ?? 5000);

if (process.env.BENCH_NO_BUILD !== '1') { spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' }); spawnSync('npx', ['tsc', '-p', 'tools/tsconfig.json'], { cwd: root, stdio: 'ignore' }); }
const { floodCapture } = await import('../build/tools/fuzz/flood.js');
const packets = Math.ceil((gib * 2 ** 30) / (16 + frameBytes));

const chunks = floodCapture(kind, packets, 1, 1 << 20, frameBytes);
const { code, seconds, written, doc, samples, peakMiB } = await streamAnalyze(chunks, { sampleMs: SAMPLE_MS });
const cap = doc.captures[0];
console.log(`stdin stream: ${(written / 2 ** 30).toFixed(2)} GiB, ${packets.toLocaleString('en-US')} packets of ${frameBytes} bytes (${kind}); ` +
  `analyze exit ${code}; ${seconds.toFixed(0)} s, ${(written / 2 ** 20 / seconds).toFixed(0)} MiB/s, ${Math.round(packets / seconds).toLocaleString('en-US')} packets/s; ` +
  `packets read ${cap.packets.toLocaleString('en-US')}; findings ${doc.findings.length}; peak RSS ${peakMiB.toFixed(0)} MiB`);
console.log('\n| elapsed (s) | streamed (GiB) | RSS (MiB) | peak so far (MiB) |\n|---:|---:|---:|---:|');
const step = Math.max(1, Math.ceil(samples.length / 20));
samples.forEach((x, i) => {
  if (i % step === 0 || i === samples.length - 1) console.log(`| ${x.s.toFixed(0)} | ${x.gib.toFixed(2)} | ${x.rss.toFixed(0)} | ${x.hwm.toFixed(0)} |`);
});
if (cap.packets !== packets) { console.error(`huge: analyze read ${cap.packets} of ${packets} packets`); process.exitCode = 1; }
