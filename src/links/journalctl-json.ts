/**
 * `journalctl -k -o json` (one JSON object per line). Time is `__REALTIME_TIMESTAMP`, microseconds
 * since the epoch in UTC (so {@link LinkLogOptions.timezone} does not apply); `MESSAGE` may be a
 * string or, for non-UTF-8 messages, an array of bytes. Non-kernel entries are skipped.
 */
import type { LinkLogOptions } from './clock.js';
import { addNs } from './clock.js';
import { Collector, splitLines, type ParsedText } from './collect.js';
import { parseKernelMessage } from './kernel-message.js';

/** Parses journald JSON lines. */
export function parseJournalJson(text: string, file: string, options: LinkLogOptions = {}): ParsedText {
  const out = new Collector(file);
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      out.bad(i + 1, raw, 'invalid JSON');
      continue;
    }
    if (typeof entry !== 'object' || entry === null) { out.bad(i + 1, raw, 'not a JSON object'); continue; }
    const rec = entry as Record<string, unknown>;
    const usec = rec['__REALTIME_TIMESTAMP'];
    const message = messageText(rec['MESSAGE']);
    if (typeof usec !== 'string' || !/^\d+$/.test(usec) || message === null) {
      out.bad(i + 1, raw, 'no __REALTIME_TIMESTAMP or MESSAGE');
      continue;
    }
    const transport = rec['_TRANSPORT'];
    const ident = rec['SYSLOG_IDENTIFIER'];
    const us = BigInt(usec);
    const time = addNs({ sec: Number(us / 1_000_000n), nsec: Number(us % 1_000_000n) * 1000 }, (options.clockOffsetMs ?? 0) * 1e6);
    out.noteTime(time);
    if (transport !== undefined && transport !== 'kernel' && ident !== 'kernel') continue;
    const ev = parseKernelMessage(message, { time, line: i + 1, raw });
    if (ev) out.push(ev);
  }
  return out;
}

function messageText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return Buffer.from(value as number[]).toString('utf8');
  return null;
}
