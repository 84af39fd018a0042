/**
 * The bridgewatch/1 JSON and NDJSON contract (docs/schema.md), and the `analyze` command's output
 * and exit codes, on the lab's guest-start-stop sample (a real neighbour capture) and the
 * announced-failover negative control.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { toJson } from '../../src/report/json.js';
import { toNdjson } from '../../src/report/ndjson.js';
import { main } from '../../src/cli/main.js';

const FLIP = 'samples/guest-start-stop/neighbour.pcap';
const NEGATIVE = 'samples/announced-failover/neighbour.pcap';
const ISO_NS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

type Obj = Record<string, unknown>;

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('bridgewatch/1 JSON', async () => {
  const analysis = await analyzeCaptures([FLIP]);
  const doc = JSON.parse(JSON.stringify(toJson(analysis))) as Obj;

  it('has the contract top level', () => {
    expect(doc.schema).toBe('bridgewatch/1');
    for (const key of ['captures', 'incidents', 'findings']) expect(Array.isArray(doc[key])).toBe(true);
    const cap = (doc.captures as Obj[])[0]!;
    expect(cap.path).toBe(FLIP);
    expect(cap.packets).toBeGreaterThan(100);
    expect(cap.first).toMatch(ISO_NS);
  });

  it('findings carry kind, ip, vlan, ISO times, duration, frames and MAC strings', () => {
    const findings = doc.findings as Obj[];
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const f of findings) {
      expect(['mac-change', 'ip-clash', 'reply-gap', 'arp-storm']).toContain(f.kind);
      expect(f.ip).toBe('192.0.2.1');
      expect(f.vlan).toBeNull();
      expect(f.start).toMatch(ISO_NS);
      expect(f.end).toMatch(ISO_NS);
      expect(typeof f.durationMs).toBe('number');
      expect((f.frames as number[]).every((n) => Number.isInteger(n) && n > 0)).toBe(true);
      expect((f.frameFiles as number[]).length).toBe((f.frames as number[]).length);
    }
    const change = findings.find((f) => f.kind === 'mac-change')!;
    expect(change.fromMac).toBe('b4:99:ba:11:22:33');
    expect(change.toMac).toBe('00:18:51:00:00:01');
    expect(change.announced).toBe(false);
    expect((change.sequence as string[]).every((m) => MAC.test(m))).toBe(true);
    const gap = findings.find((f) => f.kind === 'reply-gap')!;
    expect(gap.staleMac).toBe('00:18:51:00:00:01');
    expect(gap.answeredBy).toBe('b4:99:ba:11:22:33');
  });

  it('incidents reference findings by index and carry the cause', () => {
    const incidents = doc.incidents as Obj[];
    expect(incidents).toHaveLength(1);
    const inc = incidents[0]!;
    expect(inc).toMatchObject({ id: 'I1', kind: 'bridge-mac-flip', ip: '192.0.2.1', vlan: null });
    expect(['warning', 'critical']).toContain(inc.severity);
    for (const i of inc.findings as number[]) expect((doc.findings as Obj[])[i]).toBeDefined();
    expect((inc.cause as Obj | undefined)?.code).toBeTypeOf('string');
  });

  it('NDJSON: header first, one finding/incident per line, end record last', () => {
    const lines = toNdjson(analysis).trimEnd().split('\n').map((l) => JSON.parse(l) as Obj);
    expect(lines[0]).toMatchObject({ type: 'header', schema: 'bridgewatch/1' });
    expect(lines.at(-1)).toEqual({ schema: 'bridgewatch/1', type: 'end', incidents: 1, findings: analysis.findings.length });
    expect(lines.filter((l) => l.type === 'finding')).toHaveLength(analysis.findings.length);
    expect(lines.filter((l) => l.type === 'incident').map((l) => l.kind)).toEqual(['bridge-mac-flip']);
  });
});

describe('bridgewatch analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bwdt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 with an incident and prints the JSON document', async () => {
    const r = await runCli(['analyze', FLIP, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as Obj;
    expect((doc.incidents as Obj[])[0]?.kind).toBe('bridge-mac-flip');
  });

  it('exits 0 on the announced-failover negative control (table)', async () => {
    const r = await runCli(['analyze', NEGATIVE]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.length).toBeGreaterThan(0);
  });

  it('a truncated capture: one error line naming file and byte offset, exit 2, output kept', async () => {
    const whole = readFileSync(FLIP);
    const cut = join(dir, 'cut.pcap');
    // Cut inside a record, after the flip's second half began (70 % of the file).
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7) + 3));
    expect(statSync(cut).size).toBeLessThan(whole.length);
    const r = await runCli(['analyze', cut, '--format', 'ndjson']);
    expect(r.code).toBe(2);
    const errLines = r.err.trimEnd().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toContain(cut);
    expect(errLines[0]).toMatch(/byte \d+/);
    const records = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Obj);
    const header = records[0]!;
    expect(((header.captures as Obj[])[0]!.error as Obj).code).toBe('CAPTURE_TRUNCATED');
    expect(records.some((l) => l.type === 'finding')).toBe(true);
  });

  it('rejects a bad --format and an unknown --set with exit 2', async () => {
    expect((await runCli(['analyze', FLIP, '--format', 'xml'])).code).toBe(2);
    const r = await runCli(['analyze', FLIP, '--set', 'bogus=1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--set: unknown option "bogus"/);
  });

  it('--set changes detection: a 10 s gap threshold hides the 2.9 s outage', async () => {
    const r = await runCli(['analyze', FLIP, '--format', 'json', '--set', 'gapThresholdMs=10000']);
    const doc = JSON.parse(r.out) as Obj;
    expect((doc.findings as Obj[]).some((f) => f.kind === 'reply-gap')).toBe(false);
    expect((doc.options as Obj).gapThresholdMs).toBe(10000);
  });
});

describe('docs/schema.md', () => {
  it('documents every detection option with its real default', async () => {
    const { DEFAULT_DETECT_OPTIONS } = await import('../../src/detect/options.js');
    const doc = readFileSync('docs/schema.md', 'utf8');
    for (const [name, value] of Object.entries(DEFAULT_DETECT_OPTIONS)) {
      const row = new RegExp(`^\\| \`${name}\` \\| (\\d+) \\|`, 'm').exec(doc);
      expect(row, `docs/schema.md row for ${name}`).not.toBeNull();
      expect(Number(row![1]), name).toBe(value);
    }
  });
});
