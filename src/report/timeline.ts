/**
 * The report timeline: capture findings and link events interleaved in time order, plus the
 * per-IP MAC ownership segments the HTML timeline draws.
 */
import type { Analysis } from '../analysis.js';
import type { Finding, FrameRef } from '../detect/types.js';
import type { Mac } from '../net/mac.js';
import type { LinkEvent } from '../links/types.js';
import { compareTs, diffMs, type Timestamp } from '../time.js';
import { describeFinding, describeLinkEvent, linkEventWhere } from './describe.js';

/** One line of the timeline. */
export interface TimelineEntry {
  time: Timestamp;
  /** `capture` for findings, else the link event's source (`ip-monitor`, `kernel-log`, ...). */
  source: string;
  /** Plain words (unescaped). */
  text: string;
  /** Incident the finding belongs to, when any. */
  incident: string | null;
  /** Where it came from: `file:line` for link events, frame numbers for findings. */
  where: string;
  /** The link event, for entries that are one. */
  linkEvent?: LinkEvent;
}

/** Findings (at their start and, for outages, their end) and timed link events, in time order. */
export function buildTimeline(analysis: Analysis): TimelineEntry[] {
  const incidentOf = new Map<number, string>();
  for (const i of analysis.incidents) for (const f of i.findings) incidentOf.set(f, i.id);
  const entries: TimelineEntry[] = [];
  // With several captures a frame number alone is ambiguous: name the file too.
  const frameWhere = (ref: FrameRef | undefined): string => {
    if (!ref) return '';
    return analysis.captures.length > 1 ? `${analysis.captures[ref.fileIndex]?.path ?? `input ${ref.fileIndex}`} frame ${ref.frame}` : `frame ${ref.frame}`;
  };
  analysis.findings.forEach((f, index) => {
    const incident = incidentOf.get(index) ?? null;
    const first = f.frames[0];
    const last = f.frames[f.frames.length - 1];
    entries.push({ time: f.start, source: 'capture', text: startText(f), incident, where: frameWhere(first) });
    if (f.kind === 'reply-gap' && !f.ongoing) {
      entries.push({ time: f.end, source: 'capture', text: `${f.ip} answers again`, incident, where: frameWhere(last) });
    }
  });
  for (const e of analysis.linkEvents) {
    if (e.time === null) continue; // untimed sources cannot be placed; the report counts them
    entries.push({
      time: e.time, source: e.source, text: describeLinkEvent(e), incident: null, where: linkEventWhere(analysis, e), linkEvent: e,
    });
  }
  // Stable sort keeps findings before link events at equal times, which reads as "seen, because".
  return entries.sort((a, b) => compareTs(a.time, b.time));
}

function startText(f: Finding): string {
  return f.kind === 'reply-gap' ? `${f.ip} stops answering. ${describeFinding(f)}` : describeFinding(f);
}

/** Who owned an IP from `start` to `end` (end exclusive); `mac` null when unknown. */
export interface OwnershipSegment {
  start: Timestamp;
  end: Timestamp;
  mac: Mac | null;
}

/** A lane of the HTML timeline: one IP, its MAC owners over time, its outages and clashes. */
export interface IpLane {
  ip: string;
  vlan: number | null;
  segments: OwnershipSegment[];
  outages: Array<{ start: Timestamp; end: Timestamp; ongoing: boolean }>;
  /** Clash windows with the MACs that claimed the IP at once (drawn as one stripe per MAC). */
  clashes: Array<{ start: Timestamp; end: Timestamp; macs: Mac[] }>;
}

/**
 * Reconstructs per-IP ownership from the findings: a MAC change hands the IP from `fromMac` to
 * `toMac` at the change; an outage ends with `answeredBy` owning it. Before the first known change
 * the first known owner is assumed (it is what neighbours had cached).
 */
