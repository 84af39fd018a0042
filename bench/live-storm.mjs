#!/usr/bin/env node
/**
 * Live capture benchmark: how many ARP frames per second `bridgewatch live --all` sustains without
 * a drop. Builds a private namespace (`bwlv-bench-<pid>`) with a veth pair, runs the built CLI
 * (dist/) on one end, and replays bursts of ARP requests with tcpreplay at increasing rates into
 * the other end. For each rate it compares the interface's frame counter with what libpcap
 * captured and what reached the analysis (live's NDJSON stats records).
 *
 *   sudo node bench/live-storm.mjs [--frames N] [--rates 10000,20000,...,top] [--buffer-mb 64]
 *
 * Prints one line per rate and writes bench/out/live-storm.json. Needs root, tcpreplay, dist/.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const FRAMES = Number(opt('--frames', '100000'));
const RATES = opt('--rates', '10000,25000,50000,100000,200000,top').split(',');
const BUFFER_MB = opt('--buffer-mb', '64');
const LOOP = 5000;

const ns = `bwlv-bench-${process.pid}`;
const sh = (cmd, a) => execFileSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const inNs = (cmd, a) => sh('ip', ['netns', 'exec', ns, cmd, ...a]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

  live = spawn('ip', ['netns', 'exec', ns, process.execPath, join(ROOT, 'bin/bridgewatch.js'), 'live', '-i', 'lvB', '--all', '--format', 'ndjson', '--stats-interval', '0.25', '--buffer-mb', BUFFER_MB],
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
  for (const rate of RATES) {
    await sleep(600);
    const before = last;
    const loops = Math.max(1, Math.round(FRAMES / LOOP));
    const t0 = process.hrtime.bigint();
    inNs('tcpreplay', ['-q', rate === 'top' ? '--topspeed' : `--pps=${rate}`, '-l', String(loops), '-i', 'lvA', pcap]);
    const sendS = Number(process.hrtime.bigint() - t0) / 1e9;
    const sent = loops * LOOP;
    // Wait until the counters settle (two equal readings).
    let prev = -1;
    while (last.captured !== prev || last.interfaceFrames - before.interfaceFrames < sent) { prev = last.captured; await sleep(600); }
    const seen = last.interfaceFrames - before.interfaceFrames;
    const captured = last.captured - before.captured;
    const queueDrops = last.queueDrops - before.queueDrops;
    const row = {
      requestedPps: rate, sent, sendSeconds: Number(sendS.toFixed(3)), offeredPps: Math.round(sent / sendS),
      interfaceFrames: seen, captured, kernelDrops: Math.max(0, seen - captured), queueDrops,
      lossless: seen - captured === 0 && queueDrops === 0,
    };
    results.push(row);
    console.log(`${String(rate).padStart(7)} pps requested, ${String(row.offeredPps).padStart(7)} offered: ${captured}/${seen} captured, ${row.kernelDrops} kernel drops, ${queueDrops} queue drops${row.lossless ? ' (lossless)' : ''}`);
  }
  const best = results.filter((r) => r.lossless).reduce((m, r) => Math.max(m, r.offeredPps), 0);
  console.log(`sustained without drops: ${best} frames/s (ARP, 60 bytes; ${cpus().length} CPUs: ${cpus()[0]?.model ?? '?'})`);
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/live-storm.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, framesPerRate: FRAMES, bufferMb: Number(BUFFER_MB), sustainedLosslessPps: best, results }, null, 2)}\n`);
} finally {
  if (live && live.exitCode === null) {
    live.kill('SIGINT');
    await new Promise((r) => live.on('exit', r));
  }
  try { sh('ip', ['netns', 'del', ns]); } catch { /* gone */ }
  rmSync(dir, { recursive: true, force: true });
}
