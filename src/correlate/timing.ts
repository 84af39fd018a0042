/**
 * Whether link logs and captures describe the same moments. A link event can only explain an
 * incident inside {@link CorrelateOptions.correlationWindowMs} of it; a log whose times do not
 * reach the capture at all (another day, another host's clock), or whose MAC-identified events
 * line up with the capture only after a constant shift, is set aside with one line saying so
 * (and the `--clock-offset` that would align it), and its incidents fall back to capture-only
 * inference.
 */
import type { DetectedIncident, Finding } from '../detect/types.js';
import type { LinkEvent, LinkLog } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { compareTs, diffMs, toIso, type Timestamp } from '../time.js';
import { incidentFacts } from './facts.js';

/** A time span (both ends included). */
export interface Span {
  first: Timestamp;
  last: Timestamp;
}

/** A link log as far as timing is concerned. */
export type TimedLinkLog = Pick<LinkLog, 'path' | 'events' | 'first' | 'last'>;

/** What {@link checkLinkTiming} decided. */
export interface LinkTiming {
  /** Events of the logs that can explain incidents (set-aside logs removed), time order kept. */
  usable: LinkEvent[];
  /** Paths of logs set aside. */
  setAside: string[];
  /** One line per log set aside, e.g. `link log x.log (2026-12-04 …) does not overlap the capture …; try --clock-offset -13d`. */
  notes: string[];
}

/** A capture change moment matched to a link event naming the same MAC. */
interface OffsetPair {
  /** link time - capture time, ms. */
  deltaMs: number;
  event: LinkEvent;
  captureTime: Timestamp;
  mac: Mac;
}

/** Estimated clock offset of a log against the capture: link time - capture time, ms. */
export interface OffsetEstimate {
  offsetMs: number;
  /** How many change moments agree with it. */
  agreeing: number;
  /** One matched pair, for the note. */
  example: OffsetPair;
}

/** Matched moments closer than this to the median agree with it (the bridge changes at once; the wire shows it within a few hundred ms). */
const AGREEMENT_MS = 3000;

/**
 * The clock offset of `events` against the captures' change moments, from events that name the
 * MAC a capture change moved to or from: a bridge taking that MAC (`mac-change`), a port with that
 * MAC joining (change to a lower MAC) or leaving (change back). Null when nothing pairs up, or the
 * pairs do not agree on one offset.
 */
