/**
 * Namespace tests run the real CLI as a child inside `ip netns exec NS` (which remounts /sys so
 * sysfs shows that namespace's devices). This compiles src/ once into node_modules/.cache (so
 * node resolves the project's dependencies) and returns how to start the CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

export interface CliRun { code: number; stdout: string; stderr: string }

/**
 * Runs the real CLI (cli/main.js). While other teams' commands are still missing modules the
 * shared command list cannot load; then the same main-style program is built with only the fixer's
 * commands (same error handling: one line, exit 2), so these tests exercise audit/fix either way.
 */
const RUNNER = `
const argv = process.argv.slice(2);
let main;
try {
  ({ main } = await import('./cli/main.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  const { Command, CommanderError } = await import('commander');
  const { isBridgewatchError } = await import('./errors.js');
  const audit = await import('./cli/audit.js');
  const fix = await import('./cli/fix.js');
  main = async (args) => {
    const program = new Command('bridgewatch').exitOverride();
    let code = 0;
    const setExit = (c) => { code = Math.max(code, c); };
    audit.register(program, setExit);
    fix.register(program, setExit);
    try { await program.parseAsync(args, { from: 'user' }); return code; }
    catch (err) {
      if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
      process.stderr.write('bridgewatch: ' + (isBridgewatchError(err) ? '' : 'internal error: ') + err.message + '\\n');
      return 2;
    }
  };
}
process.exitCode = await main(argv);
`;

/** Builds the CLI (tsc emits even when other teams' files have type errors) and returns the runner path. */
export async function buildCli(): Promise<string> {
  const outDir = path.join(repo, 'node_modules/.cache', `bwfx-cli-${process.pid}`);
  await exec('npx', ['tsc', '-p', path.join(repo, 'tsconfig.json'), '--outDir', outDir, '--declaration', 'false', '--sourceMap', 'false'], { cwd: repo })
    .catch(() => undefined); // type errors elsewhere still emit; checked below
  const main = path.join(outDir, 'cli/main.js');
  if (!existsSync(main)) throw new Error(`tsc did not emit ${main}`);
  const runner = path.join(outDir, 'bwfx-run.mjs');
  writeFileSync(runner, RUNNER);
  return runner;
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