export function buildLanes(analysis: Analysis, range: { start: Timestamp; end: Timestamp }): IpLane[] {
  const lanes = new Map<string, { ip: string; vlan: number | null; changes: Array<{ t: Timestamp; from: Mac | null; to: Mac | null }>; outages: IpLane['outages']; clashes: IpLane['clashes'] }>();
  const laneOf = (f: Finding) => {
    const key = `${f.ip}|${f.vlan ?? ''}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { ip: f.ip, vlan: f.vlan, changes: [], outages: [], clashes: [] }));
    return lane;
  };
  for (const f of analysis.findings) {
    const lane = laneOf(f);
    switch (f.kind) {
      case 'mac-change':
        // Each step's first claim by the new MAC is when neighbours switched; without steps, the end.
        if (f.steps?.length) for (const s of f.steps) lane.changes.push({ t: s.firstNew, from: s.fromMac, to: s.toMac });
        else lane.changes.push({ t: f.end, from: f.fromMac, to: f.toMac });
        break;
      case 'reply-gap':
        lane.outages.push({ start: f.start, end: f.end, ongoing: f.ongoing });
        if (f.answeredBy !== null && !f.ongoing) lane.changes.push({ t: f.end, from: f.staleMac, to: f.answeredBy });
        break;
      case 'ip-clash': lane.clashes.push({ start: f.start, end: f.end, macs: [...f.macs] }); break;
      case 'arp-storm':
      case 'claim-flood':
      case 'arp-spoof': break;
    }
  }
  return [...lanes.values()].map((lane) => {
    const changes = lane.changes.sort((a, b) => compareTs(a.t, b.t));
    const segments: OwnershipSegment[] = [];
    let owner: Mac | null = changes[0]?.from ?? null;
    let from = range.start;
    for (const c of changes) {
      if (compareTs(c.t, from) > 0) segments.push({ start: from, end: c.t, mac: owner });
      owner = c.to;
      from = c.t;
    }
    if (compareTs(range.end, from) > 0) segments.push({ start: from, end: range.end, mac: owner });
    return { ip: lane.ip, vlan: lane.vlan, segments, outages: lane.outages, clashes: lane.clashes };
  });
}

/**
 * Two sources reporting one change (ip monitor and bridge monitor, or a kernel log whose wall
 * clock is derived from boot time and may be off by ~0.1 s) land within this window, ms.
 */
const SAME_CHANGE_WINDOW_MS = 250;
/** A port passing through blocking/listening/learning to forwarding this fast is a normal join. */
const TRANSIENT_STP_MS = 1000;

/** What makes two link events "the same change" for de-duplication. */
function changeKey(e: LinkEvent): string {
  switch (e.type) {
    case 'stp-state': return `stp|${e.port}|${e.state}`;
    case 'mac-change': return `mac|${e.ifname}|${e.newMac}`;
    case 'oper-state': return `oper|${e.ifname}|${e.state}`;
    default: return `${e.type}|${e.ifname}`;
  }
}

/**
 * The link events worth a marker on the HTML timeline and a row in the report timeline: joins,
 * leaves, MAC changes, deletions, loops, topology changes, carrier loss, and STP states a port
 * stayed in (with the forwarding state that ended them). Left out as routine: promiscuous and
 * allmulticast mode, links appearing or coming up, STP states passed through on the way to
 * forwarding, and the same change reported again by a second source.
 */
export function markerEntries(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const links = entries.filter((e): e is TimelineEntry & { linkEvent: LinkEvent } => e.linkEvent !== undefined);
  const kept: Array<TimelineEntry & { linkEvent: LinkEvent }> = [];
  /** Ports whose last kept STP state was a lasting non-forwarding one. */
  const heldPorts = new Set<string>();
  links.forEach((entry, i) => {
    const e = entry.linkEvent;
    if (e.type === 'promisc' || e.type === 'link-add') return;
    if (e.type === 'oper-state' && e.state !== 'down' && e.state !== 'lowerlayerdown') return;
    if (e.type === 'stp-state') {
      if (e.state === 'forwarding') {
        if (!heldPorts.has(e.port)) return;
      } else {
        if (e.state === 'disabled') return;
        if (settlesSoon(links, i, e.port)) return;
      }
    }
    // Entries are in time order: only the kept ones inside the window can be the same change.
    const key = changeKey(e);
    for (let k = kept.length - 1; k >= 0 && diffMs(kept[k]!.time, entry.time) <= SAME_CHANGE_WINDOW_MS; k--) {
      if (changeKey(kept[k]!.linkEvent) === key) return;
    }
    kept.push(entry);
    if (e.type === 'stp-state') {
      if (e.state === 'forwarding') heldPorts.delete(e.port);
      else heldPorts.add(e.port);
    }
  });
  return kept;
}

/** True when `port` reaches forwarding within {@link TRANSIENT_STP_MS} after entry `i` (time-ordered scan). */
function settlesSoon(links: ReadonlyArray<TimelineEntry & { linkEvent: LinkEvent }>, i: number, port: string): boolean {
  const from = links[i]!.time;
  for (let j = i + 1; j < links.length && diffMs(from, links[j]!.time) <= TRANSIENT_STP_MS; j++) {
    const later = links[j]!.linkEvent;
    if (later.type === 'stp-state' && later.port === port && later.state === 'forwarding') return true;
  }
  return false;
}
