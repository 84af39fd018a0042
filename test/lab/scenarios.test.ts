/**
 * Runs every lab scenario for real (network namespaces, short timers) and checks each recorded run
 * against its truth, then that no namespace of this process is left — also after a failure in the
 * onHostReady hook and after Ctrl-C (SIGINT) of the CLI. Needs root: in CI (CI=true, root) it runs;
 * elsewhere without root it is skipped with a printed reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRun } from './check-run.js';
import { SCENARIO_NAMES, listLabNamespaces, removeStaleNamespaces, runScenario, type ScenarioName } from '../../tools/lab/index.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const skip = !isRoot && !process.env.CI;
if (skip) console.log('test/lab/scenarios: skipped: needs root to build network namespaces (and CI is not set)');

const ROOT = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'bwlab-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)('lab scenarios (root, short timers)', () => {
  const cases: Array<{ name: ScenarioName; fixed: boolean }> = [
    ...SCENARIO_NAMES.map((name) => ({ name, fixed: false })),
    { name: 'guest-start-stop', fixed: true },
  ];
  for (const { name, fixed } of cases) {
    it(`${name}${fixed ? ' --fixed' : ''} records a run that matches its truth and leaves no namespace`, async () => {
      const out = join(work, `${name}${fixed ? '-fixed' : ''}`);
      let hookSaw: { hostNs: string; bridge: string; uplink: string } | null = null;
      let nsAtCleanup: string[] = [];
      const run = await runScenario(name, {
        out, fixed,
        onHostReady: async (ctx) => {
          hookSaw = ctx;
          // The host exists when the hook runs: the bridge is visible inside its namespace.
          execFileSync('ip', ['-n', ctx.hostNs, 'link', 'show', ctx.bridge], { stdio: 'ignore' });
        },
        beforeCleanup: async () => { nsAtCleanup = listLabNamespaces(process.pid); },
      });
      expect(hookSaw).toEqual({ hostNs: run.truth.host.ns, bridge: run.truth.host.bridge, uplink: run.truth.host.uplink });
      expect(nsAtCleanup).toContain(run.truth.host.ns);
      expect(run.truth.host.pinned).toBe(fixed);
      checkRun(out);
      expect(listLabNamespaces(process.pid)).toEqual([]);
    });
  }

  it('removes its namespaces when the onHostReady hook fails', async () => {
    let seen: string[] = [];
    await expect(runScenario('guest-start-stop', {
      out: join(work, 'hook-fails'),
      onHostReady: async () => {
        seen = listLabNamespaces(process.pid);
        throw new Error('hook failed on purpose');
      },
    })).rejects.toThrow('hook failed on purpose');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(listLabNamespaces(process.pid)).toEqual([]);
  });

  it('cleanup removes namespaces of dead lab processes only', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const stale = `bwlab-${dead.pid}-1-hv`;
    const mine = `bwlab-${process.pid}-999-hv`;
    try {
      for (const ns of [stale, mine]) execFileSync('ip', ['netns', 'add', ns]);
      const removed = removeStaleNamespaces();
      expect(removed).toContain(stale);
      expect(listLabNamespaces(dead.pid)).toEqual([]);
      expect(listLabNamespaces(process.pid)).toEqual([mine]);
    } finally {
      for (const ns of [stale, mine]) try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* gone */ }
    }
  });

  it('removes its namespaces on Ctrl-C (SIGINT) of the CLI', async () => {
    const cli = join(ROOT, 'build', 'tools', 'lab', 'cli.js'); // built by test/global-setup.ts (tools/tsconfig.json)
    const child = spawn(process.execPath, [cli, 'guest-start-stop', '--quiet', '--out', join(work, 'sigint')], { stdio: 'ignore' });
    const pid = child.pid!;
    const deadline = Date.now() + 20_000;
    while (listLabNamespaces(pid).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(listLabNamespaces(pid).length).toBeGreaterThanOrEqual(3); // host, neighbour, guest
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(listLabNamespaces(pid)).toEqual([]);
  });
});
