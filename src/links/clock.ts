/**
 * Turning the timestamps printed by `ip`, `bridge`, `dmesg`, journald and syslog into UTC
 * {@link Timestamp}s. Most of these tools print local wall-clock time without a zone, so the
 * reader says which zone the log was written in ({@link LinkLogOptions.timezone}); dmesg prints
 * seconds since boot, anchored by {@link LinkLogOptions.bootTime}.
 */
import type { Timestamp } from '../time.js';

/** Options shared by every recorded-log parser. */
export interface LinkLogOptions {
  /**
   * Zone of timestamps printed without one (`ip -ts`, `ip -t`, `bridge -timestamp`, `dmesg -T`,
   * journald `short`, RFC 3164 syslog): `UTC` (default), an offset `+01:00`/`-0500`, or an IANA
   * name such as `Europe/Berlin` (DST handled through Intl).
   */
  timezone?: string;
  /** Milliseconds added to every timestamp, to correct a host clock that was off. Default 0. */
  clockOffsetMs?: number;
  /**
   * When the machine booted (UTC), anchoring dmesg's `[ seconds since boot ]`. Without it dmesg
   * events get `time: null` (ordering is kept, correlation by time is not possible).
   */
  bootTime?: Timestamp;
  /** Year for syslog/journald lines that print none (`Nov 21 09:08:07`). Default: current UTC year. */
  year?: number;
  /** Skip auto-detection. */
  format?: 'ip-monitor' | 'bridge-monitor' | 'dmesg' | 'dmesg-T' | 'journalctl' | 'journalctl-json' | 'syslog';
}

export const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Parses `+01:00`, `-0500`, `+01`, `Z`; returns minutes east of UTC, or null. */
export function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'UTC' || text === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}

/** Minutes east of UTC of IANA zone `zone` at UTC instant `utcMs`. */
function zoneOffsetAt(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** True when `zone` is usable (UTC, an offset or an IANA name known to Intl). */
export function isValidTimezone(zone: string): boolean {
  if (parseOffset(zone) !== null) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Converts a wall-clock time in the log's zone to UTC.
 * @param fields year, month (0-11), day, hour, minute, second as printed; `nsec` the fraction.
 */
export function localToUtc(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; nsec: number },
  options: LinkLogOptions,
  explicitOffsetMinutes?: number | null,
): Timestamp | null {
  // Date.UTC rolls over out-of-range fields (month 13 -> next year): reject them instead.
  if (fields.month < 0 || fields.month > 11 || fields.day < 1 || fields.day > 31 || fields.hour > 23 ||
      fields.minute > 59 || fields.second > 60) return null;
  const wallMs = Date.UTC(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second);
  if (Number.isNaN(wallMs)) return null;
  let offset: number;
  if (explicitOffsetMinutes !== undefined && explicitOffsetMinutes !== null) {
    offset = explicitOffsetMinutes;
  } else {
    const zone = options.timezone ?? 'UTC';
    const fixed = parseOffset(zone);
    if (fixed !== null) offset = fixed;
    else {
      // Two passes: the offset at the guessed instant, then at the corrected one (DST edges).
      offset = zoneOffsetAt(zone, wallMs);
      offset = zoneOffsetAt(zone, wallMs - offset * 60000);
    }
  }
  const utcMs = wallMs - offset * 60000 + (options.clockOffsetMs ?? 0);
  return addNs({ sec: Math.floor(utcMs / 1000), nsec: 0 }, (utcMs - Math.floor(utcMs / 1000) * 1000) * 1e6 + fields.nsec);
}

/** `t` plus `ns` nanoseconds (ns may exceed one second). */
export function addNs(t: Timestamp, ns: number): Timestamp {
  const total = t.nsec + Math.round(ns);
  const carry = Math.floor(total / 1e9);
  return { sec: t.sec + carry, nsec: total - carry * 1e9 };
}

/** A fraction string (`435314`, `132165000`) as nanoseconds. */
export function fractionToNs(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number(fraction.slice(0, 9).padEnd(9, '0'));
}

/** dmesg `[ 338.304899]` anchored at boot time; null when no boot time was given. */
export function sinceBoot(seconds: string, options: LinkLogOptions): Timestamp | null {
  if (!options.bootTime) return null;
  const [whole, frac] = seconds.split('.');
  const t = addNs({ sec: options.bootTime.sec + Number(whole), nsec: options.bootTime.nsec }, fractionToNs(frac));
  return addNs(t, (options.clockOffsetMs ?? 0) * 1e6);
}

/** ISO-like `2026-11-21T09:33:24.435314[+00:00]` (also with a space instead of T). */
export function parseIsoLike(text: string, options: LinkLogOptions): Timestamp | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const offset = m[8] ? parseOffset(m[8]) : undefined;
  return localToUtc({
    year: Number(m[1]), month: Number(m[2]) - 1, day: Number(m[3]),
    hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), nsec: fractionToNs(m[7]),
  }, options, offset);
}

/** ctime-like `Sat Nov 21 09:33:24 2026` plus an optional fraction in ns. */
export function parseCtime(text: string, nsec: number, options: LinkLogOptions): Timestamp | null {
  const m = /^(?:[A-Z][a-z]{2} +)?([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS[m[1]!];
  if (month === undefined) return null;
  return localToUtc({
    year: Number(m[6]), month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), nsec,
  }, options);
}

/** Syslog/journald `Nov 21 09:33:24[.435314]` (no year: {@link LinkLogOptions.year}). */
export function parseSyslogDate(month: string, day: string, time: string, options: LinkLogOptions): Timestamp | null {
  const mo = MONTHS[month];
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time);
  if (mo === undefined || !m) return null;
  return localToUtc({
    year: options.year ?? new Date().getUTCFullYear(), month: mo, day: Number(day),
    hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]), nsec: fractionToNs(m[4]),
  }, options);
}
