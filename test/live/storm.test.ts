/**
 * Storm: 100 000 ARP requests replayed as fast as tcpreplay can (--topspeed) into a veth in a
 * private namespace while `bridgewatch live --all` captures on its peer. Live must keep running
 * (and still see frames sent afterwards), report its drop counters, keep memory bounded, and flag
 * the storm. Frame rates are measured by bench/live-storm.mjs, not asserted here. Run with each
 * capture backend (cap, and tcpdump with its exact pcap_stats drop counter). Needs root.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { hex, namespaceSkipReason, VethNamespace, waitFor, writePcap } from './helpers.js';

const skip = namespaceSkipReason('test/live/storm');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');
const STORM_FRAMES = 100_000;
const LOOP_FRAMES = 5000;

/**
 * ARP request from 02:00:00:00:00:01 (198.51.100.1) for 198.51.100.2, padded to 60 bytes. The
 * (ignored) target MAC field carries `n`, so frames of one loop differ: the detector merges
 * identical frames within 5 ms as capture copies, and 5000 frames take longer than that.
 */
function arpRequest(n: number): Uint8Array {
  const tha = n.toString(16).padStart(12, '0');
  return hex(`ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 c6336401 ${tha} c6336402 ${'00'.repeat(18)}`);
}

/** Peak resident memory (VmHWM, KiB) of a process and its children. */
function peakRssKiB(pid: number): number {
  const one = (p: number): number => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  };
  let total = one(pid);
  const kids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  for (const k of kids) total += one(Number(k));
  return total;
}

describe.skipIf(skip !== null).each(['cap', 'tcpdump'])('live --capture %s under an ARP storm', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'bwlv-storm-'));
  let ns: VethNamespace | null = null;
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    ns?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps running through 100k frames, reports drops, stays bounded', async () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    ns = VethNamespace.create();
    const records: Record<string, unknown>[] = [];
    let stderr = '';
    const c = spawn('ip', ['netns', 'exec', ns.name, process.execPath, BIN, 'live', '-i', ns.b, '--all', '--format', 'ndjson', '--stats-interval', '0.5', '--capture', backend],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const exit = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
    c.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    createInterface({ input: c.stdout! }).on('line', (text) => records.push(JSON.parse(text) as Record<string, unknown>));
    expect(await waitFor(() => records.some((r) => r['type'] === 'start'), 15_000), `live did not start: ${stderr}`).toBe(true);

    const pcap = join(dir, 'storm.pcap');
    writePcap(pcap, Array.from({ length: LOOP_FRAMES }, (_, n) => arpRequest(n)));
    ns.exec('tcpreplay', ['-q', '--topspeed', '-l', String(STORM_FRAMES / LOOP_FRAMES), '-i', ns.a, pcap]);
    const lastStats = (): Record<string, unknown> | undefined => records.filter((r) => r['type'] === 'stats').at(-1);
    // Wait until the interface counters show the whole storm arrived.
    expect(await waitFor(() => Number(lastStats()?.['interfaceFrames'] ?? 0) >= STORM_FRAMES, 30_000)).toBe(true);
    expect(c.exitCode).toBeNull(); // still running

    // Still capturing after the storm: 10 more frames are all seen.
    const before = Number(lastStats()!['received']);
    writePcap(pcap, Array.from({ length: 10 }, (_, n) => arpRequest(n)));
    await waitFor(() => Number(lastStats()!['captured']) > 0, 1000);
    const capturedBefore = Number(lastStats()!['captured']);
    ns.exec('tcpreplay', ['-q', '-i', ns.a, pcap]);
    expect(await waitFor(() => Number(lastStats()!['captured']) >= capturedBefore + 10, 10_000)).toBe(true);
    const rssKiB = peakRssKiB(c.pid!);

    c.kill('SIGINT');
    expect(await exit).toBe(0);
    const end = records.find((r) => r['type'] === 'end')!;
    const s = end['stats'] as {
      captured: number; received: number; queueDrops: number; interfaceFrames: number; kernelDropsEstimate: number; kernelDropsFrom: string;
    };
    process.stderr.write(`storm (${backend}): ${JSON.stringify(s)}; peak RSS ${Math.round(rssKiB / 1024)} MiB\n`);
    expect(s.kernelDropsFrom).toBe(backend === 'tcpdump' ? 'pcap_stats' : 'interface counters');
    expect(s.interfaceFrames).toBeGreaterThanOrEqual(STORM_FRAMES + 10);
    expect(s.received).toBeGreaterThan(before);
    expect(s.received + s.queueDrops).toBeLessThanOrEqual(s.captured);
    // Every frame is accounted for: captured by libpcap or counted as a kernel drop.
    expect(s.captured + s.kernelDropsEstimate).toBe(s.interfaceFrames);
    // Bounded: the parent's queue cap (32 MiB) + detector caps; two Node processes stay far below this.
    expect(rssKiB).toBeLessThan(600 * 1024);
    // The storm itself is an incident.
    expect(records.some((r) => r['type'] === 'incident' && r['kind'] === 'arp-storm')).toBe(true);
  });
});
