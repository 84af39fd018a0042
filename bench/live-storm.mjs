#!/usr/bin/env node
/**
 * Live capture benchmark: how many ARP frames per second `bridgewatch live --all` sustains without
 * a drop. Builds a private namespace (`bwlv-bench-<pid>`) with a veth pair, runs the built CLI
 * (dist/) on one end, and replays bursts of ARP requests with tcpreplay at increasing rates into
 * the other end. For each rate it compares the interface's frame counter with what libpcap
 * captured and what reached the analysis (live's NDJSON stats records), and where the CPU went:
 * µs per frame of the capture process, the analysis process and the sender (tcpreplay, with the
 * veth's receive path it runs), from /proc and /usr/bin/time. `offered` is what tcpreplay really
 * sent per second of its run, which on a busy 2-CPU machine can fall short of `requested`.
 *
 *   sudo node bench/live-storm.mjs [--frames N] [--rates 10000,20000,...,top] [--buffer-mb MB] [--capture cap|tcpdump]
 *
 * Without --buffer-mb live runs with its default ring; --capture picks live's capture backend
 * (default: live's own default, cap). --frames 1000000 holds a rate for ~10 s
 * (the default 100 000 is a ~1 s burst, which a ring of ~10 ms can mask or not by luck).
 * Prints one line per rate and writes bench/out/live-storm.json. Needs root, tcpreplay, dist/.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const FRAMES = Number(opt('--frames', '100000'));
const RATES = opt('--rates', '10000,25000,50000,100000,200000,top').split(',');
const BUFFER_MB = opt('--buffer-mb', undefined);
const CAPTURE = opt('--capture', undefined);
const LOOP = 5000;

const ns = `bwlv-bench-${process.pid}`;
const sh = (cmd, a) => execFileSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const inNs = (cmd, a) => sh('ip', ['netns', 'exec', ns, cmd, ...a]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK_S = 1 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
/** CPU seconds (user + system) a process used so far, from /proc; 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_S;
  } catch { return 0; }
}
/** Bytes of the capture's packet ring as mapped into the process (libpcap's TPACKET mmap), or null. */
function ringBytes(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').find((l) => / rw-s .* socket:\[/.test(l));
    if (!line) return null;
    const [from, to] = line.split(' ')[0].split('-').map((h) => BigInt(`0x${h}`));
    return Number(to - from);
  } catch { return null; }
}
function childrenOf(pid) {
  try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; }
}

/** Classic pcap of LOOP distinct ARP requests (target MAC field = n, so none is a copy of another). */
function writeStormPcap(path) {
  const parts = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6); h.writeUInt32LE(65535, 16); h.writeUInt32LE(1, 20);
  parts.push(h);
  for (let n = 0; n < LOOP; n++) {
    const f = Buffer.from(`ffffffffffff02000000000108060001080006040001020000000001c6336401${n.toString(16).padStart(12, '0')}c6336402${'00'.repeat(18)}`, 'hex');
    const r = Buffer.alloc(16);
    r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
    parts.push(r, f);
  }
  writeFileSync(path, Buffer.concat(parts));
}

