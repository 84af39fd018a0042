/**
 * `npm run bench`: generates a >= 4M-packet mixed capture (bench/out/, gitignored) and times, each
 * in its own child process (so peak RSS is that reader's alone), on the same file:
 *   bridgewatch reader+decoder (every frame, and with `ipEvents: 'none'`: ARP/NDP/STP only, the
 *   analogue of a capture filter), the same plus the Detector (what `analyze` does), pcap-parser,
 *   `tcpdump -r F -w /dev/null arp`, `tshark -r F -Y arp`.
 * tshark keeps per-frame state and needs minutes and GBs for 4M frames, so it reads a slice of the
 * first TSHARK_PACKETS packets (made with editcap) and its rates are per that slice.
 * Peak RSS comes from /usr/bin/time (GNU time); without it RSS is shown as n/a.
 * Each contender runs BENCH_RUNS times (default 5), in rounds of one run each, and its least CPU
 * time and least wall time are shown.
 * Env: BENCH_PACKETS (default 4000000), TSHARK_PACKETS (default 400000), BENCH_RUNS (default 5).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}bench/out`;
const packets = Number(process.env.BENCH_PACKETS ?? 4_000_000);
const tsharkPackets = Number(process.env.TSHARK_PACKETS ?? 400_000);
/** Bumped when bench/generate.js changes what it writes, so a capture left from before is not reused. */
const MIX_VERSION = 2;
const file = `${out}/mixed-v${MIX_VERSION}-${packets}.pcap`;
const slice = `${out}/mixed-v${MIX_VERSION}-${packets}-first-${tsharkPackets}.pcap`;

/**
 * The contenders' environment. NODE_EXTRA_CA_CERTS makes every node process parse that CA bundle
 * at startup (about 40 ms of CPU per process on this machine, where it is set globally); no reader
 * uses TLS, so it is removed for all of them alike.
 */
const childEnv = { ...process.env };
const droppedEnv = 'NODE_EXTRA_CA_CERTS' in childEnv ? ['NODE_EXTRA_CA_CERTS'] : [];
for (const name of droppedEnv) delete childEnv[name];

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function build() {
  // Others' work-in-progress may not typecheck; tsc still emits, and we only need our modules.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  if (!existsSync(`${root}dist/capture/index.js`) || !existsSync(`${root}dist/decode/index.js`)) {
    throw new Error('build failed: dist/capture/index.js missing (run npm run build)');
  }
}

/**
 * Runs per contender (BENCH_RUNS, default 5); the fastest counts (the others met more noise: single
 * runs vary by 20-30% on this shared machine).
 */
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));

/** Keeps, over several runs of one contender, the least CPU time and the least wall time. */
function keepBest(best, m) {
  if (best === null) return m;
  const wall = Math.min(best.seconds, m.seconds);
  return { ...(m.cpuSeconds < best.cpuSeconds ? m : best), seconds: wall };
}

/**
 * Runs a command under GNU time; returns wall seconds, CPU seconds (user + system), peak RSS (MiB)
 * and stdout. Rates are computed from CPU time: this machine is shared, and wall time mostly
 * measures the neighbours' load (both are printed).
 */
