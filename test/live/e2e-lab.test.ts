/**
 * End to end: `bridgewatch live` runs inside the lab's host namespace on the bridge (started from
 * the lab's onHostReady hook, before any guest) while the lab plays `guest-start-stop` (IPv4,
 * `--all`) and `guest-start-stop-v6` (default filter). The
 * incident (bridge MAC flip, outage, cause from live rtnetlink) must be printed during the run
 * and in the postmortem, and agree with offline analysis of the frames saved by --save.
 * Runs the built CLI (bin/bridgewatch.js -> dist/, built by `npm ci`'s prepare). Needs root.
 */
import { schemaValidator } from '../cli/schema-validator.js';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { runScenario, type LabRun } from '../../tools/lab/index.js';
import { analyzeCaptures } from '../../src/analyze.js';

import { incidentRecord, type LiveIncidentRecord } from '../../src/live/print.js';
import { namespaceSkipReason } from './helpers.js';

const skip = namespaceSkipReason('test/live/e2e-lab');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');
const OPENVZ_PORT_MAC = '00:18:51:00:00:01';

interface Line { atMs: number; record: Record<string, unknown> }

/** `analyze` (library) of the saved frames with the lab's recorded `ip -ts monitor link` log. */
async function analyzeSaved(path: string, linkLog: string): Promise<LiveIncidentRecord[]> {
  const analysis = await analyzeCaptures([path], { linkLogs: [linkLog] });
  expect(analysis.captures[0]?.error).toBeUndefined();
  return analysis.incidents.map((i) => incidentRecord(i, analysis.findings, 'final'));
}

// IPv4 needs --all to see the echo traffic toward the stale MAC; IPv6 (ND and ICMPv6 echo) is
// inside the default filter, so that run also proves the default filter is enough there.
const CASES = [
  { scenario: 'guest-start-stop', filterArgs: ['--all'] },
  { scenario: 'guest-start-stop-v6', filterArgs: [] },
] as const;

