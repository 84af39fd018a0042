/**
 * Issue #14 item 10, the real CLI (dist/, built by test/global-setup.ts) as a child process: a
 * progress line with packets and rate while reading stdin (no percentage: the size is unknown) and
 * while `--annotate` re-reads the capture; none at all when stderr is a pipe, as in CI logs.
 * BRIDGEWATCH_PROGRESS=1 forces the line on a pipe so that it can be checked here. On the main
 * branch the variable did not exist, stdin and --annotate had no progress and no line had a count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { sampleInputs } from './samples.js';

const { capture } = sampleInputs('guest-start-stop');
const bytes = readFileSync(capture);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

function bridgewatch(args: string[], env: Record<string, string>, input?: Buffer): { code: number | null; stderr: string } {
  const { CI: _ci, BRIDGEWATCH_PROGRESS: _p, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['bin/bridgewatch.js', ...args], { input, env: { ...rest, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('progress on stderr', () => {
  it('stdin: bytes, packets and packets/s, no percentage', () => {
    const r = bridgewatch(['analyze', '-', '--fail-on', 'never'], { BRIDGEWATCH_PROGRESS: '1' }, bytes);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('bridgewatch: reading'));
    expect(lines.length).toBeGreaterThan(0);
    const last = lines.at(-1)!;
    expect(last).toMatch(/^bridgewatch: reading [\d.]+ kB, [\d,]+ packets, [\d,]+ packets\/s$/);
    expect(last).toContain(`${(bytes.length / 1000).toFixed(1)} kB`);
    expect(last).not.toContain('%');
    const packets = Number(/([\d,]+) packets,/.exec(last)![1]!.replace(/,/g, ''));
    expect(packets).toBeGreaterThan(100);
  });

  it('--annotate: a second line while the capture is re-read, with the same packet count', () => {
    const out = join(tmp.dir, 'a.pcapng');
    const r = bridgewatch(['analyze', capture, '--annotate', out, '--fail-on', 'never'], { BRIDGEWATCH_PROGRESS: '1' });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const count = (label: string): number => {
      const last = r.stderr.split('\n').filter((l) => l.startsWith(`bridgewatch: ${label} [`)).at(-1) ?? '';
      expect(last, label).toMatch(/\] 100% [\d.]+ \/ [\d.]+ kB, [\d,]+ packets, [\d,]+ packets\/s$/);
      return Number(/([\d,]+) packets,/.exec(last)![1]!.replace(/,/g, ''));
    };
    expect(count('annotating')).toBe(count('reading'));
  });

  it('a pipe (CI logs) gets no progress at all, with or without CI set', () => {
    for (const env of [{}, { CI: 'true' }] as Array<Record<string, string>>) {
      const r = bridgewatch(['analyze', '-', '--fail-on', 'never'], env, bytes);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/reading|packets\/s|\r/);
    }
  });
});