function measureOnce(cmd, args) {
  const useTime = existsSync('/usr/bin/time');
  const start = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'BENCH_RSS_KB=%M BENCH_CPU=%U+%S', cmd, ...args], { cwd: root, env: childEnv, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { cwd: root, env: childEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const rss = /BENCH_RSS_KB=(\d+)/.exec(r.stderr);
  const cpu = /BENCH_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : seconds;
  return { seconds, cpuSeconds, rssMiB: rss ? Number(rss[1]) / 1024 : null, stdout: r.stdout, stderr: r.stderr };
}

function row(name, count, bytes, m, note = '') {
  return {
    name, packets: count, pps: count / m.cpuSeconds, wallPps: count / m.seconds, mbps: bytes / m.cpuSeconds / 1e6,
    seconds: m.seconds,
    cpuSeconds: m.cpuSeconds, rssMiB: m.rssMiB, note };
}

build();
if (!existsSync(file)) {
  process.stdout.write(`generating ${packets} packets into ${file} ... `);
  generate(file, packets);
  process.stdout.write('done\n');
}
const size = statSync(file).size;
console.log(`capture: ${file} (${packets} packets, ${(size / 1e6).toFixed(0)} MB); node ${process.version}; ${has('nproc') ? execFileSync('nproc').toString().trim() : '?'} CPUs`);
if (droppedEnv.length > 0) console.log(`unset for every contender: ${droppedEnv.join(', ')} (startup cost unrelated to reading captures)`);
// Warm the page cache so the first contender does not pay for the disk.
measureOnce('sh', ['-c', 'cat "$0" > /dev/null', file]);

/**
 * The contenders, each a command and how to turn its best run into a row. They run in rounds
 * (every contender once per round), so a noisy minute on this shared machine hits them all alike
 * instead of all the runs of one.
 */
const contenders = [
  { cmd: 'node', args: ['bench/read-bridgewatch.js', file, 'all'], row: (m) => {
    const c = JSON.parse(m.stdout);
    return row('bridgewatch reader+decoder', c.packets, size, m, `every frame decoded: ${c.arp} ARP, ${c.ip} IP events`);
  } },
  { cmd: 'node', args: ['bench/read-bridgewatch.js', file, 'none'], row: (m) => {
    const c = JSON.parse(m.stdout);
    return row('bridgewatch, ipEvents: none', c.packets, size, m, `ARP/NDP/STP events only: ${c.arp} ARP`);
  } },
  { cmd: 'node', args: ['bench/read-bridgewatch.js', file, 'all', 'analyze'], row: (m) => {
    const c = JSON.parse(m.stdout);
    return row('bridgewatch + Detector', c.packets, size, m, `the analyze pipeline without report: ${c.findings} findings`);
  } },
  { cmd: 'node', args: ['bench/read-pcap-parser.js', file], row: (m) => {
    const c = JSON.parse(m.stdout);
    return row('pcap-parser (split only)', c.packets, size, m, `${c.arp} ARP by EtherType`);
  } },
];
if (has('tcpdump')) {
  contenders.push({ cmd: 'tcpdump', args: ['-r', file, '-w', '/dev/null', 'arp'],
    row: (m) => row('tcpdump -r F -w /dev/null arp', packets, size, m, 'BPF filter, writes nothing') });
} else {
  console.log('tcpdump not installed: skipped');
}
if (has('tshark') && has('editcap')) {
  if (!existsSync(slice)) execFileSync('editcap', ['-r', file, slice, `1-${tsharkPackets}`]);
  contenders.push({ cmd: 'tshark', args: ['-r', slice, '-Y', 'arp'], row: (m) => {
    const arpLines = m.stdout.split('\n').filter((l) => l.trim().length > 0).length;
    return row('tshark -r F -Y arp', tsharkPackets, statSync(slice).size, m, `first ${tsharkPackets} packets only; ${arpLines} ARP`);
  } });
} else {
  console.log('tshark/editcap not installed: skipped');
}
const best = contenders.map(() => null);
for (let round = 0; round < runs; round++) {
  contenders.forEach((c, i) => { best[i] = keepBest(best[i], measureOnce(c.cmd, c.args)); });
}
const rows = contenders.map((c, i) => c.row(best[i]));

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const load = execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ');
console.log(existsSync('/usr/bin/time')
  ? `\nrates per CPU second (user+sys), least of ${runs} runs each; wall s is the least wall time; load average at the end: ${load}`
  : `\nrates per wall-clock second (no /usr/bin/time: no CPU time or RSS); load average at the end: ${load}`);
console.log(`${pad('reader', 30)}${lpad('packets', 9)}${lpad('packets/s', 12)}${lpad('MB/s', 7)}${lpad('CPU s', 7)}${lpad('wall s', 8)}${lpad('peak RSS', 10)}  note`);
for (const r of rows) {
  console.log(`${pad(r.name, 30)}${lpad(r.packets, 9)}${lpad(Math.round(r.pps).toLocaleString('en'), 12)}${lpad(r.mbps.toFixed(0), 7)}` +
    `${lpad(r.cpuSeconds.toFixed(2), 7)}${lpad(r.seconds.toFixed(2), 8)}${lpad(r.rssMiB === null ? 'n/a' : `${r.rssMiB.toFixed(0)} MiB`, 10)}  ${r.note}`);
}
/** Rate of row `mine` over the row whose name starts with `name`, per CPU second and per wall second. */
const ratio = (mine, name) => {
  const r = rows.find((x) => x.name.startsWith(name));
  return r ? `${(rows[mine].pps / r.pps).toFixed(2)}x (wall ${(rows[mine].wallPps / r.wallPps).toFixed(2)}x)` : 'n/a';
};
console.log(`\nfull decode vs pcap-parser: ${ratio(0, 'pcap-parser')}, vs tcpdump: ${ratio(0, 'tcpdump')}`);
console.log(`ipEvents none vs pcap-parser: ${ratio(1, 'pcap-parser')}, vs tcpdump: ${ratio(1, 'tcpdump')}`);
console.log('targets: >= 10x pcap-parser, >= 0.7x tcpdump (per CPU second; the wall-clock ratio in parentheses)');
