/** Small wording helpers for cause summaries (plain words, UTC clock times). */
import { toIso, type Timestamp } from '../time.js';

/** `09:08:07 UTC` */
export function clockWords(t: Timestamp | null): string {
  return t ? `${toIso(t).slice(11, 19)} UTC` : 'an unrecorded time';
}

/** `23 s`, `4.2 s`, `850 ms` */
export function durationWords(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** `the host was unreachable for 23 s` (or still unreachable when the capture ended). */
export function outageWords(durationMs: number, ongoing: boolean): string {
  return ongoing
    ? `the host was still unreachable when the capture ended (${durationWords(durationMs)} in)`
    : `the host was unreachable for ${durationWords(durationMs)}`;
}
