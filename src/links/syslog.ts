/**
 * Syslog files (`/var/log/kern.log`, `/var/log/syslog`, `/var/log/messages`) and journald's text
 * forms, which share one layout `DATE HOST TAG: MESSAGE`:
 * - RFC 3164 / journalctl `-o short`: `[<PRI>]Nov 21 09:33:24 host kernel: msg` (local time, no year);
 * - journalctl `-o short-precise`: `Nov 21 09:33:24.435314 host kernel: msg`;
 * - journalctl `-o short-iso[-precise]` and rsyslog's RFC 3339 file format:
 *   `2026-11-21T09:33:24.435314+00:00 host kernel: msg`;
 * - RFC 5424: `<4>1 2026-11-21T09:33:24.435314Z host kernel - - - msg` (or `[sd]` instead of `-`).
 * Old kern.log lines keep the printk time after the tag (`kernel: [  338.304899] msg`): stripped.
 * Only `kernel` messages are read; lines of other programs are skipped, journald's
 * `-- Boot … --` markers too.
 */
import type { Timestamp } from '../time.js';
import { parseIsoLike, parseSyslogDate, type LinkLogOptions } from './clock.js';
import { Collector, splitLines, type ParsedText } from './collect.js';
import { parseKernelMessage } from './kernel-message.js';

const BSD = /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\S+) ([^:\s]+?)(?:\[\d+\])?: ?(.*)$/;
const ISO = /^(?:<\d{1,3}>)?(\d{4}-\d{2}-\d{2}T\S+) (\S+) ([^:\s]+?)(?:\[\d+\])?: ?(.*)$/;
const RFC5424 = /^<\d{1,3}>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/;
const PRINTK_TIME = /^\[\s*\d+\.\d+\] ?/;

/** A syslog/journald line split into its parts (null when the framing is not recognised). */
export interface SyslogLine {
  time: Timestamp | null;
  tag: string;
  message: string;
}

/** Splits one line; `undefined` = not a syslog line, `null` time = unreadable date. */
export function splitSyslogLine(line: string, options: LinkLogOptions): SyslogLine | undefined {
  let m = RFC5424.exec(line);
  if (m) {
    const time = m[1] === '-' ? null : parseIsoLike(m[1]!.replace(/(\.\d+)?([+-]\d{2}:\d{2}|Z)$/, '$1$2'), options);
    return { time, tag: m[3]!, message: m[7] ?? '' };
  }
  m = ISO.exec(line);
  if (m) return { time: parseIsoLike(m[1]!, options), tag: m[3]!, message: m[4]! };
  m = BSD.exec(line);
  if (m) return { time: parseSyslogDate(m[1]!, m[2]!, m[3]!, options), tag: m[5]!, message: m[6]! };
  return undefined;
}

/** Parses syslog/kern.log or journalctl text output. */
export function parseSyslog(text: string, file: string, options: LinkLogOptions = {}): ParsedText {
  const out = new Collector(file);
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || /^-- .* --$/.test(raw.trim()) || /^\s/.test(raw)) continue;
    const parts = splitSyslogLine(raw, options);
    if (!parts) { out.bad(i + 1, raw, 'not a syslog/journal line'); continue; }
    if (parts.time === null && !raw.startsWith('<')) { out.bad(i + 1, raw, 'unreadable date'); continue; }
    out.noteTime(parts.time);
    if (parts.tag !== 'kernel') continue;
    const ev = parseKernelMessage(parts.message.replace(PRINTK_TIME, ''), { time: parts.time, line: i + 1, raw });
    if (ev) out.push(ev);
  }
  return out;
}