export function estimateClockOffset(
  events: readonly LinkEvent[], incidents: readonly DetectedIncident[], findings: readonly Finding[],
): OffsetEstimate | null {
  const pairs: OffsetPair[] = [];
  for (const incident of incidents) {
    const facts = incidentFacts(incident, findings as Finding[]);
    for (const c of facts.changes) {
      let best: OffsetPair | null = null;
      for (const e of events) {
        if (e.time === null) continue;
        let mac: Mac | null = null;
        if (e.type === 'mac-change' && e.isBridge && e.newMac === c.toMac && (e.oldMac === null || e.oldMac === c.fromMac)) mac = c.toMac;
        else if (c.down && e.type === 'port-join' && e.mac === c.toMac) mac = c.toMac;
        else if (!c.down && e.type === 'port-leave' && e.mac === c.fromMac) mac = c.fromMac;
        if (mac === null) continue;
        // The change happened somewhere in [since, time]: measure to the nearer end, 0 inside.
        const afterSince = diffMs(c.since, e.time);
        const deltaMs = afterSince < 0 ? afterSince : Math.max(0, diffMs(c.time, e.time));
        if (!best || Math.abs(deltaMs) < Math.abs(best.deltaMs)) {
          best = { deltaMs, event: e, captureTime: afterSince < 0 ? c.since : c.time, mac };
        }
      }
      if (best) pairs.push(best);
    }
  }
  if (pairs.length === 0) return null;
  const sorted = [...pairs].sort((a, b) => a.deltaMs - b.deltaMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const agreeing = sorted.filter((p) => Math.abs(p.deltaMs - median.deltaMs) <= AGREEMENT_MS);
  if (agreeing.length * 2 < pairs.length) return null;
  return { offsetMs: median.deltaMs, agreeing: agreeing.length, example: median };
}

/**
 * A `--clock-offset` value that undoes `offsetMs` (link minus capture time), rounded to whole
 * seconds and written in the largest unit that divides it: `-13d`, `-4m`, `+90s`.
 */
export function clockOffsetArgument(offsetMs: number): string {
  let s = -Math.round(offsetMs / 1000);
  // Wrong dates and zones are whole minutes off: snap to them (the wire shows a change a moment late).
  if (Math.abs(s) >= 60 && Math.abs(s - Math.round(s / 60) * 60) <= AGREEMENT_MS / 1000) s = Math.round(s / 60) * 60;
  const sign = s < 0 ? '-' : '+';
  const a = Math.abs(s);
  if (a !== 0 && a % 86_400 === 0) return `${sign}${a / 86_400}d`;
  if (a !== 0 && a % 3600 === 0) return `${sign}${a / 3600}h`;
  if (a !== 0 && a % 60 === 0) return `${sign}${a / 60}m`;
  return `${sign}${a}s`;
}

function spanWords(span: Span, other: Span): string {
  const a = toIso(span.first);
  const b = toIso(span.last);
  const sameDay = a.slice(0, 10) === b.slice(0, 10);
  const otherDay = toIso(other.first).slice(0, 10);
  if (sameDay && a.slice(0, 10) !== otherDay) return a.slice(0, 10);
  return `${a.slice(0, 10)} ${a.slice(11, 19)} to ${sameDay ? '' : `${b.slice(0, 10)} `}${b.slice(11, 19)} UTC`;
}

function overlaps(a: Span, b: Span, slackMs: number): boolean {
  return diffMs(a.first, b.last) >= -slackMs && diffMs(b.first, a.last) >= -slackMs;
}

/**
 * Checks every log against the captures' time span and the incidents: a log is set aside when its
 * times do not overlap the captures (within `windowMs`), or when its MAC-identified events line up
 * with the capture's changes only after a shift larger than `windowMs`. Logs without times
 * (plain `ip monitor`, dmesg without boot time) and events given without a log are kept.
 */
export function checkLinkTiming(
  logs: readonly TimedLinkLog[],
  extraEvents: readonly LinkEvent[],
  capture: Span | null,
  incidents: readonly DetectedIncident[],
  findings: readonly Finding[],
  windowMs: number,
): LinkTiming {
  const notes: string[] = [];
  const setAside: string[] = [];
  const dropped = new Set<LinkEvent>();
  for (const log of logs) {
    const timed = log.events.filter((e) => e.time !== null);
    const first = log.first ?? timed[0]?.time ?? null;
    const last = log.last ?? timed[timed.length - 1]?.time ?? null;
    if (first === null || last === null) continue;
    const estimate = estimateClockOffset(timed, incidents, findings);
    const try_ = estimate ? `try --clock-offset ${clockOffsetArgument(estimate.offsetMs)}` : 'try --clock-offset (or --tz)';
    const span = { first, last };
    if (capture && !overlaps(span, capture, windowMs)) {
      notes.push(`link log ${log.path} ${spanWords(span, capture)} does not overlap the capture ${spanWords(capture, span)}; ${try_}`);
    } else if (estimate && Math.abs(estimate.offsetMs) > windowMs) {
      const e = estimate.example;
      notes.push(`link log ${log.path} lines up with the capture only after a shift of ${clockOffsetArgument(estimate.offsetMs)} ` +
        `(${e.event.ifname} ${e.event.type} with ${formatMac(e.mac)} at ${toIso(e.event.time!).slice(11, 19)} UTC, the capture shows it at ` +
        `${toIso(e.captureTime).slice(11, 19)} UTC); ${try_}`);
    } else continue;
    setAside.push(log.path);
    for (const e of log.events) dropped.add(e);
  }
  const all = [...extraEvents, ...logs.flatMap((l) => l.events)];
  const usable = dropped.size === 0 ? all : all.filter((e) => !dropped.has(e));
  usable.sort((a, b) => (a.time && b.time ? compareTs(a.time, b.time) : a.time ? -1 : b.time ? 1 : 0));
  return { usable, setAside, notes };
}

/** The span of the captures: earliest first frame to latest last frame, or null without frames. */
export function captureSpan(captures: readonly { first: Timestamp | null; last: Timestamp | null }[]): Span | null {
  let first: Timestamp | null = null;
  let last: Timestamp | null = null;
  for (const c of captures) {
    if (c.first && (first === null || compareTs(c.first, first) < 0)) first = c.first;
    if (c.last && (last === null || compareTs(c.last, last) > 0)) last = c.last;
  }
  return first && last ? { first, last } : null;
}
