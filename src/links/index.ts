/**
 * Link events, from recorded text logs (format auto-detected) or live rtnetlink
 * ({@link watchLinks}). Library entry point of the links area.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { BridgewatchError } from '../errors.js';
import { compareTs } from '../time.js';
import { isValidTimezone, type LinkLogOptions } from './clock.js';
import type { ParsedText } from './collect.js';
import { detectFormat } from './detect-format.js';
import { parseBridgeMonitor } from './bridge-monitor.js';
import { parseDmesg } from './dmesg.js';
import { parseIpMonitor } from './ip-monitor.js';
import { parseJournalJson } from './journalctl-json.js';
import { parseSyslog } from './syslog.js';
import type { LinkEvent, LinkLog, UnparsedLine } from './types.js';

export type { LinkLogOptions } from './clock.js';
export { detectFormat } from './detect-format.js';
export { watchLinks, type LinkWatcher, type WatchLinksOptions, type LinkSnapshotEntry } from './watch.js';
export { LinkTracker } from './rtnl-tracker.js';
export { formatLinkEvent, describeLinkEvent } from './describe.js';

/** Parses already-read log text. `path` is only used in messages and `unparsed` entries. */
export function parseLinkText(text: string, path: string, options: LinkLogOptions = {}): LinkLog {
  if (options.timezone !== undefined && !isValidTimezone(options.timezone)) {
    throw new BridgewatchError('USAGE', `unknown timezone "${options.timezone}" (use UTC, +01:00 or an IANA name)`);
  }
  const { clean, binary } = setBinaryLinesAside(text, path);
  if (binary.length > 0 && clean.trim() === '') {
    throw new BridgewatchError('LINKLOG_UNKNOWN_FORMAT', 'binary data, not a text link log', { file: path, line: binary[0]!.line });
  }
  text = clean;
  const format = options.format ?? detectFormat(text);
  let parsed: ParsedText;
  switch (format) {
    case 'ip-monitor': parsed = parseIpMonitor(text, path, options); break;
    case 'bridge-monitor': parsed = parseBridgeMonitor(text, path, options); break;
    case 'dmesg':
    case 'dmesg-T': parsed = parseDmesg(text, path, options); break;
    case 'journalctl':
    case 'syslog': parsed = parseSyslog(text, path, options); break;
    case 'journalctl-json': parsed = parseJournalJson(text, path, options); break;
    default: {
      const first = text.split(/\r?\n/, 1)[0] ?? '';
      throw new BridgewatchError(
        'LINKLOG_UNKNOWN_FORMAT',
        text.trim() === ''
          ? 'empty link log'
          : `not a recognised link log (ip/bridge monitor, dmesg, journalctl, syslog): "${first.slice(0, 60)}"`,
        { file: path, line: 1 },
      );
    }
  }
  const unparsed = binary.length === 0 ? parsed.unparsed : [...binary, ...parsed.unparsed].sort((a, b) => a.line - b.line);
  return {
    path, format, events: parsed.events, unparsed, first: parsed.first ?? null, last: parsed.last ?? null,
    // A line that could not be read may have been a bridge's MAC change: a damaged log is no record.
    ...(parsed.bridgeMacs && unparsed.length === 0 ? { bridgeMacs: parsed.bridgeMacs } : {}),
  };
}

/** Colour codes `ip -c` / `bridge -c` print: stripped, not binary. */
// eslint-disable-next-line no-control-regex -- ESC is exactly what an SGR sequence starts with
const SGR = /\x1b\[[0-9;]*m/g;
/** NUL and other control characters (tab and CR aside), and U+FFFD from bytes that are not UTF-8. */
// eslint-disable-next-line no-control-regex -- control characters are what marks a line as binary
const BINARY = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;

/**
 * Blanks lines holding binary bytes (a log cut by a crash, a disk error, a stray `cat` of a
 * binary) so the parsers never see them, keeping line numbers; each one becomes an unparsed line.
 */
export function setBinaryLinesAside(text: string, path: string): { clean: string; binary: UnparsedLine[] } {
  if (!BINARY.test(text) && !text.includes('\x1b')) return { clean: text, binary: [] };
  const binary: UnparsedLine[] = [];
  const lines = text.split('\n').map((raw, i) => {
    const line = raw.replace(SGR, '');
    if (!BINARY.test(line)) return line;
    const shown = line.replace(new RegExp(BINARY.source, 'g'), '?');
    binary.push({ file: path, line: i + 1, text: shown.length > 200 ? `${shown.slice(0, 200)}…` : shown, reason: 'binary data' });
    return '';
  });
  return { clean: lines.join('\n'), binary };
}

/**
 * Reads and parses one link log (gzip-compressed files are accepted). Unparseable lines are
 * reported in `unparsed`, never thrown; an unreadable file or an unknown format throws a
 * {@link BridgewatchError} (`LINKLOG_UNREADABLE`, `LINKLOG_UNKNOWN_FORMAT`).
 */
export async function parseLinkLog(path: string, options: LinkLogOptions = {}): Promise<LinkLog> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BridgewatchError('LINKLOG_UNREADABLE', `cannot read link log (${err.code ?? err.message})`, { file: path }, { cause: e });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new BridgewatchError('GZIP_CORRUPT', 'corrupt gzip data', { file: path, offset: 0 }, { cause: e });
    }
  }
  const text = bytes.toString('utf8');
  const nul = bytes.indexOf(0);
  if (nul !== -1 && setBinaryLinesAside(text, path).clean.trim() === '') {
    // Nothing but binary: name the byte where it starts.
    throw new BridgewatchError('LINKLOG_UNKNOWN_FORMAT', 'binary data, not a text link log', { file: path, offset: nul });
  }
  return parseLinkText(text, path, options);
}

/**
 * Merges the events of several logs into one timeline in time order (stable: same-time events keep
 * their file order). Events without a time (plain `ip monitor`, dmesg without boot time) follow
 * the timed ones, in file order.
 */
export function mergeLinkEvents(logs: Pick<LinkLog, 'events'>[]): LinkEvent[] {
  const timed: LinkEvent[] = [];
  const untimed: LinkEvent[] = [];
  for (const log of logs) for (const ev of log.events) (ev.time ? timed : untimed).push(ev);
  timed.sort((a, b) => compareTs(a.time!, b.time!));
  return [...timed, ...untimed];
}

/** Parses several logs and merges them; see {@link parseLinkLog} and {@link mergeLinkEvents}. */
export async function readLinkLogs(paths: string[], options: LinkLogOptions = {}): Promise<{ logs: LinkLog[]; events: LinkEvent[] }> {
  const logs: LinkLog[] = [];
  for (const p of paths) logs.push(await parseLinkLog(p, options));
  return { logs, events: mergeLinkEvents(logs) };
}
