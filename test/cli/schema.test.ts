/**
 * Issue 14, item 3: one JSON/NDJSON vocabulary, checked against the shipped JSON Schema
 * (docs/bridgewatch.schema.json, draft 2020-12). Real outputs of `analyze --format json|ndjson`,
 * `stats`, `links` and `audit` on the shipped samples are validated; live's NDJSON is validated
 * in test/live/e2e-lab.test.ts (a real live run in the lab).
 * On the main branch before this change these fail: NDJSON `link-event` records had their `type`
 * overwritten by the event's type (`port-join`), `stats` gave `first`/`last` as `{sec,nsec}` and
 * neither `stats`, `links` nor `audit` JSON carried `schema`; analyze's incident record lacked
 * live's fields (`phase`, `macChanges`, `outageMs`, ...).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { incidentRecord } from '../../src/live/print.js';
import { addBridge, makeRoot, OPENVZ, UPLINK } from '../fixer/fake-host.js';
import { runCli } from './run-cli.js';
import { schemaValidator } from './schema-validator.js';

const SAMPLES = 'samples';
const SCENARIOS = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(SAMPLES, d.name)).some((f) => /^neighbour\.pcap(ng)?$/.test(f)))
  .map((d) => d.name);

function sample(scenario: string): { capture: string; links: string[] } {
  const files = readdirSync(join(SAMPLES, scenario));
  const capture = join(SAMPLES, scenario, files.find((f) => /^neighbour\.pcap(ng)?$/.test(f))!);
  const links = ['ip-monitor.log', 'kernel.log'].filter((f) => files.includes(f)).map((f) => join(SAMPLES, scenario, f));
  return { capture, links };
}

type Obj = Record<string, unknown>;

describe('every JSON output validates against docs/bridgewatch.schema.json', () => {
  it('finds the shipped samples', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(8);
  });

  it.each(SCENARIOS)('analyze %s --format json and ndjson', async (scenario) => {
    const { capture, links } = sample(scenario);
    const linkArgs = links.flatMap((l) => ['--links', l]);
    const json = await runCli(['analyze', capture, ...linkArgs, '--format', 'json', '--fail-on', 'never']);
    expect(json.err).toBe('');
    const doc = JSON.parse(json.out) as Obj;
    expect(schemaValidator('analysis')(doc)).toEqual([]);

    const nd = await runCli(['analyze', capture, ...linkArgs, '--format', 'ndjson', '--fail-on', 'never']);
    const records = nd.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Obj);
    const validate = schemaValidator('ndjsonRecord');
    for (const r of records) expect(validate(r), JSON.stringify(r).slice(0, 200)).toEqual([]);
    // `type` is the record type; a link event's own type is in `event`.
    const linkRecords = records.filter((r) => 'event' in r);
    expect(linkRecords.every((r) => r.type === 'link-event')).toBe(true);
    expect(linkRecords.length).toBe((doc.linkEvents as Obj[]).length);
    expect(linkRecords.map((r) => r.event)).toEqual((doc.linkEvents as Obj[]).map((e) => e.type));
    expect(records.every((r) => r.schema === 'bridgewatch/1')).toBe(true);
  });

  // The public corpus holds what the lab cannot make (ARP poisoning, sparse captures): its kinds
  // and fields must be in the schema too, not only tolerated as strings.
  const PUBLIC = join(SAMPLES, 'public');
  const publicCaptures = readdirSync(PUBLIC).filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f));
  it('analyze --format json on every public corpus capture', async () => {
    expect(publicCaptures.length).toBeGreaterThanOrEqual(30);
    const validate = schemaValidator('analysis');
    const kinds = new Set<string>();
    for (const f of publicCaptures) {
      const r = await runCli(['analyze', join(PUBLIC, f), '--format', 'json', '--fail-on', 'never']);
      const doc = JSON.parse(r.out) as { incidents: Array<{ kind: string }>; findings: Array<{ kind: string }> };
      expect(validate(doc), f).toEqual([]);
      for (const x of [...doc.incidents, ...doc.findings]) kinds.add(x.kind);
    }
    expect(kinds).toContain('arp-spoof');
  }, 120_000);

  it('analyze and live print the same incident record (same fields, stable id), phase final offline', async () => {
    const { capture, links } = sample('guest-start-stop');
    const nd = await runCli(['analyze', capture, ...links.flatMap((l) => ['--links', l]), '--format', 'ndjson']);
    const offline = nd.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Obj).filter((r) => r.type === 'incident');
    const analysis = await analyzeCaptures([capture], { linkLogs: links });
    const live = analysis.incidents.map((i) => JSON.parse(JSON.stringify(incidentRecord(i, analysis.findings, 'final'))) as Obj);
    expect(offline).toHaveLength(1);
    expect(offline).toEqual(live);
    expect(offline[0]).toMatchObject({ type: 'incident', phase: 'final', id: 'I1' });
    expect(Object.keys(offline[0]!)).toEqual(expect.arrayContaining(['findings', 'macChanges', 'outageMs', 'cause', 'frames']));
  });

  it('stats --format json: schema and ISO first/last', async () => {
    const captures = SCENARIOS.map((s) => sample(s).capture);
    const r = await runCli(['stats', ...captures, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { schema: string; captures: Obj[] };
    expect(schemaValidator('stats')(doc)).toEqual([]);
    expect(doc.schema).toBe('bridgewatch/1');
    expect(doc.captures[0]!.first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('links --format json on every recorded link log', async () => {
    const dir = join(SAMPLES, 'linklogs');
    const logs = readdirSync(dir).filter((f) => /\.(log|json)$/.test(f) && !f.startsWith('not-') && !f.startsWith('damaged'));
    expect(logs.length).toBeGreaterThan(5);
    for (const log of logs) {
      const r = await runCli(['links', join(dir, log), '--format', 'json', '--year', '2026']);
      expect(r.code, `${log}: ${r.err}`).toBe(0);
      const doc = JSON.parse(r.out) as Obj;
      expect(schemaValidator('links')(doc), log).toEqual([]);
      expect(doc.schema).toBe('bridgewatch/1');
    }
  });

  describe('audit --format json', () => {
    let root: string;
    let cleanup: () => void;
    beforeEach(() => ({ root, cleanup } = makeRoot()));
    afterEach(() => cleanup());

    it('validates, with schema', async () => {
      addBridge(root, { name: 'br0', mac: OPENVZ, addrAssignType: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }] });
      const r = await runCli(['audit', '--root', root, '--format', 'json']);
      const doc = JSON.parse(r.out) as Obj;
      expect(schemaValidator('audit')(doc)).toEqual([]);
      expect(doc.schema).toBe('bridgewatch/1');
      expect((doc.audits as Obj[]).length).toBe(1);
    });

    it('fix --format json (the dry-run plan) validates, with schema', async () => {
      addBridge(root, { name: 'br0', mac: OPENVZ, addrAssignType: 1, ports: [{ name: 'eth0', mac: UPLINK, physical: true }, { name: 'veth101.0', mac: OPENVZ }] });
      const r = await runCli(['fix', 'br0', '--root', root, '--format', 'json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out) as Obj;
      expect(schemaValidator('fix')(doc)).toEqual([]);
      expect(doc.schema).toBe('bridgewatch/1');
    });
  });

  it('the schema rejects what it should: a record whose type was overwritten, {sec,nsec} times', () => {
    expect(schemaValidator('ndjsonRecord')({ schema: 'bridgewatch/1', type: 'port-join', time: null, source: 'x', ifname: 'a' })).not.toEqual([]);
    const stats = { schema: 'bridgewatch/1', captures: [{ path: 'a', format: 'pcap', gzip: false, linkTypes: [], interfaces: [], packets: 0,
      bytes: 0, first: { sec: 1, nsec: 0 }, last: null, arp: 0, ndp: 0, stp: 0, ip: 0, vlanTagged: 0,
      anomalies: {}, anomalyExamples: [] }] };
    expect(schemaValidator('stats')(stats)).not.toEqual([]);
    expect(readFileSync('docs/schema.md', 'utf8')).toContain('bridgewatch.schema.json');
  });
});
