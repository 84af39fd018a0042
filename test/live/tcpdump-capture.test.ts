/**
 * The tcpdump capture backend (`live --capture tcpdump`, src/live/tcpdump.ts) in a private network
 * namespace: it yields the frames the cap backend yields for the same traffic, with the same
 * findings and packet counts; its stamps are the kernel's, valid and in order; it reports
 * libpcap's own drop counter; a deleted interface ends it with LIVE_INTERFACE_GONE and a missing
 * one is LIVE_NO_SUCH_INTERFACE; a missing tcpdump (PATH without it) or no permission is one line
 * and exit 2 from the CLI. Needs root (runs in CI).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_BPF } from '../../src/live/capture.js';
import { openTcpdumpCapture } from '../../src/live/tcpdump.js';
import { runLive, type LiveResult } from '../../src/live/session.js';
import { readCaptures } from '../../src/capture/index.js';
import { isBridgewatchError } from '../../src/errors.js';
import { hex, namespaceSkipReason, sh, useVethNamespace, VethNamespace, waitFor, writePcap } from './helpers.js';

const skip = namespaceSkipReason('test/live/tcpdump-capture');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');

// An ARP exchange written from RFC 826's layout, MACs 02:00:00:00:00:0N, addresses from
// 192.0.2.0/24: A (192.0.2.1) asks for 192.0.2.2, B answers; then C claims 192.0.2.2 with a
// gratuitous reply (a second MAC for the address: a finding), A asks again and C answers.
const A = '020000000001';
const B = '020000000002';
const C = '020000000003';
const request = (from: string): Uint8Array => hex(`ffffffffffff ${from} 0806 0001 0800 06 04 0001 ${from} c0000201 000000000000 c0000202`);
const reply = (from: string, to: string): Uint8Array => hex(`${to} ${from} 0806 0001 0800 06 04 0002 ${from} c0000202 ${to} c0000201`);
const gratuitous = (from: string): Uint8Array => hex(`ffffffffffff ${from} 0806 0001 0800 06 04 0002 ${from} c0000202 ffffffffffff c0000202`);
const EXCHANGE = [request(A), reply(B, A), gratuitous(C), request(A), reply(C, A), request(A), reply(C, A)];
// Must be left out by the default filter.
const UDP = hex(`ffffffffffff 020000000005 0800 4500001c0000000040110000c0000205c00002ff 0035003500080000`);

async function framesOf(path: string): Promise<string[]> {
  const frames: string[] = [];
  const results = await readCaptures([path], (p) => { frames.push(Buffer.from(p.data).toString('hex')); });
  expect(results[0]?.error).toBeUndefined();
  return frames;
}

describe.skipIf(skip !== null)('live capture with tcpdump (in a namespace)', () => {
  const lab = useVethNamespace('bwlv-tcpdump-');

  it('sees the frames, findings and packet counts the cap backend sees for the same ARP exchange', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const run = (capture: 'cap' | 'tcpdump'): Promise<LiveResult> => runLive({
      iface: lab.ns.b, netns: lab.ns.name, filter: DEFAULT_BPF, capture, links: false, signal: controller.signal, statsIntervalMs: 200,
      save: { path: join(lab.dir, `${capture}.pcapng`), maxBytes: 1 << 20, files: 2 },
    }, { onStart: () => { started.push(capture); } });
    const runs = [run('cap'), run('tcpdump')];
    expect(await waitFor(() => started.length === 2, 15_000)).toBe(true);
    const pcap = join(lab.dir, 'exchange.pcap');
    writePcap(pcap, [UDP, ...EXCHANGE, UDP]);
    lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, pcap]);
    await new Promise((r) => setTimeout(r, 700));
    controller.abort();
    const [cap, tcpdump] = await Promise.all(runs) as [LiveResult, LiveResult];
    expect(cap.error).toBeUndefined();
    expect(tcpdump.error).toBeUndefined();
    expect(tcpdump.run.capture).toBe('tcpdump');
    expect(cap.run.capture).toBe('cap');

    // The same frames, in the same order: the exchange and nothing else.
    const capFrames = await framesOf(cap.run.savedFiles.at(-1)!);
    const tcpdumpFrames = await framesOf(tcpdump.run.savedFiles.at(-1)!);
    expect(tcpdumpFrames).toHaveLength(EXCHANGE.length);
    expect(tcpdumpFrames).toEqual(capFrames);
    EXCHANGE.forEach((f, i) => expect(tcpdumpFrames[i]!.startsWith(Buffer.from(f).toString('hex'))).toBe(true));

    // The same counts and the same findings (times differ: kernel stamps vs delivery stamps).
    const counts = (r: LiveResult): unknown => {
      const c = r.analysis.captures[0]!;
      return { packets: c.packets, bytes: c.bytes, arp: c.arp, ndp: c.ndp, stp: c.stp, ip: c.ip, anomalies: c.anomalies };
    };
    expect(counts(tcpdump)).toEqual(counts(cap));
    expect(counts(tcpdump)).toMatchObject({ packets: EXCHANGE.length, arp: EXCHANGE.length });
    const findings = (r: LiveResult): unknown =>
      r.analysis.findings.map((f) => ({ kind: f.kind, ip: f.ip, vlan: f.vlan, frames: f.frames.length }));
    expect(findings(tcpdump)).toEqual(findings(cap));
    expect(tcpdump.analysis.findings.length).toBeGreaterThan(0);
    expect(tcpdump.analysis.incidents.map((i) => i.kind)).toEqual(cap.analysis.incidents.map((i) => i.kind));

    // Counters: every frame delivered, libpcap's exact drop counter (0), no queue of our own.
    expect(tcpdump.run.stats).toMatchObject({ captured: EXCHANGE.length, received: EXCHANGE.length, queueDrops: 0, truncated: 0,
      kernelDropsEstimate: 0, kernelDropsFrom: 'pcap_stats' });
    expect(tcpdump.run.stats.interfaceFrames).toBe(cap.run.stats.interfaceFrames);
    expect(tcpdump.analysis.options['live.capture']).toBe('tcpdump');
  });

  // As root tcpdump writes into a FIFO; without root, to its stdout: both carry the same frames.
  it.each(['fifo', 'stdout'] as const)('stamps frames with the kernel\'s time: valid, in order, before they arrive; counters from pcap_stats (%s)', async (output) => {
    const seen: { frame: number; tsMs: number; tsNsec: number; arrivedMs: number; linkType: number; len: number; orig: number }[] = [];
    const stats: { kernelDropsFrom?: string }[] = [];
    const capture = await openTcpdumpCapture({ iface: lab.ns.b, netns: lab.ns.name, filter: '', statsIntervalMs: 100 }, {
      onPacket: (p) => seen.push({
        frame: p.frame, tsMs: p.tsSec * 1000 + p.tsNsec / 1e6, tsNsec: p.tsNsec, arrivedMs: Date.now(), linkType: p.linkType,
        len: p.capturedLength, orig: p.originalLength,
      }),
      onStats: (s) => stats.push(s),
    }, { output });
    expect(capture.linkType).toBe(1);
    // The only process in the namespace is this capture's tcpdump: where does it write?
    const pids = sh('ip', ['netns', 'pids', lab.ns.name]).trim().split('\n').filter(Boolean);
    expect(pids).toHaveLength(1);
    const argv = readFileSync(`/proc/${pids[0]}/cmdline`, 'utf8').split('\0');
    const written = argv[argv.indexOf('-w') + 1]!;
    if (output === 'fifo') {
      expect(written).toMatch(/\/bridgewatch-tcpdump-[^/]+\/stream\.pcap$/);
      expect(statSync(written).isFIFO()).toBe(true);
    } else {
      expect(written).toBe('-');
    }
    const big = new Uint8Array(1000);
    big.set(request(A));
    const pcap = join(lab.dir, `stamps-${output}.pcap`);
    writePcap(pcap, [...EXCHANGE, big]);
    lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, pcap]);
    expect(await waitFor(() => seen.length >= EXCHANGE.length + 1 && stats.length >= 2, 5000)).toBe(true);
    const end = await capture.stop();
    expect(end.error).toBeUndefined();
    expect(seen.map((s) => s.frame)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((s) => s.linkType === 1 && Number.isInteger(s.tsNsec) && s.tsNsec >= 0 && s.tsNsec < 1e9)).toBe(true);
    const stamps = seen.map((s) => s.tsMs);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // tcpreplay keeps the 1 ms spacing of the file: kernel stamps show it (delivery stamps need not).
    expect(stamps.at(-1)! - stamps[0]!).toBeGreaterThan(EXCHANGE.length - 1 - 0.5);
    seen.forEach((s) => expect(s.arrivedMs - s.tsMs).toBeGreaterThan(-5));
    seen.forEach((s) => expect(s.arrivedMs - s.tsMs).toBeLessThan(1000));
    // The 1000-byte frame is cut to the snap length, its original length kept.
    expect(seen.at(-1)).toMatchObject({ len: 512, orig: 1000 });
    expect(end.stats).toMatchObject({ received: seen.length, captured: seen.length, truncated: 1, queueDrops: 0, kernelDropsEstimate: 0, kernelDropsFrom: 'pcap_stats' });
    expect(end.stats.interfaceFrames).toBe(seen.length);
    expect(stats.every((s) => s.kernelDropsFrom === 'pcap_stats')).toBe(true);
    // The FIFO's private directory is gone with the capture.
    if (output === 'fifo') expect(existsSync(dirname(written))).toBe(false);
  });

  it('ends with LIVE_INTERFACE_GONE, not a crash, when the interface is deleted', async () => {
    const local = VethNamespace.create();
    try {
      let count = 0;
      const capture = await openTcpdumpCapture({ iface: local.b, netns: local.name, filter: '', interfaceCheckMs: 100 }, { onPacket: () => { count++; } });
      const pcap = join(lab.dir, 'two.pcap');
      writePcap(pcap, [request(A), request(A)]);
      local.exec('tcpreplay', ['-q', '-i', local.a, pcap]);
      await waitFor(() => count >= 2, 5000);
      local.exec('ip', ['link', 'del', local.a]);
      const end = await capture.ended;
      expect(end.error?.code).toBe('LIVE_INTERFACE_GONE');
      expect(end.error?.message).toBe(`${local.b}: interface was deleted during the capture (2 frames captured before)`);
      expect(count).toBe(2);
    } finally {
      local.destroy();
    }
  });

  it('ends with LIVE_CAPTURE_FAILED as data, every frame before it delivered, when tcpdump dies', async () => {
    const local = VethNamespace.create();
    try {
      let count = 0;
      const capture = await openTcpdumpCapture({ iface: local.b, netns: local.name, filter: '' }, { onPacket: () => { count++; } });
      const pcap = join(lab.dir, 'three.pcap');
      writePcap(pcap, [request(A), request(A), request(A)]);
      local.exec('tcpreplay', ['-q', '-i', local.a, pcap]);
      await waitFor(() => count >= 3, 5000);
      // The only process in this namespace is the capture's tcpdump.
      const pids = sh('ip', ['netns', 'pids', local.name]).trim().split('\n').filter(Boolean).map(Number);
      expect(pids).toHaveLength(1);
      process.kill(pids[0]!, 'SIGKILL');
      const end = await capture.ended;
      expect(end.error?.code).toBe('LIVE_CAPTURE_FAILED');
      expect(end.error?.message).toBe(`${local.b}: tcpdump ended unexpectedly (SIGKILL): no message`);
      expect(end.stats.received).toBe(3);
    } finally {
      local.destroy();
    }
  });

  it('rejects a missing interface with LIVE_NO_SUCH_INTERFACE, and a bad filter as a usage error', async () => {
    for (const netns of [undefined, lab.ns.name]) {
      const error = await openTcpdumpCapture({ iface: 'bwlvnosuch0', ...(netns ? { netns } : {}) }, { onPacket: () => undefined }).then(() => null, (e: unknown) => e);
      expect(isBridgewatchError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('LIVE_NO_SUCH_INTERFACE');
      expect((error as Error).message.startsWith('bwlvnosuch0: ')).toBe(true);
    }
    const bad = await openTcpdumpCapture({ iface: lab.ns.b, netns: lab.ns.name, filter: 'arp and and' }, { onPacket: () => undefined }).then(() => null, (e: unknown) => e);
    expect((bad as { code: string }).code).toBe('USAGE');
  });

  function live(args: string[], options: { wrap?: string[]; env?: NodeJS.ProcessEnv } = {}): { code: number | null; stderr: string } {
    const r = spawnSync('/usr/sbin/ip', ['netns', 'exec', lab.ns.name, ...(options.wrap ?? []), process.execPath, BIN, 'live', '--capture', 'tcpdump', ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000, ...(options.env ? { env: options.env } : {}) });
    return { code: r.status, stderr: r.stderr };
  }

  it('CLI: a PATH without tcpdump gives one line naming the package, exit 2', () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    const r = live(['-i', lab.ns.b, '--duration', '1'], { env: { ...process.env, PATH: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bridgewatch: tcpdump is not installed (not found on PATH): install it (apt-get install tcpdump) or use the default backend (--capture cap)\n');
  });

  it('CLI: not permitted gives one line saying how to grant it, exit 2; an unknown backend is a usage error', () => {
    const r = live(['-i', lab.ns.b, '--duration', '1'], { wrap: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'] });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('bridgewatch: ') && !l.includes('warning'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bridgewatch: lvB: cannot capture: permission denied .*setcap cap_net_raw,cap_net_admin\+eip/);
    const usage = live(['-i', lab.ns.b, '--capture', 'pcap']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/'--capture <backend>' argument 'pcap' is invalid\. Allowed choices are cap, tcpdump/);
  });
});
