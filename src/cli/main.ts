/**
 * The thin CLI: parse arguments, call the library, pick a reporter, return the exit code.
 * Exit codes: 0 clean, 1 findings at/above --fail-on, 2 error (one line on stderr; a stack only
 * with --debug). Each command lives in its own file and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { toolVersion } from '../version.js';
import { isBridgewatchError } from '../errors.js';
import { commandRegistrations } from './commands.js';
import { CHECK_STATES, checkUnknown } from '../check/nagios.js';

/**
 * The whole command tree (every command registered), not yet parsed: what `main` runs, and what
 * the shell completion and the man page (scripts/man.mjs) are generated from.
 */
export function buildProgram(setExit: (code: number) => void = () => undefined): Command {
  const program = new Command('bridgewatch')
    .description('Find, explain and fix bridge MAC/ARP incidents on virtualization hosts')
    .version(toolVersion(), '-V, --version', 'print the bridgewatch version')
    .option('--debug', 'print stack traces for errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commandRegistrations) register(program, setExit);
  return program;
}

/** Runs the CLI with `argv` (without node and script). Resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode = 0;
  const program = buildProgram((code) => { exitCode = Math.max(exitCode, code); });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      // A monitoring system runs `audit --check` as a plugin: a usage error is UNKNOWN (3), not the
      // CRITICAL its exit code 2 would page someone for.
      if (isPluginCheck(argv)) {
        process.stdout.write(checkUnknown(e.message.replace(/^error: /, '')).text);
        return CHECK_STATES.UNKNOWN;
      }
      return 2;
    }
    if (isBridgewatchError(e)) {
      process.stderr.write(`bridgewatch: ${e.message}\n`);
      if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
      return 2;
    }
    const err = e as { message?: string; stack?: string };
    process.stderr.write(`bridgewatch: internal error: ${err.message ?? String(e)}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

/** True when `argv` asks for `audit --check` (plugin exit codes apply even to argument errors). */
function isPluginCheck(argv: readonly string[]): boolean {
  return argv.includes('--check') && argv.find((a) => !a.startsWith('-')) === 'audit';
}
