/**
 * Lab samples (samples/<scenario>/, recorded by the LAB team in namespaces on this kernel): each
 * neighbour capture goes through analyzeCaptures (capture -> decode -> detect -> correlate): (a) with the sample's link
 * logs (ip-monitor.log, bridge-monitor.log, kernel.log) must give every incident the cause listed in
 * truth.json `expected.causes`, and (b) with the logs withheld must infer the same cause with a
 * lower confidence. Samples without incidents or without truth.json are skipped per sample.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import type { Incident } from '../../src/analysis.js';

const SAMPLES = resolve(import.meta.dirname, '../../samples');

interface Truth {
  host: { bridge: string; uplink: string };
  guests: { port: string; portMac: string }[];
  files?: Record<string, string>;
  expected: { causes: string[]; incidents: number };
}

function sampleDirs(): string[] {
  if (!existsSync(SAMPLES)) return [];
  return readdirSync(SAMPLES)
    .map((d) => join(SAMPLES, d))
    .filter((d) => existsSync(join(d, 'truth.json')) && existsSync(join(d, 'ip-monitor.log')));
}

async function analyze(capture: string, linkLogs: string[]): Promise<Incident[]> {
  const analysis = await analyzeCaptures([capture], { linkLogs });
  expect(analysis.captures[0]?.error).toBeUndefined();
  return analysis.incidents;
}

function captureOf(dir: string, truth: Truth): string {
  const name = truth.files?.['neighbourCapture'] ?? 'neighbour.pcap';
  return join(dir, name);
}

const dirs = sampleDirs();
if (dirs.length === 0) console.log('correlate/samples: no lab samples with truth.json yet (samples/*/truth.json)');

describe.each(dirs.map((d) => [d.split('/').pop()!, d] as const))('lab sample %s', (_name, dir) => {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const logs = ['ip-monitor.log', 'bridge-monitor.log', 'kernel.log'].map((f) => join(dir, f)).filter((f) => existsSync(f));

  it('with its link logs, every incident gets the true cause', async () => {
    const incidents = await analyze(captureOf(dir, truth), logs);
    expect(incidents.length).toBe(truth.expected.incidents);
    for (const inc of incidents) {
      expect(truth.expected.causes).toContain(inc.cause?.code);
      expect(inc.cause!.confidence).toBeGreaterThanOrEqual(0.85);
      expect(inc.cause!.linkEvents.length).toBeGreaterThan(0);
      if (inc.cause!.code === 'bridge-lowest-mac') {
        expect(inc.cause!.bridge).toBe(truth.host.bridge);
        expect(truth.guests.map((g) => g.port)).toContain(inc.cause!.port);
      }
    }
  });

  it('with only the kernel log (no MACs), the cause is still right, between linked and inferred confidence', async () => {
    const kernelLog = join(dir, 'kernel.log');
    if (!existsSync(kernelLog)) return;
    const incidents = await analyze(captureOf(dir, truth), [kernelLog]);
    for (const inc of incidents) {
      expect(truth.expected.causes).toContain(inc.cause?.code);
      if (inc.cause!.code === 'bridge-lowest-mac') expect(truth.guests.map((g) => g.port)).toContain(inc.cause!.port);
    }
  });

  it('with the logs withheld, the inferred cause is the same with lower confidence', async () => {
    const linked = await analyze(captureOf(dir, truth), logs);
    const alone = await analyze(captureOf(dir, truth), []);
    expect(alone.length).toBe(linked.length);
    alone.forEach((inc, i) => {
      const withLinks = linked[i]!.cause!;
      expect(inc.cause?.code).toBe(withLinks.code);
      expect(inc.cause!.confidence).toBeLessThan(withLinks.confidence);
      expect(inc.cause!.linkEvents).toEqual([]);
      expect(inc.cause!.toConfirm.length).toBeGreaterThan(0);
    });
  });
});
