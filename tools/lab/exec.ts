/**
 * Running the lab's tools. Every command is an argv array handed to execFile/spawn: no shell, so no
 * quoting of names or paths. Commands that run inside a namespace go through `ip netns exec`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { BridgewatchError } from '../../src/errors.js';

/** Result of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit is a LAB_COMMAND_FAILED error naming the command. */
export function run(argv: readonly string[], options: { timeoutMs?: number } = {}): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: options.timeoutMs ?? 20_000, maxBuffer: 16 << 20, env: labEnv() }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const firstLine = stderr.trim().split('\n')[0];
        const why = code === 'ENOENT' ? 'not installed' : firstLine || `exit status ${String(code ?? err.signal ?? '?')}`;
        reject(new BridgewatchError(code === 'ENOENT' ? 'LAB_TOOL_MISSING' : 'LAB_COMMAND_FAILED',
          `\`${argv.join(' ')}\` failed: ${why}`, {}, { cause: err }));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** argv prefix that runs a command inside namespace `ns`. */
export function inNs(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}

/**
 * Environment for every child: UTC so that `ip -ts` and `bridge -timestamp` (which print local time
 * without a zone) print UTC, and the C locale so the outputs parse the same everywhere.
 */
export function labEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
}

/** A long-running child (capture, monitor, ping) the lab stops before writing the truth. */
export interface Background {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves when the child has exited (whatever the reason). */
  readonly exited: Promise<void>;
}

/** Every background child of this process, so a signal handler can stop them all. */
const liveChildren = new Set<ChildProcess>();

/** Starts a background command; stdout/stderr go to the given fds or are piped. */
export function startBackground(
  name: string,
  argv: readonly string[],
  stdio: { stdout?: number | 'pipe' | 'ignore'; stderr?: number | 'pipe' | 'ignore' } = {},
): Background {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('startBackground: empty argv');
  const child = spawn(cmd, args, {
    stdio: ['ignore', stdio.stdout ?? 'ignore', stdio.stderr ?? 'pipe'],
    env: labEnv(),
  });
  liveChildren.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  }).finally(() => liveChildren.delete(child));
  return { name, child, exited };
}

/**
 * Stops a background child with `signal` (SIGINT lets tcpdump/dumpcap/ping flush and print their
 * summaries) and waits for it; escalates to SIGKILL after `graceMs`.
 */
export async function stopBackground(bg: Background, signal: NodeJS.Signals = 'SIGINT', graceMs = 3000): Promise<void> {
  if (bg.child.exitCode !== null || bg.child.signalCode !== null) return;
  bg.child.kill(signal);
  const timer = setTimeout(() => bg.child.kill('SIGKILL'), graceMs);
  await bg.exited;
  clearTimeout(timer);
}

/** Synchronous last resort for signal/exit handlers: kill every child still running. */
export function killAllChildrenSync(): void {
  for (const child of liveChildren) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  liveChildren.clear();
}

/**
 * Waits until `pattern` appears on the child's stderr (tcpdump's "listening on", dumpcap's
 * "Capturing on"), so traffic starts only once the capture is really running.
 */
export async function waitForStderr(bg: Background, pattern: RegExp, timeoutMs = 5000): Promise<void> {
  const stream = bg.child.stderr;
  if (!stream) return;
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new BridgewatchError('LAB_COMMAND_FAILED', `${bg.name} did not start within ${timeoutMs} ms: ${seen.trim().split('\n')[0] ?? ''}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) { cleanup(); resolve(); }
    };
    const onExit = (): void => {
      cleanup();
      reject(new BridgewatchError('LAB_COMMAND_FAILED', `${bg.name} exited at start: ${seen.trim().split('\n')[0] ?? ''}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      bg.child.off('exit', onExit);
    };
    stream.on('data', onData);
    bg.child.once('exit', onExit);
  });
  // Keep draining stderr so a chatty child never blocks on a full pipe.
  stream.resume();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}


/** Runs a command whose non-zero exit is an outcome, not a failure (arping without replies). */
export function runStatus(argv: readonly string[], timeoutMs = 20_000): Promise<CommandResult & { code: number }> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('runStatus: empty argv');
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, env: labEnv() }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new BridgewatchError('LAB_TOOL_MISSING', `\`${cmd}\` is not installed`));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}
