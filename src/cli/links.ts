/**
 * `bridgewatch links FILE...`: parse recorded link logs (`ip monitor`, `bridge monitor`, dmesg,
 * journalctl, syslog; auto-detected) and print the merged timeline as a table or `--format json`.
 * Unparsed lines are listed (file:line, reason) after the table, never fatal. A file that cannot
 * be read at all stops with one line on stderr (exit 2) after printing what the earlier files gave.
 */
import type { Command } from 'commander';
import Table from 'cli-table3';
import { BridgewatchError } from '../errors.js';
import { fromIso, type Timestamp } from '../time.js';
import { formatLinkEvent, mergeLinkEvents, parseLinkLog, type LinkLogOptions } from '../links/index.js';
import { linkLogsToJson } from '../links/json.js';
import type { LinkEvent, LinkLog } from '../links/types.js';

/** Options shared by `links` and `analyze --links`. */
export interface LinkCliOptions {
  tz?: string;
  clockOffset?: string;
  bootTime?: string;
  year?: string;
  logFormat?: string;
}

const FORMATS: readonly NonNullable<LinkLogOptions['format']>[] = [
  'ip-monitor', 'bridge-monitor', 'dmesg', 'dmesg-T', 'journalctl', 'journalctl-json', 'syslog',
];

/** Adds the link-log options other than `--tz` to a command (used by `links` and `analyze`). */
export function addLinkLogOptions(cmd: Command): Command {
  return cmd
    .option('--clock-offset <offset>', 'time to add to every link-log time (host clock error): -4m, +13d, -240s, 1500ms (a bare number is ms)')
    .option('--boot-time <time>', 'boot time for dmesg [seconds since boot]: ISO 8601 or epoch seconds (btime of /proc/stat)')
    .option('--year <year>', 'year for syslog/journal lines without one')
    .option('--log-format <format>', `skip auto-detection: ${FORMATS.join(', ')}`);
}

const OFFSET_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A `--clock-offset` value in milliseconds: a signed number with a unit (`ms`, `s`, `m`/`min`,
 * `h`, `d`), e.g. `-4m`, `+13d`, `-240s`; a bare number is milliseconds. Null when unreadable.
 */
export function parseClockOffset(text: string): number | null {
  const m = /^([+-]?)(\d+(?:\.\d+)?)(ms|s|min|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[2]) * OFFSET_UNIT_MS[m[3] ?? 'ms']!;
  return m[1] === '-' ? -ms : ms;
}

/** Turns CLI strings into {@link LinkLogOptions}; bad values are a USAGE error. */
export function linkLogOptionsFrom(opts: LinkCliOptions): LinkLogOptions {
  const out: LinkLogOptions = {};
  if (opts.tz !== undefined) out.timezone = opts.tz;
  if (opts.clockOffset !== undefined) {
    const ms = parseClockOffset(opts.clockOffset);
    if (ms === null) throw new BridgewatchError('USAGE', `--clock-offset must be a signed duration such as -4m, +13d, -240s or 1500ms, not "${opts.clockOffset}"`);
    out.clockOffsetMs = ms;
  }
  if (opts.bootTime !== undefined) {
    let t: Timestamp | null = null;
    if (/^\d+(\.\d+)?$/.test(opts.bootTime)) {
      const [whole, frac = ''] = opts.bootTime.split('.');
      t = { sec: Number(whole), nsec: Number(frac.slice(0, 9).padEnd(9, '0')) };
    } else t = fromIso(opts.bootTime);
    if (!t) throw new BridgewatchError('USAGE', `--boot-time must be ISO 8601 or epoch seconds, not "${opts.bootTime}"`);
    out.bootTime = t;
  }
  if (opts.year !== undefined) {
    if (!/^\d{4}$/.test(opts.year)) throw new BridgewatchError('USAGE', `--year must be a 4-digit year, not "${opts.year}"`);
    out.year = Number(opts.year);
  }
  if (opts.logFormat !== undefined) {
    if (!(FORMATS as readonly string[]).includes(opts.logFormat)) {
      throw new BridgewatchError('USAGE', `--log-format must be one of ${FORMATS.join(', ')}`);
    }
    out.format = opts.logFormat as LinkLogOptions['format'];
  }
  return out;
}

/** The timeline table. */
export function renderLinkTable(logs: LinkLog[], events: LinkEvent[]): string {
  const table = new Table({ head: ['time (UTC)', 'source', 'event', 'what', 'line'], style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  const fileOf = new Map<LinkEvent, string>();
  for (const l of logs) for (const e of l.events) fileOf.set(e, l.path);
  for (const ev of events) {
    const row = formatLinkEvent(ev);
    table.push([row.time, row.source, row.type, row.what, row.line ? `${fileOf.get(ev) ?? ''}:${row.line}` : '']);
  }
  const lines = [table.toString()];
  for (const l of logs) {
    lines.push(`${l.path}: ${l.format}, ${l.events.length} events, ${l.unparsed.length} unparsed lines`);
    if (l.format === 'dmesg' && l.events.some((e) => e.time === null)) {
      lines.push('  times are seconds since boot: pass --boot-time (btime in /proc/stat of that host) to place them in time');
    }
    for (const u of l.unparsed.slice(0, 20)) lines.push(`  ${u.file}:${u.line}: ${u.reason}: ${u.text}`);
    if (l.unparsed.length > 20) lines.push(`  … ${l.unparsed.length - 20} more`);
  }
  return lines.join('\n');
}

export function register(program: Command, setExit: (code: number) => void): void {
  addLinkLogOptions(
    program
      .command('links')
      .description('print the link-event timeline of recorded logs (ip/bridge monitor, dmesg, journalctl, syslog)')
      .argument('<file...>', 'link logs (format auto-detected, gzip ok)')
      .option('--format <format>', 'table or json', 'table')
      .option('--tz <zone>', 'zone of log times printed without one: UTC (default), +01:00, Europe/Berlin'),
  ).action(async (paths: string[], opts: LinkCliOptions & { format: string }) => {
    if (opts.format !== 'table' && opts.format !== 'json') {
      throw new BridgewatchError('USAGE', `--format must be table or json, not "${opts.format}"`);
    }
    const options = linkLogOptionsFrom(opts);
    const logs: LinkLog[] = [];
    let failure: unknown = null;
    for (const p of paths) {
      try {
        logs.push(await parseLinkLog(p, options));
      } catch (e) {
        failure = e;
        break;
      }
    }
    const events = mergeLinkEvents(logs);
    if (logs.length > 0 || failure === null) {
      process.stdout.write(opts.format === 'json'
        ? `${JSON.stringify(linkLogsToJson(logs, events), null, 2)}\n`
        : `${renderLinkTable(logs, events)}\n`);
    }
    if (failure !== null) throw failure;
    setExit(0);
  });
}
