/**
 * Flood benchmark (HARDEN team, issue 9): `node bench/flood.js [PACKETS]` (default 1,000,000).
 * Writes one classic pcap per traffic kind (tools/fuzz/flood.ts: normal, pairs = random IP/MAC
 * pairs, storm = identical ARP requests, proxy = one MAC claiming every address) to bench/out/
 * (gitignored), then runs `bridgewatch analyze FILE --format json` on each in its own process
 * under GNU time (FLOOD_RUNS times, default 3; the run with the least CPU time counts) and prints
 * a Markdown table: packets per CPU second, ratio to normal, peak RSS, findings by kind, findings
 * dropped by the `maxFindings` cap. Numbers go to docs/hardening.md.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packets = Number(process.argv[2] ?? process.env.FLOOD_PACKETS ?? 1_000_000);
const out = `${root}bench/out`;

if (process.env.BENCH_NO_BUILD !== '1') { spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' }); spawnSync('npx', ['tsc', '-p', 'tools/tsconfig.json'], { cwd: root, stdio: 'ignore' }); }
const { floodCapture, FLOOD_KINDS } = await import('../build/tools/fuzz/flood.js');
mkdirSync(out, { recursive: true });

function write(kind) {
  const file = `${out}/flood-${kind}-${packets}.pcap`;
  if (existsSync(file)) return file;
  const fd = openSync(file, 'w');
  try {
    for (const chunk of floodCapture(kind, packets, 1)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Runs per input (FLOOD_RUNS, default 3); the one with the least CPU time counts. */
const runs = Math.max(1, Number(process.env.FLOOD_RUNS ?? 3));

function run(file) {
  let best = null;
  for (let i = 0; i < runs; i++) {
    const m = runOnce(file);
    if (best === null || m.seconds < best.seconds) best = m;
  }
  return best;
}

/** One analysis under GNU time; `seconds` is CPU time (user + system): the machine is shared. */
function runOnce(file) {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH_RSS_KB=%M BENCH_CPU=%U+%S', process.execPath, `${root}bin/bridgewatch.js`, 'analyze', file, '--format', 'json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const cpu = /BENCH_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  const seconds = Number(cpu[1]) + Number(cpu[2]);
  const rss = /BENCH_RSS_KB=(\d+)/.exec(r.stderr);
  if (r.status !== 0 && r.status !== 1) throw new Error(`analyze failed (${r.status}): ${r.stderr.slice(-400)}`);
  const doc = JSON.parse(r.stdout);
  const kinds = {};
  for (const f of doc.findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  return {
    seconds, rssMiB: rss ? Number(rss[1]) / 1024 : NaN, findings: doc.findings.length, incidents: doc.incidents.length, kinds,
    dropped: doc.findingsDropped ?? 0,
  };
}

const rows = [];
for (const kind of FLOOD_KINDS) {
  const file = write(kind);
  const m = run(file);
  rows.push({ kind, ...m, pps: packets / m.seconds });
  process.stderr.write(`flood ${kind}: ${m.seconds.toFixed(1)} s\n`);
}
const normal = rows[0].pps;
console.log(`${packets} packets per input; node ${process.version}; \`bridgewatch analyze FILE --format json\`, one process each; ` +
  `rates per CPU second, fastest of ${runs} runs\n`);
console.log('| input | packets/s | time vs normal | peak RSS (MiB) | findings (by kind) | dropped by cap | incidents |');
console.log('|---|---:|---:|---:|---|---:|---:|');
for (const r of rows) {
  const kinds = Object.entries(r.kinds).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(`| ${r.kind} | ${Math.round(r.pps).toLocaleString('en-US')} | ${(normal / r.pps).toFixed(2)}x | ${r.rssMiB.toFixed(0)} | ${r.findings} (${kinds}) | ${r.dropped} | ${r.incidents} |`);
}