describe.skipIf(skip !== null)('live on the lab bridge during guest-start-stop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bwlv-e2e-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)('$scenario $filterArgs: prints the incident as it happens and agrees with offline analysis', async ({ scenario, filterArgs }) => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    const save = join(dir, `${scenario}.pcapng`);
    const reportDir = join(dir, `${scenario}-report`);
    const lines: Line[] = [];
    let stderr = '';
    let bridge = '';
    const t0 = Date.now();
    let exit: Promise<number | null> = Promise.resolve(null);

    const run: LabRun = await runScenario(scenario, {
      out: join(dir, `${scenario}-lab`),
      onHostReady: async (ctx) => {
        bridge = ctx.bridge;
        const c = spawn('ip', ['netns', 'exec', ctx.hostNs, process.execPath, BIN, 'live', '-i', ctx.bridge, ...filterArgs, '--format', 'ndjson',
          '--save', save, '--report', reportDir, '--stats-interval', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        child = c;
        exit = new Promise((r) => c.on('exit', (code) => r(code)));
        c.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
        const rl = createInterface({ input: c.stdout! });
        // The hook returns once live captures: only then does the lab start the guest.
        await new Promise<void>((started, failed) => {
          rl.on('line', (text) => {
            const record = JSON.parse(text) as Record<string, unknown>;
            lines.push({ atMs: Date.now() - t0, record });
            if (record['type'] === 'start') started();
          });
          c.on('exit', (code) => failed(new Error(`live exited early (${code}): ${stderr}`)));
        });
      },
    });
    const labDoneMs = Date.now() - t0;
    child!.kill('SIGINT');
    const code = await exit;
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);

    // Every line is a bridgewatch/1 NDJSON record (docs/bridgewatch.schema.json; issue 14 item 3).
    const validate = schemaValidator('ndjsonRecord');
    for (const l of lines) expect(validate(l.record), JSON.stringify(l.record).slice(0, 200)).toEqual([]);
    const port = run.truth.guests[0]!.port;
    const incidentsDuring = lines.filter((l) => l.record['type'] === 'incident' && l.atMs < labDoneMs).map((l) => l.record as unknown as LiveIncidentRecord);
    // During the run: the flip to the guest port's MAC and the outage toward it.
    expect(incidentsDuring.some((r) => r.macChanges.some((m) => m.to === OPENVZ_PORT_MAC))).toBe(true);
    expect(incidentsDuring.some((r) => r.outageMs !== null && r.staleMac === OPENVZ_PORT_MAC)).toBe(true);
    expect(incidentsDuring.some((r) => r.cause?.code === 'bridge-lowest-mac')).toBe(true);
    // The port join came from live rtnetlink.
    expect(lines.some((l) => l.record['type'] === 'link-event' && l.record['event'] === 'port-join' && l.record['ifname'] === port)).toBe(true);
    // Drop counters were reported while running.
    const stats = lines.filter((l) => l.record['type'] === 'stats');
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.every((l) => l.record['queueDrops'] === 0)).toBe(true);

    // The postmortem lines: one final incident, a flip A -> B -> A with an outage, cause from netlink.
    const finals = lines.filter((l) => l.record['type'] === 'incident' && l.record['phase'] === 'final').map((l) => l.record as unknown as LiveIncidentRecord);
    expect(finals).toHaveLength(run.truth.expected.incidents);
    const final = finals[0]!;
    const uplinkMac = run.truth.host.uplinkMac;
    expect(final.kind).toBe('bridge-mac-flip');
    expect(final.ip).toBe(run.truth.expected.macChanges[0]!.ip);
    expect(final.macChanges.map((m) => [m.from, m.to])).toEqual([[uplinkMac, OPENVZ_PORT_MAC], [OPENVZ_PORT_MAC, uplinkMac]]);
    expect(final.cause?.code).toBe('bridge-lowest-mac');
    expect(final.cause?.port).toBe(port);
    // Outage as the host's bridge sees it vs. the neighbour's ping gap (truth): same event.
    const truthOutage = run.truth.expected.outages[0]!;
    expect(final.outageMs).not.toBeNull();
    expect(Math.abs(final.outageMs! - truthOutage.durationMs)).toBeLessThan(500);

    const end = lines.find((l) => l.record['type'] === 'end')!.record;
    expect(end['stoppedBy']).toBe('signal');
    expect(end['savedFiles']).toEqual([save]);

    // The report written at the end holds the same incident and the drop counters.
    const report = JSON.parse(readFileSync(join(reportDir, `live-${bridge}.json`), 'utf8')) as {
      incidents: { id: string; ip: string; kind: string; cause?: { code: string } }[];
      live: { stats: { captured: number; queueDrops: number }; stoppedBy: string };
    };
    expect(schemaValidator('analysis')(report)).toEqual([]);
    expect(report.incidents.map((i) => [i.kind, i.cause?.code])).toEqual([['bridge-mac-flip', 'bridge-lowest-mac']]);
    // Under the id of the first line printed for it (issue 16: ids are fixed when an incident opens).
    const firstLine = lines.map((l) => l.record).find((r) => r['type'] === 'incident' && r['ip'] === report.incidents[0]!.ip);
    expect(firstLine?.['phase']).toBe('open');
    expect(report.incidents[0]!.id).toBe(firstLine?.['id']);
    expect(final.id).toBe(firstLine?.['id']);
    expect(report.live.stoppedBy).toBe('signal');
    expect(report.live.stats.captured).toBeGreaterThan(0);
    expect(existsSync(join(reportDir, `live-${bridge}.html`))).toBe(true);

    // Offline analysis of the saved frames agrees: same incident, same times (same timestamps).
    const offline = await analyzeSaved(save, join(run.out, 'ip-monitor.log'));
    const strip = (r: LiveIncidentRecord) => ({
      kind: r.kind, ip: r.ip, start: r.start, end: r.end, macChanges: r.macChanges, outageMs: r.outageMs, staleMac: r.staleMac,
      frames: r.frames,
      cause: r.cause?.code, port: r.cause?.port,
    });
    expect(offline.map(strip)).toEqual(finals.map(strip));
  });
});