const dir = mkdtempSync(join(tmpdir(), 'bwlv-bench-'));
let live;
try {
  sh('ip', ['netns', 'add', ns]);
  inNs('ip', ['link', 'add', 'lvA', 'type', 'veth', 'peer', 'name', 'lvB']);
  for (const d of ['lvA', 'lvB']) {
    inNs('sysctl', ['-q', '-w', `net.ipv6.conf.${d}.disable_ipv6=1`]);
    inNs('ip', ['link', 'set', d, 'up']);
  }
  const pcap = join(dir, 'storm.pcap');
  writeStormPcap(pcap);

  live = spawn('ip', ['netns', 'exec', ns, process.execPath, join(ROOT, 'bin/bridgewatch.js'), 'live', '-i', 'lvB', '--all', '--format', 'ndjson', '--stats-interval', '0.25', ...(BUFFER_MB ? ['--buffer-mb', BUFFER_MB] : []), ...(CAPTURE ? ['--capture', CAPTURE] : [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let last = null;
  let started = false;
  createInterface({ input: live.stdout }).on('line', (text) => {
    const r = JSON.parse(text);
    if (r.type === 'start') started = true;
    if (r.type === 'stats') last = r;
  });
  while (!started || !last) await sleep(50);

  const results = [];
  const ring = ringBytes(childrenOf(live.pid)[0]);
  console.log(`--capture ${CAPTURE ?? '(default: cap)'}, --buffer-mb ${BUFFER_MB ?? '(default)'}: packet ring mapped by the capture process ${ring === null ? 'unknown' : `${(ring / 2 ** 20).toFixed(1)} MiB`}`);
  for (const rate of RATES) {
    await sleep(600);
    const before = last;
    const loops = Math.max(1, Math.round(FRAMES / LOOP));
    const capturePid = childrenOf(live.pid)[0];
    const cpu0 = [cpuSeconds(live.pid), cpuSeconds(capturePid)];
    const t0 = process.hrtime.bigint();
    // /usr/bin/time reports the sender's own CPU time (tcpreplay spins between frames at a set rate).
    const timed = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', 'ip', 'netns', 'exec', ns, 'tcpreplay', '-q', rate === 'top' ? '--topspeed' : `--pps=${rate}`, '-l', String(loops), '-i', 'lvA', pcap], { encoding: 'utf8' });
    const sendS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (timed.status !== 0) throw new Error(`tcpreplay failed: ${timed.stderr}`);
    const senderCpu = (/CPU ([\d.]+) ([\d.]+)/.exec(timed.stderr) ?? []).slice(1).reduce((a, b) => a + Number(b), 0);
    const sent = loops * LOOP;
    // Wait until the counters settle (two equal readings).
    let prev = -1;
    while (last.captured !== prev || last.interfaceFrames - before.interfaceFrames < sent) { prev = last.captured; await sleep(600); }
    const seen = last.interfaceFrames - before.interfaceFrames;
    const captured = last.captured - before.captured;
    const queueDrops = last.queueDrops - before.queueDrops;
    const cpu = { analysis: cpuSeconds(live.pid) - cpu0[0], capture: cpuSeconds(capturePid) - cpu0[1], sender: senderCpu };
    const row = {
      requestedPps: rate, loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number), sent, sendSeconds: Number(sendS.toFixed(3)), offeredPps: Math.round(sent / sendS),
      interfaceFrames: seen, captured, kernelDrops: Math.max(0, seen - captured), queueDrops,
      lossless: seen - captured === 0 && queueDrops === 0,
      cpuSeconds: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number(v.toFixed(2))])),
      cpuMicrosPerFrame: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Number((v / sent * 1e6).toFixed(2))])),
    };
    results.push(row);
    console.log(`${CAPTURE ?? 'cap'}: ${String(rate).padStart(7)} pps requested, ${String(row.offeredPps).padStart(7)} offered: ${captured}/${seen} captured, ${row.kernelDrops} kernel drops, ${queueDrops} queue drops${row.lossless ? ' (lossless)' : ''}; CPU µs/frame: capture ${row.cpuMicrosPerFrame.capture}, analysis ${row.cpuMicrosPerFrame.analysis}, sender ${row.cpuMicrosPerFrame.sender}; load ${row.loadAverage[0]}`);
  }
  const best = results.filter((r) => r.lossless).reduce((m, r) => Math.max(m, r.offeredPps), 0);
  console.log(`sustained without drops: ${best} frames/s (ARP, 60 bytes; ${cpus().length} CPUs: ${cpus()[0]?.model ?? '?'})`);
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/live-storm.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, framesPerRate: FRAMES, capture: CAPTURE ?? 'cap', bufferMb: BUFFER_MB ? Number(BUFFER_MB) : 'default', ringBytes: ring, sustainedLosslessPps: best, results }, null, 2)}\n`);
} finally {
  if (live && live.exitCode === null) {
    live.kill('SIGINT');
    await new Promise((r) => live.on('exit', r));
  }
  try { sh('ip', ['netns', 'del', ns]); } catch { /* gone */ }
  rmSync(dir, { recursive: true, force: true });
}
