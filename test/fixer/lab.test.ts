/**
 * audit -> fix -> lab -> analyze: the LAB team's guest-start-stop scenario (a guest whose host-side
 * MAC 00:18:51:00:00:01 is lower than the uplink starts and stops) with `fix --apply` run inside the
 * host namespace from the lab's onHostReady hook, before any guest starts. The recorded ip-monitor
 * log must show no bridge MAC change and the neighbour's ping no outage. The control (no fix) feeds
 * the recorded capture and ip-monitor log to analyze and planFromAnalysis: the offline plan must pin
 * to the uplink MAC the lab recorded and name the OpenVZ-style port.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFromAnalysis } from '../../src/fixer/index.js';
import { bridgeMacChanges } from '../../tools/lab/parse.js';
import type { Analysis } from '../../src/analysis.js';
import { buildCli, canUseNamespaces, cliIn, type CliRun } from './cli-build.js';

const enabled = canUseNamespaces('fixer lab');
const labIndex = path.resolve(import.meta.dirname, '../../tools/lab/index.ts');
const analyzeModule = path.resolve(import.meta.dirname, '../../src/analyze.ts');
if (enabled && !existsSync(labIndex)) process.stdout.write('[fixer lab] skipped: tools/lab/index.ts (LAB team) does not exist yet\n');

describe.runIf(enabled && existsSync(labIndex))('fix applied from the lab hook', () => {
  let runner = '';
  let out = '';
  beforeAll(async () => { runner = await buildCli(); out = mkdtempSync(path.join(tmpdir(), 'bwfx-lab-')); });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('guest-start-stop shows no bridge MAC change and no outage', async () => {
    const lab = (await import(labIndex)) as typeof import('../../tools/lab/index.js');
    let audit: CliRun | undefined;
    let fix: CliRun | undefined;
    let bridge = '';
    const run = await lab.runScenario('guest-start-stop', {
      out,
      onHostReady: async (ctx) => {
        bridge = ctx.bridge;
        audit = await cliIn(runner, ctx.hostNs, ['audit', ctx.bridge, '--format', 'json', '--no-guests']);
        fix = await cliIn(runner, ctx.hostNs, ['fix', ctx.bridge, '--apply', '--announce', '--uplink', ctx.uplink]);
        if (fix.code !== 0) throw new Error(`fix failed: ${fix.stderr}`);
      },
    });
    // Before the fix the audit saw an unpinned bridge (exit 1); the fix pinned it to the uplink MAC.
    expect(audit?.code).toBe(1);
    expect(audit?.stdout).toContain('"mac-not-pinned"');
    expect(fix?.stdout).toContain(`pinned ${bridge} to ${run.truth.host.uplinkMac}`);
    // The recorded truth: no MAC change of the host address, no gap in the neighbour's ping replies.
    expect(run.truth.expected.macChanges).toEqual([]);
    expect(run.truth.expected.outages).toEqual([]);
    const ipMonitor = readFileSync(path.join(run.out, run.truth.files.ipMonitor), 'utf8');
    const changes = bridgeMacChanges(ipMonitor, bridge, run.truth.host.uplinkMac);
    expect(changes).toEqual([]);
    // The guest did start and stop (the scenario really ran): its port appears in the log.
    expect(run.truth.guests.length).toBeGreaterThan(0);
    expect(ipMonitor).toContain(run.truth.guests[0]!.port);

    if (!existsSync(analyzeModule)) {
      process.stdout.write('[fixer lab] analyze step skipped: src/analyze.ts (DETECT team) does not exist yet\n');
      return;
    }
    const { analyzeCaptures } = (await import(analyzeModule)) as {
      analyzeCaptures: (p: string[]) => Promise<{ incidents: Array<{ severity: string }> }>;
    };
    const analysis = await analyzeCaptures([path.join(run.out, run.truth.files.neighbourCapture)]);
    expect(analysis.incidents.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('control without the fix: analyze finds the flip and planFromAnalysis pins to the recorded uplink MAC', async () => {
    if (!existsSync(analyzeModule)) {
      process.stdout.write('[fixer lab] control skipped: src/analyze.ts (DETECT team) does not exist yet\n');
      return;
    }
    const lab = (await import(labIndex)) as typeof import('../../tools/lab/index.js');
    const controlOut = path.join(out, 'control');
    const run = await lab.runScenario('guest-start-stop', { out: controlOut });
    expect(run.truth.expected.macChanges.length).toBeGreaterThan(0); // the incident really happens unfixed
    const { analyzeCaptures } = (await import(analyzeModule)) as {
      analyzeCaptures: (p: string[], o?: { linkLogs?: string[] }) => Promise<Analysis>;
    };
    const analysis = await analyzeCaptures([path.join(run.out, run.truth.files.neighbourCapture)], {
      linkLogs: [path.join(run.out, run.truth.files.ipMonitor)],
    });
    expect(analysis.incidents.filter((i) => i.severity !== 'info').length).toBeGreaterThan(0);
    const plan = planFromAnalysis(analysis);
    expect(plan.pinMac).toBe(run.truth.host.uplinkMac);
    const pin = plan.steps.find((s) => s.id === 'pin-bridge-mac')!;
    expect(pin.argv).toEqual(['ip', 'link', 'set', 'dev', plan.bridge ?? 'br0', 'address', run.truth.host.uplinkMac]);
    expect(pin.why).toContain('00:18:51:00:00:01');
    expect(plan.steps.map((s) => s.id)).toContain('openvz-host-mac');
  });
});
