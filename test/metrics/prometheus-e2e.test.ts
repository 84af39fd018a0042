/**
 * End to end with a real Prometheus (Debian's /usr/bin/prometheus): `bridgewatch live
 * --metrics-listen` runs in the lab's host namespace on its bridge, and Prometheus runs in the same
 * namespace, scraping it every second over that namespace's loopback (the simplest design that keeps
 * all traffic on a loopback we created: the root namespace's loopback cannot reach the lab's). The
 * lab then plays guest-start-stop (a guest port with a lower MAC flips the bridge MAC); the incident
 * counter and the bridge MAC change counter are read through Prometheus' HTTP API (/api/v1/query,
 * queried from inside the namespace), before the flip (0) and after (>= 1), and the shipped alert
 * rule BridgewatchBridgeMacChanged must fire. The same run checks `--metrics-textfile` (final file,
 * promtool-clean) and `--fail-on warning` (exit 1 after the flip).
 * Needs root (runs in CI); Prometheus and promtool come from .ci/run's package list.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { runScenario } from '../../tools/lab/index.js';
import { namespaceSkipReason } from '../live/helpers.js';
import { parseExposition, sumOf } from './exposition.js';

const skip = namespaceSkipReason('test/metrics/prometheus-e2e');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');
const RULES = join(ROOT, 'contrib/prometheus/bridgewatch.rules.yml');

/** Runs one instant query through Prometheus' HTTP API from inside `ns`; the sum of the result vector, or null when empty. */
function query(ns: string, port: number, expr: string): Promise<number | null> {
  const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`;
  const script = 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t), (e) => { process.stderr.write(String(e)); process.exit(1); })';
  return new Promise((done) => {
    execFile('ip', ['netns', 'exec', ns, process.execPath, '-e', script, url], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      if (error) return done(null);
      // While it starts (or under load), Prometheus answers 503 "Service Unavailable" as plain text: ask again later.
      let body: { status: string; data: { result: { value: [number, string] }[] } };
      try { body = JSON.parse(stdout) as typeof body; } catch { return done(null); }
      if (body.status !== 'success' || body.data.result.length === 0) return done(null);
      done(body.data.result.reduce((a, r) => a + Number(r.value[1]), 0));
    });
  });
}

/** Polls `expr` every 500 ms until `ok(value)` or `timeoutMs`; the last value. */
async function queryUntil(
  ns: string, port: number, expr: string, ok: (v: number | null) => boolean, timeoutMs: number,
): Promise<number | null> {
  const end = Date.now() + timeoutMs;
  let v = await query(ns, port, expr);
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 500));
    v = await query(ns, port, expr);
  }
  return v;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

describe.skipIf(skip !== null)('Prometheus scrapes live during a lab bridge MAC flip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bwprom-e2e-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the incident counter queried through /api/v1/query goes from 0 to at least 1, and the MAC-changed alert fires', async () => {
    expect(existsSync(join(ROOT, 'dist/metrics/index.js')), 'dist/ missing or stale: run `npm run build` first').toBe(true);
    expect(existsSync('/usr/bin/prometheus'), 'Debian package prometheus not installed (.ci/run installs it)').toBe(true);
    // A fresh namespace has every port free: no race with other tests for these.
    const livePort = randomInt(20_000, 40_000);
    const promPort = livePort + 1;
    const textfile = join(dir, 'collector', 'bridgewatch.prom');
    mkdirSync(join(dir, 'collector'));
    let liveStderr = '';
    let promLog = '';
    let live: ChildProcess | null = null;
    let prom: ChildProcess | null = null;
    let startRecord: Record<string, unknown> | null = null;
    const seen: {
      up: number | null; before: number | null; after: number | null; macChangesBefore: number | null;
      macChanges: number | null; alert: number | null; liveExit: number | null;
    } =
      { up: null, before: null, after: null, macChangesBefore: null, macChanges: null, alert: null, liveExit: null };

    const run = await runScenario('guest-start-stop', {
      out: join(dir, 'lab'),
      onHostReady: async ({ hostNs, bridge }) => {
        const l = spawn('ip', ['netns', 'exec', hostNs, process.execPath, BIN, 'live', '-i', bridge, '--all', '--format', 'ndjson',
          '--metrics-listen', `127.0.0.1:${livePort}`, '--metrics-textfile', textfile, '--stats-interval', '1', '--fail-on', 'warning'],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        live = l;
        children.push(l);
        l.stderr!.on('data', (b: Buffer) => { liveStderr += b.toString(); });
        await new Promise<void>((started, failed) => {
          createInterface({ input: l.stdout! }).on('line', (text) => {
            const record = JSON.parse(text) as Record<string, unknown>;
            if (record['type'] === 'start') { startRecord = record; started(); }
          });
          l.once('exit', (code) => failed(new Error(`live exited early (${code}): ${liveStderr}`)));
        });

        const config = join(dir, 'prometheus.yml');
        writeFileSync(config, [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'rule_files:',
          `  - ${JSON.stringify(RULES)}`,
          'scrape_configs:',
          '  - job_name: bridgewatch',
          '    static_configs:',
          `      - targets: ["127.0.0.1:${livePort}"]`,
          '',
        ].join('\n'));
        const p = spawn('ip', ['netns', 'exec', hostNs, '/usr/bin/prometheus', `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
        prom = p;
        children.push(p);
        p.stdout!.on('data', (b: Buffer) => { promLog += b.toString(); });
        p.stderr!.on('data', (b: Buffer) => { promLog += b.toString(); });
        // Scraping works before any guest starts: the baseline must be a real 0, not a missing series.
        seen.up = await queryUntil(hostNs, promPort, 'up{job="bridgewatch"}', (v) => v === 1, 30_000);
        seen.before = await queryUntil(hostNs, promPort, 'sum(bridgewatch_incidents_total{job="bridgewatch"})', (v) => v !== null, 10_000);
        seen.macChangesBefore = await query(hostNs, promPort, `sum(bridgewatch_bridge_mac_changes_total{bridge="${bridge}"})`);
      },
      beforeCleanup: async ({ hostNs, bridge }) => {
        try {
          seen.after = await queryUntil(hostNs, promPort, 'sum(bridgewatch_incidents_total{job="bridgewatch",kind="bridge-mac-flip"})', (v) => v !== null && v >= 1, 20_000);
          seen.macChanges = await queryUntil(hostNs, promPort, `sum(bridgewatch_bridge_mac_changes_total{bridge="${bridge}"})`, (v) => v !== null && v >= 1, 10_000);
          seen.alert = await queryUntil(hostNs, promPort, `count(ALERTS{alertname="BridgewatchBridgeMacChanged",alertstate="firing",bridge="${bridge}"})`, (v) => v === 1, 10_000);
        } finally {
          live?.kill('SIGINT');
          seen.liveExit = live ? await exited(live) : null;
          prom?.kill('SIGTERM');
          if (prom) await exited(prom);
        }
      },
    });

    const context = `live stderr: ${liveStderr}\nprometheus: ${promLog.slice(-2000)}`;
    expect(run.truth.expected.incidents, 'the lab scenario expects an incident').toBeGreaterThan(0);
    expect(startRecord!['metrics'], context).toBe(`http://127.0.0.1:${livePort}/metrics`);
    expect(seen.up, `Prometheus never scraped live. ${context}`).toBe(1);
    expect(seen.before, context).toBe(0);
    expect(seen.macChangesBefore, context).toBe(0);
    expect(seen.after, context).not.toBeNull();
    expect(seen.after!, context).toBeGreaterThan(seen.before!);
    expect(seen.macChanges!, context).toBeGreaterThanOrEqual(1);
    expect(seen.alert, context).toBe(1);
    // --fail-on warning: the flip is at least a warning, so live exits 1 (not 0, not 2).
    expect(seen.liveExit, context).toBe(1);
    expect(liveStderr).not.toMatch(/internal error/);

    // The textfile written at exit holds the same count and passes promtool's check.
    const text = readFileSync(textfile, 'utf8');
    const samples = parseExposition(text);
    expect(sumOf(samples, 'bridgewatch_incidents_total', { kind: 'bridge-mac-flip' })).toBeGreaterThanOrEqual(seen.after!);
    expect(sumOf(samples, 'bridgewatch_frames_captured_total')).toBeGreaterThan(0);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
});
