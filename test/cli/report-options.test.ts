/**
 * The analyze report options, parsed by commander and carried out. SYNTHETIC Analysis fixture;
 * the capture is 400 copies of the hand-assembled ARP request (helpers.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addReportOptions, emitReportOutputs, type ReportCliOptions } from '../../src/cli/report-options.js';
import { syntheticAnalysis, syntheticPlan } from '../report/fixtures/synthetic.js';
import { ARP_WHO_HAS, classicPcap, tempDir, writeTemp } from '../report/helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function parse(args: string[]): ReportCliOptions {
  const cmd = addReportOptions(new Command('analyze').exitOverride().configureOutput({ writeErr: () => {} }).argument('<captures...>'));
  cmd.parse(['x.pcap', ...args], { from: 'user' });
  return cmd.opts<ReportCliOptions>();
}

describe('report CLI options', () => {
  it('parses --report with and without a folder, and defaults --fail-on to warning', () => {
    expect(parse([])).toEqual({ failOn: 'warning' });
    expect(parse(['--report'])).toMatchObject({ report: true });
    expect(parse(['--report', 'out', '--name', 'n', '--force', '--annotate', 'a.pcapng', '--fail-on', 'critical']))
      .toEqual({ report: 'out', name: 'n', force: true, annotate: 'a.pcapng', failOn: 'critical' });
  });

  it('rejects an unknown --fail-on (a USAGE error naming the values, which main() turns into exit 2)', () => {
    expect(() => parse(['--fail-on', 'loud'])).toThrow(/--fail-on: expected one of info, warning, critical, never/);
  });

  it('writes reports and the annotated capture, and returns the --fail-on exit code', async () => {
    const capture = writeTemp(tmp.dir, 'neighbour.pcap', classicPcap(Array.from({ length: 400 }, () => ARP_WHO_HAS)));
    const dir = join(tmp.dir, 'r');
    const annotated = join(tmp.dir, 'a.pcapng');
    const opts = parse(['--report', dir, '--annotate', annotated, '--fail-on', 'critical']);
    const out = await emitReportOutputs(syntheticAnalysis(), [capture], opts, { json: {}, plan: syntheticPlan() });
    expect(out.exitCode).toBe(1);
    expect(out.written).toEqual([join(dir, 'synthetic-neighbour.md'), join(dir, 'synthetic-neighbour.html'), join(dir, 'synthetic-neighbour.json'), annotated]);
    expect(existsSync(annotated)).toBe(true);
    // Second run without --force: refused, nothing changed.
    await expect(emitReportOutputs(syntheticAnalysis(), [capture], opts, { json: {} })).rejects.toMatchObject({ code: 'REPORT_EXISTS' });
    expect(readdirSync(dir).sort()).toEqual(['synthetic-neighbour.html', 'synthetic-neighbour.json', 'synthetic-neighbour.md']);
    const never = await emitReportOutputs(syntheticAnalysis(), [capture], { failOn: 'never' }, { json: {} });
    expect(never).toEqual({ written: [], exitCode: 0 });
  });

  it('--annotate refuses stdin input with one line', async () => {
    await expect(emitReportOutputs(syntheticAnalysis(), ['-'], { annotate: join(tmp.dir, 'x.pcapng') }, { json: {} }))
      .rejects.toThrow('-: --annotate cannot re-read a capture from stdin; give a file');
  });
});
