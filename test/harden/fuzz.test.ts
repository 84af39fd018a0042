/**
 * The CI fuzz pass: a bounded campaign over the shipped samples, run by the real `npm run fuzz`
 * program (tools/fuzz/cli.ts, built into build/tools/ by test/global-setup.ts), so each case runs in a worker thread
 * under the watchdog: a case that does not answer within 10 s is a hang (an in-process loop could
 * not be interrupted), one over 2 s of CPU is slow, a worker killed by its 512 MiB heap limit is a
 * memory failure. Every case must end ok or as a BridgewatchError with a code and a location.
 * The full 100k+ pass is recorded in docs/hardening.md. Failing inputs are listed with the command
 * that replays them; CI writes them to a scratch folder, not to test/regressions/.
 * Env: FUZZ_SEED (default 20261121), FUZZ_CASES (default 20000).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seed = Number(process.env.FUZZ_SEED ?? 20261121);
const cases = Number(process.env.FUZZ_CASES ?? 20_000);
const repo = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(repo, 'build', 'tools'); // built by test/global-setup.ts (tools/tsconfig.json)
const saveDir = mkdtempSync(path.join(tmpdir(), 'bwhs-fuzz-'));

beforeAll(() => {
  if (!existsSync(path.join(outDir, 'fuzz/cli.js'))) throw new Error(`${outDir}/fuzz/cli.js missing: run npm run build (tools/tsconfig.json)`);
});

afterAll(() => {
  rmSync(saveDir, { recursive: true, force: true });
});

interface Summary {
  cases: number; ok: number; rejected: number; crashes: number; hangs: number; slow: number; memory: number;
  rejectedByCode: Record<string, number>;
}

function runFuzz(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(outDir, 'fuzz/cli.js'), ...args], {
      cwd: repo, env: { ...process.env, FUZZ_SAMPLES_DIR: path.join(repo, 'samples'), FUZZ_SAVE_DIR: saveDir, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
}

describe('fuzz pass', () => {
  it('the watchdog reports a case that never answers as a hang and carries on', async () => {
    const { code, stdout } = await runFuzz(['--seed', '7', '--cases', '6', '--hang-ms', '3000', '--no-save'], { FUZZ_SELFTEST_HANG: '3' });
    const summary = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as Summary;
    expect(summary.hangs).toBe(1);
    expect(summary.ok + summary.rejected).toBe(5);
    expect(code).toBe(1);
  }, 60_000);

  it(`seed ${seed}: ${cases} mutated captures and link logs, 0 crashes, 0 hangs, 0 slow, 0 memory`, async () => {
    const { code, stdout, stderr } = await runFuzz(['--seed', String(seed), '--cases', String(cases)]);
    const lines = stdout.trim().split('\n');
    console.log(lines.at(-1));
    const failures = stderr.split('\n').filter((l) => / at case \d+ /.test(l));
    for (const f of failures.slice(0, 20)) console.log(f);
    const summary = JSON.parse(lines.find((l) => l.startsWith('{')) ?? '{}') as Summary;
    expect(summary.cases).toBe(cases);
    // Damaged input must mostly be rejected cleanly, and some must still parse: both paths ran.
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.ok).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect({ crashes: summary.crashes, hangs: summary.hangs, slow: summary.slow, memory: summary.memory })
      .toEqual({ crashes: 0, hangs: 0, slow: 0, memory: 0 });
    expect(code).toBe(0);
  }, 300_000);
});
