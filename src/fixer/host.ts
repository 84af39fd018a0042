/**
 * Everything the fixer reads from or runs on the host goes through a {@link HostAccess}, so unit
 * tests run on a fake sysfs/proc/etc tree and a scripted command runner, and namespace tests run on
 * the real ones. Commands are always argv arrays run without a shell.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Result of running one command. `code` is null when the process could not be started. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs argv (argv[0] looked up in PATH) without a shell. Never rejects. */
export type CommandRunner = (argv: string[]) => Promise<CommandResult>;

/** Where the fixer looks and how it runs commands. */
export interface HostAccess {
  /** Root under which `/sys` is read (default `/`; tests pass a fake tree). */
  sysRoot: string;
  /** Root under which `/proc` is read (default `/`). */
  procRoot: string;
  /** Root under which `/etc`, `/usr/lib` and `/var/lib` are read for stack detection (default `/`). */
  configRoot: string;
  run: CommandRunner;
  /** True when the process may change links (root). */
  isRoot: () => boolean;
}

/** Options accepted by the public fixer calls to override parts of the host. */
export type HostOptions = Partial<HostAccess>;

/** The real runner: execFile, 10 s timeout, output as UTF-8. */
export const runCommand: CommandRunner = (argv) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined) { resolve({ code: null, stdout: '', stderr: 'empty argv' }); return; }
    execFile(file, args, { timeout: 10_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') {
        resolve({ code: null, stdout: stdout ?? '', stderr: stderr || err.message });
        return;
      }
      resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });

/** Fills in defaults: the real host. */
export function hostAccess(options: HostOptions = {}): HostAccess {
  return {
    sysRoot: options.sysRoot ?? '/',
    procRoot: options.procRoot ?? '/',
    configRoot: options.configRoot ?? '/',
    run: options.run ?? runCommand,
    isRoot: options.isRoot ?? (() => typeof process.getuid === 'function' && process.getuid() === 0),
  };
}

/** `/sys/class/net/<parts>` under the host's sysfs root. */
export function sysNet(host: HostAccess, ...parts: string[]): string {
  return path.join(host.sysRoot, 'sys/class/net', ...parts);
}

/** `/proc/<parts>` under the host's proc root. */
export function procPath(host: HostAccess, ...parts: string[]): string {
  return path.join(host.procRoot, 'proc', ...parts);
}

/** Reads a small text file, trimmed; null when it does not exist or cannot be read. */
export async function readText(file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** Reads an integer file (decimal or 0x hex); null when missing or not a number. */
export async function readInt(file: string): Promise<number | null> {
  const text = await readText(file);
  if (text === null || text === '') return null;
  const n = text.startsWith('0x') ? Number.parseInt(text, 16) : Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : null;
}

/** True when the path exists (file, directory or symlink target). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Directory entries, sorted; empty when the directory does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** A runner that runs nothing: used with a fake `--root` so the real host is never queried or changed. */
export const noCommands: CommandRunner = async (argv) => ({ code: null, stdout: '', stderr: `not run under --root: ${argv.join(' ')}` });
