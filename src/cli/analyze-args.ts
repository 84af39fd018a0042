/**
 * The argument handling of `analyze` that commander cannot do alone: repeatable options, a
 * `--report [DIR]` that must not eat a capture, the old `--links A B` spelling, stdin given once.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { isPcapMagic } from '../capture/pcap.js';
import { BlockType } from '../capture/pcapng-constants.js';
import type { ReportCliOptions } from './report-options.js';

/** Commander collector for repeatable options: each use takes exactly one value. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The captures in command-line order. `--report [DIR]` takes the next word as its folder, so
 * `analyze --report x.pcap` would eat the capture: a value that names an existing file (not a
 * folder) is given back to the captures, in its place, and the report goes to the default folder.
 */
export function capturesInOrder(paths: string[], opts: ReportCliOptions, rawArgs: readonly string[]): string[] {
  if (typeof opts.report !== 'string' || !isExistingFile(opts.report)) return paths;
  const eaten = opts.report;
  opts.report = true;
  const words = new Set([...paths, eaten]);
  const ordered = rawArgs.filter((a) => words.has(a));
  return ordered.length === paths.length + 1 ? ordered : [eaten, ...paths];
}

/** The words the program was started with (commander keeps them on the root command, untyped). */
export function rawArgsOf(command: Command): readonly string[] {
  let root: Command = command;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: unknown }).rawArgs;
  return Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : [];
}

function isExistingFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Checks the capture list: at least one, stdin at most once (one line USAGE error). */
export function checkCaptures(paths: string[]): void {
  if (paths.length === 0) throw new BridgewatchError('USAGE', 'analyze: give at least one capture file (- for stdin)');
  if (paths.filter((p) => p === '-').length > 1) {
    throw new BridgewatchError('USAGE', 'analyze: stdin (-) can be read only once; give it a single time');
  }
}

/**
 * The old spelling `analyze CAPTURE --links A B` (when `--links` took every following word): a
 * word right after a `--links` value (before the next option) whose first bytes are no capture
 * (pcap, pcapng or gzip magic) is taken as another link log. Anything else stays a capture, so an
 * unreadable or damaged capture still gets its own error.
 */
export function splitLegacyLinkLogs(paths: string[], rawArgs: readonly string[]): { captures: string[]; linkLogs: string[] } {
  const afterLinks = new Set<string>();
  let inChain = false;
  for (let i = 0; i < rawArgs.length; i++) {
    const word = rawArgs[i]!;
    if (word === '--links') {
      inChain = true;
      i++;
    } else if (word.startsWith('--links=')) {
      inChain = true;
    } else if (word.startsWith('-')) {
      inChain = false;
    } else if (inChain) {
      afterLinks.add(word);
    }
  }
  const linkLogs = paths.filter((p) => afterLinks.has(p) && looksLikeText(p));
  return { captures: paths.filter((p) => !linkLogs.includes(p)), linkLogs };
}

/** True when the file opens and starts with neither a capture magic nor gzip. */
function looksLikeText(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
    const magic = head.readUInt32BE(0);
    return !isPcapMagic(magic) && magic !== BlockType.SHB && !(head[0] === 0x1f && head[1] === 0x8b);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
