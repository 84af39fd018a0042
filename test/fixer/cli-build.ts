/**
 * Namespace tests run the real CLI as a child inside `ip netns exec NS` (which remounts /sys so
 * sysfs shows that namespace's devices). The CLI is the one built into dist/ before the tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

export interface CliRun { code: number; stdout: string; stderr: string }

/** The real CLI, as built into dist/ by test/global-setup.ts before any test runs. */
export async function buildCli(): Promise<string> {
  const cli = path.join(repo, 'bin/bridgewatch.js');
  if (!existsSync(path.join(repo, 'dist/cli/main.js'))) throw new Error('dist/ missing: run `npm run build`');
  return cli;
}

/** Runs argv (no shell); resolves with exit code and output, never rejects on a non-zero exit. */
export async function run(argv: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await exec(argv[0]!, argv.slice(1), { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

/** Runs the CLI inside namespace `ns`, optionally wrapped (e.g. setpriv, unshare). */
export function cliIn(runner: string, ns: string, args: string[], wrap: string[] = []): Promise<CliRun> {
  return run(['ip', 'netns', 'exec', ns, ...wrap, process.execPath, runner, ...args]);
}

/** True when namespace tests may run: root; otherwise skipped with a reason unless CI is set. */
export function canUseNamespaces(area: string): boolean {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && !process.env.CI) {
    process.stdout.write(`[${area}] skipped: namespace tests need root (set CI=true to force them)\n`);
    return false;
  }
  return true;
}
