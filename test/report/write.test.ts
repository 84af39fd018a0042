/**
 * Report files: names, atomic writes, no overwrite without force. SYNTHETIC Analysis fixture.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/atomic-file.js';
import { reportName, writeReports } from '../../src/report/write.js';
import { BridgewatchError } from '../../src/errors.js';
import { syntheticAnalysis, syntheticPlan } from './fixtures/synthetic.js';
import { tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function codeOf(fn: () => unknown): string | null {
  try { fn(); return null; } catch (e) { return e instanceof BridgewatchError ? `${e.code}: ${e.message}` : String(e); }
}

describe('reportName', () => {
  it('takes the first capture\'s folder and basename without capture extensions, or a sanitised --name', () => {
    // Issue #14 item 9: every recorded run's capture is neighbour.pcap, and main named every report
    // "neighbour", so the second run's reports collided with the first's.
    const a = syntheticAnalysis();
    expect(reportName(a)).toBe('synthetic-neighbour');
    a.captures[0]!.path = '/x/y/br0.pcapng.gz';
    expect(reportName(a)).toBe('y-br0');
    a.captures.push({ ...a.captures[0]!, path: '/x/z/br0.pcap' }, { ...a.captures[0]!, path: '/x/w/br0.pcap' });
    expect(reportName(a)).toBe('y-br0-and-2-more');
    a.captures.length = 1;
    a.captures[0]!.path = '-';
    expect(reportName(a)).toBe('stdin-20261121T090900Z'); // the first packet's time
    a.captures[0]!.first = null;
    expect(reportName(a)).toBe('stdin');
    expect(reportName(a, '../../etc/passwd')).toBe('__.._etc_passwd'); // no separator survives
    expect(reportName(a, 'incident 42')).toBe('incident_42');
  });
});

describe('writeReports', () => {
  it('writes NAME.md, NAME.html, NAME.json and nothing else (no temp files left)', () => {
    const dir = join(tmp.dir, 'reports');
    const paths = writeReports(syntheticAnalysis(), dir, { plan: syntheticPlan(), json: { schema: 'bridgewatch/1', marker: 42 } });
    expect(readdirSync(dir).sort()).toEqual(['synthetic-neighbour.html', 'synthetic-neighbour.json', 'synthetic-neighbour.md']);
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toEqual({ schema: 'bridgewatch/1', marker: 42 });
    expect(readFileSync(paths.markdown, 'utf8')).toContain('# bridgewatch report: samples/synthetic/neighbour.pcap');
    expect(readFileSync(paths.html, 'utf8')).toContain('<title>bridgewatch report: samples/synthetic/neighbour.pcap</title>');
  });

  it('refuses to overwrite any existing report without force, changing none of them', () => {
    const dir = tmp.dir;
    writeFileSync(join(dir, 'synthetic-neighbour.html'), 'old html');
    const err = codeOf(() => writeReports(syntheticAnalysis(), dir, { plan: null, json: {} }));
    expect(err).toBe(`REPORT_EXISTS: ${join(dir, 'synthetic-neighbour.html')}: already exists (use --force to overwrite)`);
    expect(readdirSync(dir)).toEqual(['synthetic-neighbour.html']);
    expect(readFileSync(join(dir, 'synthetic-neighbour.html'), 'utf8')).toBe('old html');
  });

  it('replaces existing reports with force', () => {
    const dir = tmp.dir;
    writeFileSync(join(dir, 'synthetic-neighbour.md'), 'old');
    writeReports(syntheticAnalysis(), dir, { plan: null, json: {}, force: true });
    expect(readFileSync(join(dir, 'synthetic-neighbour.md'), 'utf8')).toMatch(/^# bridgewatch report/);
    expect(readdirSync(dir).sort()).toEqual(['synthetic-neighbour.html', 'synthetic-neighbour.json', 'synthetic-neighbour.md']);
  });

  it('fails with one line naming the folder when it cannot be created', () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, '');
    const err = codeOf(() => writeReports(syntheticAnalysis(), join(file, 'sub'), { plan: null, json: {} }));
    expect(err).toMatch(/^REPORT_WRITE_FAILED: .*a-file\/sub: cannot create the report folder/);
    expect(err).not.toContain('\n');
  });
});

describe('writeFileAtomic', () => {
  it('never exposes a partial file: the target appears complete, via a temp file in the same folder', () => {
    const target = join(tmp.dir, 'r.md');
    const big = 'x'.repeat(4 << 20);
    writeFileAtomic(target, big);
    expect(readFileSync(target, 'utf8').length).toBe(big.length);
    expect(readdirSync(tmp.dir)).toEqual(['r.md']);
  });

  it('an existing target survives a refused write byte for byte, and the temp file is removed', () => {
    const target = join(tmp.dir, 'r.md');
    writeFileSync(target, 'keep me');
    expect(codeOf(() => writeFileAtomic(target, 'new'))).toMatch(/^REPORT_EXISTS/);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    writeFileAtomic(target, 'new', { force: true });
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(tmp.dir)).toEqual(['r.md']);
  });
});
