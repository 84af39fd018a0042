/**
 * Prometheus' own checker on what bridgewatch ships and exports: `promtool check metrics` on the
 * exposition (library, HTTP endpoint, node_exporter textfile), `promtool check rules` and
 * `promtool test rules` on contrib/prometheus. promtool comes with Debian's `prometheus` package
 * (installed by .ci/run); without it these skip with a printed reason, except in CI.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeCaptures } from '../../src/analyze.js';
import { incidentRecord } from '../../src/live/print.js';
import { LiveMetrics, startMetricsServer, TextfileWriter, withProcessMetrics } from '../../src/metrics/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RULES_DIR = join(ROOT, 'contrib/prometheus');
const SAMPLE = join(ROOT, 'samples/guest-start-stop');

function promtoolSkipReason(): string | null {
  if (spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0) return null;
  if (process.env['CI']) return null; // CI installs it: fail loudly there
  const reason = 'test/metrics/promtool: skipped, promtool not installed (apt-get install prometheus)';
  process.stderr.write(`${reason}\n`);
  return reason;
}
const skip = promtoolSkipReason();

function promtool(args: string[], input?: string, cwd = ROOT): { code: number | null; out: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A metric set holding what the guest-start-stop lab run produced, plus a fake bridge in sysfs. */
async function fedMetrics(dir: string): Promise<LiveMetrics> {
  const net = join(dir, 'sys');
  mkdirSync(join(net, 'br0', 'bridge'), { recursive: true });
  mkdirSync(join(net, 'br0', 'brif', 'vnet0'), { recursive: true });
  writeFileSync(join(net, 'br0', 'addr_assign_type'), '1\n');
  writeFileSync(join(net, 'br0', 'brif', 'vnet0', 'state'), '3\n');
  const analysis = await analyzeCaptures([join(SAMPLE, 'br0.pcapng')], { linkLogs: [join(SAMPLE, 'ip-monitor.log')] });
  const m = new LiveMetrics({ iface: 'br0', bridges: ['br0'], sysNet: net });
  for (const i of analysis.incidents) m.onIncident(incidentRecord(i, analysis.findings, 'final'));
  for (const e of analysis.linkEvents) m.onLinkEvent(e);
  m.onStats({
    captured: 1200, received: 1200, queueDrops: 2, truncated: 0, interfaceFrames: 1210, interfaceRxDropped: 0, kernelDropsEstimate: 10,
  });
  return m;
}

describe.skipIf(skip !== null)('promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bwpromtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check metrics finds nothing wrong in the library exposition', async () => {
    const text = await (await fedMetrics(join(dir, 'lib'))).exposition();
    expect(text).toContain('bridgewatch_incidents_total{iface="br0",kind="bridge-mac-flip"');
    const r = promtool(['check', 'metrics'], text);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('check metrics would catch a badly named series (the check is not a no-op)', () => {
    const r = promtool(['check', 'metrics'], '# HELP bridgewatch_incidents incidents\n# TYPE bridgewatch_incidents counter\nbridgewatch_incidents 1\n');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/counter metrics should have "_total" suffix/);
  });

  it('check metrics finds nothing wrong in what the HTTP endpoint serves', async () => {
    const m = await fedMetrics(join(dir, 'http'));
    const registry = withProcessMetrics(m.registry);
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, loopback: true }, () => registry.metrics());
    try {
      const res = await fetch(server.url);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain('bridgewatch_bridge_mac_pinned{bridge="br0"} 0');
      expect(text).toContain('process_resident_memory_bytes');
      const r = promtool(['check', 'metrics'], text);
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('check metrics finds nothing wrong in the textfile, written atomically without leftovers', async () => {
    const m = await fedMetrics(join(dir, 'textfile'));
    const out = join(dir, 'collector');
    mkdirSync(out);
    const writer = new TextfileWriter(join(out, 'bridgewatch.prom'), () => m.exposition());
    await writer.write();
    await writer.write();
    expect(readdirSync(out)).toEqual(['bridgewatch.prom']);
    const text = readFileSync(join(out, 'bridgewatch.prom'), 'utf8');
    expect(text).toContain('bridgewatch_stp_port_state{bridge="br0",port="vnet0"} 3');
    expect(text).not.toContain('process_');
    const r = promtool(['check', 'metrics'], text);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('check rules accepts contrib/prometheus/bridgewatch.rules.yml', () => {
    const r = promtool(['check', 'rules', 'bridgewatch.rules.yml'], undefined, RULES_DIR);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });

  it('test rules passes contrib/prometheus/bridgewatch.rules.test.yml', () => {
    const r = promtool(['test', 'rules', 'bridgewatch.rules.test.yml'], undefined, RULES_DIR);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.code).toBe(0);
  });
});
