/**
 * Every lab sample (samples/<scenario>/truth.json, written by the LAB team's recorder; schema in
 * samples/README.md) analysed from the neighbour's capture and compared with the run's truth:
 * - each true MAC change (time from `ip monitor`) lies inside the bracket of a detected change
 *   step, widened by 50 ms: a change is only observable between the last frame from the old MAC
 *   and the first claim from the new one, so the bracket is what a capture can prove;
 * - each outage measured by ping matches a reply-gap within 10 % or 250 ms;
 * - each true clash is an ip-clash with the same MACs;
 * - the number of incidents and their addresses match (none on the negative controls).
 * New samples are picked up automatically.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import type { IpClashFinding, MacChangeFinding, ReplyGapFinding } from '../../src/detect/types.js';
import { formatMac } from '../../src/net/mac.js';
import { diffMs, fromIso, type Timestamp } from '../../src/time.js';

interface Truth {
  scenario: string;
  files?: { neighbourCapture?: string };
  expected: {
    macChanges: { ip: string; fromMac: string; toMac: string; t: string }[];
    outages: { ip: string; start: string; end: string; durationMs: number }[];
    clashes: { ip: string; macs: string[] }[];
    incidents: number;
  };
}

const SAMPLES = 'samples';
const dirs = existsSync(SAMPLES)
  ? readdirSync(SAMPLES).filter((d) => existsSync(join(SAMPLES, d, 'truth.json'))).sort()
  : [];

function ts(iso: string): Timestamp {
  const t = fromIso(iso);
  if (!t) throw new Error(`bad time in truth.json: ${iso}`);
  return t;
}

describe('lab samples match their truth', () => {
  it('there are samples to check', () => {
    expect(dirs.length).toBeGreaterThan(0);
  });

  for (const dir of dirs) {
    it(dir, async () => {
      const truth = JSON.parse(readFileSync(join(SAMPLES, dir, 'truth.json'), 'utf8')) as Truth;
      const capture = join(SAMPLES, dir, truth.files?.neighbourCapture ?? 'neighbour.pcap');
      const analysis = await analyzeCaptures([capture]);
      expect(analysis.captures[0]?.error).toBeUndefined();
      const { findings, incidents } = analysis;
      const changes = findings.filter((f): f is MacChangeFinding => f.kind === 'mac-change');
      const gaps = findings.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap');
      const clashes = findings.filter((f): f is IpClashFinding => f.kind === 'ip-clash');

      for (const want of truth.expected.macChanges) {
        const t = ts(want.t);
        const steps = changes.filter((c) => c.ip === want.ip).flatMap((c) => c.steps ?? [])
          .filter((s) => formatMac(s.fromMac) === want.fromMac && formatMac(s.toMac) === want.toMac);
        const hit = steps.find((s) => diffMs(s.lastOld, t) >= -50 && diffMs(s.firstNew, t) <= 50);
        expect(hit, `${dir}: change ${want.fromMac} -> ${want.toMac} at ${want.t} in a detected bracket`).toBeDefined();
      }

      for (const want of truth.expected.outages) {
        const tolerance = Math.max(0.1 * want.durationMs, 250);
        const hit = gaps.find((g) => g.ip === want.ip && Math.abs(g.durationMs - want.durationMs) <= tolerance);
        expect(hit, `${dir}: outage of ${want.ip} ${want.durationMs} ms (got ${gaps.map((g) => `${g.ip} ${g.durationMs}`).join(', ')})`).toBeDefined();
      }

      for (const want of truth.expected.clashes) {
        const hit = clashes.find((c) => c.ip === want.ip);
        expect(hit, `${dir}: clash on ${want.ip}`).toBeDefined();
        expect(hit!.macs.map(formatMac).sort()).toEqual([...want.macs].sort());
      }

      expect(incidents.length, `${dir}: incidents ${incidents.map((i) => `${i.kind} ${i.ip}`).join(', ')}`).toBe(truth.expected.incidents);
      const expectedIps = new Set([
        ...truth.expected.outages.map((o) => o.ip),
        ...truth.expected.clashes.map((c) => c.ip),
        ...(truth.expected.incidents > 0 ? truth.expected.macChanges.map((m) => m.ip) : []),
      ]);
      for (const inc of incidents) expect(expectedIps.has(inc.ip), `${dir}: incident on ${inc.ip}`).toBe(true);
    });
  }
});

describe('two vantage points of one run, merged', () => {
  const dir = join(SAMPLES, 'guest-start-stop');
  const both = [join(dir, 'neighbour.pcap'), join(dir, 'br0.pcapng')];
  it.skipIf(!both.every((p) => existsSync(p)))('count each frame once (copies within dedupeWindowMs are dropped)', async () => {
    const one = await analyzeCaptures([both[0]!]);
    const merged = await analyzeCaptures(both);
    expect(merged.captures.map((c) => c.packets).every((n) => n > 0)).toBe(true);
    expect(merged.incidents.map((i) => i.kind)).toEqual(one.incidents.map((i) => i.kind));
    const gapOne = one.findings.find((f): f is ReplyGapFinding => f.kind === 'reply-gap')!;
    const gapMerged = merged.findings.find((f): f is ReplyGapFinding => f.kind === 'reply-gap')!;
    expect(gapMerged.unansweredRequests).toBe(gapOne.unansweredRequests);
    expect(gapMerged.framesToStaleMac).toBe(gapOne.framesToStaleMac);
    expect(Math.abs(gapMerged.durationMs - gapOne.durationMs)).toBeLessThan(1);
  });
});
