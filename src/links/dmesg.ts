/**
 * `dmesg` (`[ 1234.567890] msg`, seconds since boot) and `dmesg -T` (`[Sat Nov 21 09:33:24 2026] msg`,
 * local time, 1 s resolution). Also accepted: the raw `<6>` level prefix (`dmesg -r`) and the
 * `kern  :info  : ` prefix (`dmesg -x`), and `dmesg --time-format=iso`
 * (`2026-11-21T09:39:48,140749+00:00 msg`, zone included), and journalctl `-o short-monotonic`
 * (`[  338.304899] host kernel: msg`). Seconds since boot become UTC only with
 * {@link LinkLogOptions.bootTime} (e.g. `btime` from /proc/stat of the machine that logged them);
 * without it events keep `time: null`. Note that `dmesg -T` drifts after suspend (its own man page
 * says so); prefer `journalctl -k -o short-iso-precise` when available.
 */
import { parseCtime, parseIsoLike, sinceBoot, type LinkLogOptions } from './clock.js';
import { Collector, splitLines, type ParsedText } from './collect.js';
import { parseKernelMessage } from './kernel-message.js';

const PREFIX = /^(?:<\d+>)?(?:[a-z]+\s*:[a-z]+\s*: )?\[\s*([^\]]+)\] ?(.*)$/;
/** `dmesg --time-format=iso`: `2026-11-21T09:39:48,140749+00:00 msg` (comma before the µs). */
export const DMESG_ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2},\d+(?:[+-]\d{2}:?\d{2}|Z)) (.*)$/;

/** Parses dmesg output in either timestamp form (each line is recognised on its own). */
export function parseDmesg(text: string, file: string, options: LinkLogOptions = {}): ParsedText {
  const out = new Collector(file);
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || /^\s/.test(raw)) continue; // blank or a continuation of a multi-line message
    const iso = DMESG_ISO.exec(raw);
    if (iso) {
      const time = parseIsoLike(iso[1]!, options);
      if (!time) { out.bad(i + 1, raw, 'unreadable ISO timestamp'); continue; }
      out.noteTime(time);
      const ev = parseKernelMessage(iso[2]!, { time, line: i + 1, raw });
      if (ev) out.push(ev);
      continue;
    }
    const m = PREFIX.exec(raw);
    if (!m) { out.bad(i + 1, raw, 'no [timestamp] prefix'); continue; }
    const stamp = m[1]!.trim();
    let time;
    if (/^\d+\.\d+$/.test(stamp)) {
      time = sinceBoot(stamp, options);
    } else {
      time = parseCtime(stamp, 0, options);
      if (!time) { out.bad(i + 1, raw, 'unreadable [timestamp]'); continue; }
    }
    out.noteTime(time);
    // `journalctl -o short-monotonic` prints `[ secs] host kernel: msg`
    const ev = parseKernelMessage(m[2]!.replace(/^\S+ kernel: /, ''), { time, line: i + 1, raw });
    if (ev) out.push(ev);
  }
  return out;
}
