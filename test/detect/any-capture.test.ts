/**
 * A real `tcpdump -i any` capture on the host (Linux cooked capture: every frame is recorded once
 * per interface it crosses: the uplink, the bridge, the guest's port) taken during a lab
 * guest-start-stop run (tools/lab/, network namespaces with documentation addresses only; the lab
 * creates and removes them, the capture runs inside the lab's host namespace through its
 * onHostReady hook). Detection must count each frame once: the outage, request counts and
 * incident must match the same run's neighbour capture, and switching dedupe off must not.
 * Needs root: runs in CI (CI=true, root); skipped with a printed reason otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { readCaptures } from '../../src/capture/index.js';
import { decodePacket } from '../../src/decode/index.js';
import { Detector } from '../../src/detect/detector.js';
import type { ReplyGapFinding } from '../../src/detect/types.js';
import { runScenario, type LabRun } from '../../tools/lab/index.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skip = !isRoot && !process.env.CI;
if (skip) console.log('test/detect/any-capture: skipped: needs root to build network namespaces (and CI is not set)');

/** Runs the Detector over a file and returns its findings and state (for the dedupe counter). */
async function detectFile(
  path: string, dedupeWindowMs?: number,
): Promise<{ gaps: ReplyGapFinding[]; dropped: number; incidents: string[] }> {
  const d = new Detector(dedupeWindowMs === undefined ? {} : { dedupeWindowMs });
  const [result] = await readCaptures([path], (p) => {
    const ev = decodePacket(p);
    if (ev) d.push(ev);
  });
  expect(result?.error).toBeUndefined();
  const { findings, incidents } = d.finish();
  return {
    gaps: findings.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap'),
    dropped: d.state().duplicatesDropped,
    incidents: incidents.map((i) => `${i.kind} ${i.ip}`),
  };
}

describe.skipIf(skip)('tcpdump -i any on the host during a bridge MAC flip', () => {
  const out = mkdtempSync(join(tmpdir(), 'bwdt-any-'));
  const anyPath = join(out, 'any.pcap');
  let tcpdump: ChildProcess | null = null;
  afterAll(() => {
    tcpdump?.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  });

  let run: LabRun;
  it('records the run', async () => {
    run = await runScenario('guest-start-stop', {
      out,
      onHostReady: async ({ hostNs }) => {
        const child = spawn('ip', ['netns', 'exec', hostNs, 'tcpdump', '-i', 'any', '-U', '-n', '-w', anyPath], { stdio: ['ignore', 'ignore', 'pipe'] });
        tcpdump = child;
        // tcpdump says "listening on any" on stderr once the socket is open.
        await new Promise<void>((resolve, reject) => {
          let err = '';
          child.stderr?.on('data', (b: Buffer) => { err += b.toString(); if (err.includes('listening on')) resolve(); });
          child.on('exit', (code) => reject(new Error(`tcpdump exited ${code}: ${err.trim()}`)));
        });
      },
      beforeCleanup: async () => {
        const child = tcpdump;
        if (!child || child.exitCode !== null) return;
        await new Promise<void>((resolve) => { child.on('exit', () => resolve()); child.kill('SIGINT'); });
        tcpdump = null;
      },
    });
    expect(run.truth.expected.outages.length).toBe(1);
  }, 120_000);

  it('finds the flip once, with the neighbour capture\'s counts', async () => {
    const neighbour = await detectFile(join(out, run.truth.files?.neighbourCapture ?? 'neighbour.pcap'));
    const host = await detectFile(anyPath);
    expect(host.dropped).toBeGreaterThan(0);
    expect(host.incidents).toEqual(['bridge-mac-flip 192.0.2.1']);
    expect(host.gaps).toHaveLength(1);
    expect(neighbour.gaps).toHaveLength(1);
    const truth = run.truth.expected.outages[0]!;
    expect(Math.abs(host.gaps[0]!.durationMs - truth.durationMs)).toBeLessThanOrEqual(Math.max(0.1 * truth.durationMs, 250));
    expect(host.gaps[0]!.unansweredRequests).toBe(neighbour.gaps[0]!.unansweredRequests);
    // SLL has no destination MAC: the stale MAC is unknown from this vantage point.
    expect(host.gaps[0]!.staleMac).toBeNull();
  });

  it('without dedupe the copies would inflate the counts', async () => {
    const noDedupe = await detectFile(anyPath, 0);
    const withDedupe = await detectFile(anyPath);
    expect(noDedupe.dropped).toBe(0);
    expect(noDedupe.gaps[0]!.unansweredRequests).toBeGreaterThan(withDedupe.gaps[0]!.unansweredRequests);
  });

  it('analyzeCaptures reads it as Linux cooked capture', async () => {
    const analysis = await analyzeCaptures([anyPath]);
    expect(analysis.captures[0]!.linkTypes.some((t) => t === 113 || t === 276)).toBe(true);
    expect(analysis.incidents.map((i) => i.kind)).toEqual(['bridge-mac-flip']);
  });
});
