/**
 * Exact timestamps. Capture timestamps have ns resolution; ns since the epoch does not fit a
 * double, so a timestamp is kept as whole seconds plus nanoseconds. Arithmetic that only needs
 * µs-level precision (gaps, windows) uses {@link toSeconds}, a double with ~0.25 µs resolution.
 */

/** A point in time: `sec` whole seconds since the Unix epoch (UTC) plus `nsec` (0..999 999 999). */
export interface Timestamp {
  readonly sec: number;
  readonly nsec: number;
}

/** Seconds since the epoch as a double (sub-µs resolution for present-day dates). */
export function toSeconds(t: Timestamp): number {
  return t.sec + t.nsec / 1e9;
}

/** Milliseconds from `a` to `b` (negative when b is earlier). */
export function diffMs(a: Timestamp, b: Timestamp): number {
  return (b.sec - a.sec) * 1e3 + (b.nsec - a.nsec) / 1e6;
}

/** -1, 0 or 1 as `a` is before, equal to or after `b`. */
export function compareTs(a: Timestamp, b: Timestamp): number {
  if (a.sec !== b.sec) return a.sec < b.sec ? -1 : 1;
  if (a.nsec !== b.nsec) return a.nsec < b.nsec ? -1 : 1;
  return 0;
}

/** From ns since the epoch. */
export function fromNs(ns: bigint): Timestamp {
  const sec = ns / 1_000_000_000n;
  return { sec: Number(sec), nsec: Number(ns - sec * 1_000_000_000n) };
}

/** To ns since the epoch. */
export function toNs(t: Timestamp): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

/** From a double of seconds since the epoch (rounded to the ns the double can carry). */
export function fromSeconds(s: number): Timestamp {
  let sec = Math.floor(s);
  let nsec = Math.round((s - sec) * 1e9);
  if (nsec >= 1e9) { sec += 1; nsec -= 1e9; }
  return { sec, nsec };
}

/** Largest |seconds| a JS Date can show (±100 million days, ECMA-262 21.4.1.1). */
const MAX_DATE_SECONDS = 8.64e12;

/**
 * ISO 8601 UTC with 9 fractional digits: `2026-11-21T09:09:49.132165000Z`. Never throws: a time
 * beyond what a Date can show (only damaged captures have one, e.g. a pcapng if_tsoffset of 2^62)
 * prints as seconds since the epoch, `18446744073709551616.000000000s`.
 */
export function toIso(t: Timestamp): string {
  if (!(Math.abs(t.sec) <= MAX_DATE_SECONDS)) return `${t.sec}.${String(t.nsec).padStart(9, '0')}s`;
  const base = new Date(t.sec * 1000).toISOString(); // ...T09:09:49.000Z
  return `${base.slice(0, 19)}.${String(t.nsec).padStart(9, '0')}Z`;
}

/** Parses ISO 8601 with any number of fractional digits and an optional offset; null when invalid. */
export function fromIso(s: string): Timestamp | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const zone = m[3] ?? 'Z';
  const ms = Date.parse(`${m[1]}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(ms)) return null;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return { sec: Math.floor(ms / 1000), nsec: Number(frac) };
}
