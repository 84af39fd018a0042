/**
 * What `live` prints while it runs: one line per incident update (a table row, or one NDJSON
 * object per line for journald/syslog/log shippers), drop counters, and the closing summary.
 * MACs become `aa:bb:cc:dd:ee:ff` strings and timestamps ISO 8601 UTC with ns, as in bridgewatch/1.
 */
import type { Finding } from '../detect/types.js';
import type { Incident } from '../analysis.js';
import type { LinkEvent } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { toIso, type Timestamp } from '../time.js';
import type { LiveCaptureStats } from './capture.js';
import { TCPDUMP_SNAPLEN, type CaptureBackend } from './tcpdump.js';
import { causeToJson, SCHEMA, type JsonObject } from '../report/json.js';

/** Why an incident line is printed: first seen, or changed in kind, severity, cause or outage state. */
export type IncidentPhase = 'open' | 'update' | 'final';

/**
 * One incident update: NDJSON `type: "incident"` of both `live` (a line per change) and
 * `analyze --format ndjson` (one `final` line each); docs/schema.md "NDJSON records".
 */
export interface LiveIncidentRecord {
  schema: typeof SCHEMA;
  type: 'incident';
  phase: IncidentPhase;
  /** Stable across the updates of one incident (`I1`, `I2`, ... in the order they opened). */
  id: string;
  kind: string;
  severity: string;
  ip: string;
  vlan: number | null;
  /** ISO 8601 UTC, ns. */
  start: string;
  end: string;
  durationMs: number;
  /** MAC changes seen, in order: `from -> to`. */
  macChanges: { from: string; to: string; announced: boolean; at: string }[];
  /**
   * The outage figure: total of the incident's reply gaps, ms (the analysis' `Incident.outageMs`,
   * "Outage (total)" in the reports); 0 when nothing went unanswered (yet), as in the JSON document.
   */
  outageMs: number;
  /** True while a reply gap is still open (no answer yet). */
  outageOngoing: boolean;
  /** MAC unicast traffic was still sent to during the outage. */
  staleMac: string | null;
  macs: string[];
  /** The cause as in the JSON document (bridgewatch/1 Incident `cause`); null before correlation. */
  cause: IncidentCauseJson | null;
  /** Indexes of the incident's findings (in the JSON document's / postmortem's `findings`). */
  findings: number[];
  /** Evidence frames (capture frame numbers) of the findings, at most 32. */
  frames: number[];
}

/** Incident cause fields every consumer reads, plus the rest of bridgewatch/1's Cause. */
export type IncidentCauseJson = JsonObject & { code: string; confidence: number; summary: string; bridge?: string; port?: string };

/** Builds the printed form of an incident from its findings (indexes into `findings`). */
export function incidentRecord(incident: Incident, findings: readonly Finding[], phase: IncidentPhase): LiveIncidentRecord {
  const own = incident.findings.map((i) => findings[i]).filter((f): f is Finding => f !== undefined);
  const macChanges: LiveIncidentRecord['macChanges'] = [];
  const macs = new Set<Mac>();
  let outageMs: number | null = null;
  let outageOngoing = false;
  let longestGapMs: number | null = null;
  let staleMac: Mac | null = null;
  const frames = new Set<number>();
  for (const f of own) {
    for (const ref of f.frames) frames.add(ref.frame);
    if (f.kind === 'mac-change') {
      const steps = f.steps?.length ? f.steps : [{ fromMac: f.fromMac, toMac: f.toMac, announced: f.announced, firstNew: f.end }];
      for (const s of steps) {
        macChanges.push({ from: formatMac(s.fromMac), to: formatMac(s.toMac), announced: s.announced, at: toIso(s.firstNew) });
        macs.add(s.fromMac);
        macs.add(s.toMac);
      }
    } else if (f.kind === 'reply-gap') {
      if (longestGapMs === null || f.durationMs > longestGapMs) {
        longestGapMs = f.durationMs;
        staleMac = f.staleMac;
      }
      outageMs = (outageMs ?? 0) + f.durationMs;
      if (f.ongoing) outageOngoing = true;
      if (f.staleMac !== null) macs.add(f.staleMac);
      if (f.answeredBy !== null) macs.add(f.answeredBy);
    } else if (f.kind === 'ip-clash') {
      for (const m of f.macs) macs.add(m);
    }
  }
  const c = incident.cause;
  return {
    schema: SCHEMA,
    type: 'incident',
    phase,
    id: incident.id,
    kind: incident.kind,
    severity: incident.severity,
    ip: incident.ip,
    vlan: incident.vlan,
    start: toIso(incident.start),
    end: toIso(incident.end),
    durationMs: round3(incident.durationMs),
    macChanges,
    outageMs: round3(outageMs ?? 0),
    outageOngoing,
    staleMac: staleMac === null ? null : formatMac(staleMac),
    macs: [...macs].map(formatMac),
    cause: c ? (causeToJson(c) as IncidentCauseJson) : null,
    findings: [...incident.findings],
    frames: [...frames].sort((a, b) => a - b).slice(0, 32),
  };
}

/**
 * The part of a record that makes a new line worth printing: an open gap grows with every frame,
 * so its duration is left out until it closes.
 */
export function recordSignature(r: LiveIncidentRecord): string {
  return JSON.stringify([
    r.kind, r.severity, r.macChanges.length, r.outageOngoing, r.outageOngoing ? null : r.outageMs, r.cause?.code ?? null,
  ]);
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function clock(iso: string): string {
  return iso.slice(11, 23);
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

/** Header of the live table. */
export const TABLE_HEADER = 'TIME          PHASE   ID   SEVERITY  KIND             IP               WHAT';

/** One table row (no trailing newline). */
export function incidentRow(r: LiveIncidentRecord): string {
  const what: string[] = [];
  for (const m of r.macChanges) what.push(`${m.from} -> ${m.to}${m.announced ? ' (announced)' : ' (silent)'}`);
  if (r.outageMs > 0) what.push(r.outageOngoing ? `outage ongoing ${seconds(r.outageMs)}` : `outage ${seconds(r.outageMs)}`);
  if (r.staleMac && r.outageMs > 0) what.push(`traffic to stale ${r.staleMac}`);
  if (r.cause) what.push(`cause: ${r.cause.code}${r.cause.port ? ` (port ${r.cause.port}${r.cause.bridge ? ` on ${r.cause.bridge}` : ''})` : ''}`);
  const vlan = r.vlan === null ? '' : ` vlan ${r.vlan}`;
  return [
    clock(r.phase === 'open' ? r.start : r.end).padEnd(13),
    r.phase.padEnd(7),
    r.id.padEnd(4),
    r.severity.padEnd(9),
    r.kind.padEnd(16),
    `${r.ip}${vlan}`.padEnd(16),
    what.join('; '),
  ].join(' ');
}

/** One stderr line for drop counters (table mode). */
export function statsLine(iface: string, s: LiveCaptureStats): string {
  const kernel = s.kernelDropsEstimate === null ? 'kernel drops not measurable with a filter (use --all)'
    : s.kernelDropsFrom === 'pcap_stats' ? `${s.kernelDropsEstimate} dropped by the kernel (pcap_stats)`
      : `~${s.kernelDropsEstimate} dropped by the kernel (estimate)`;
  return `bridgewatch: live ${iface}: ${s.captured} frames captured, ${s.queueDrops} dropped by bridgewatch (queue full), ${kernel}`;
}

/**
 * Frames a libpcap TPACKET_V2 ring of `bufferBytes` holds when each slot is sized for `frameBytes`
 * (libpcap 1.10 on Ethernet: 16-byte-aligned slots of a 70-byte header area plus the frame).
 */
function ringSlots(bufferBytes: number, frameBytes: number): number {
  return Math.floor(bufferBytes / (Math.ceil((70 + frameBytes) / 16) * 16));
}

/** `n` as is below 1 000, to tens below 10 000, to thousands above (1 020, 113 000); spaces between thousands. */
function about(n: number): string {
  const step = n >= 10_000 ? 1000 : n >= 1000 ? 10 : 1;
  return `~${(Math.round(n / step) * step).toLocaleString('en-US').replace(/,/g, ' ')}`;
}

/**
 * What to do about frames the kernel dropped before the capture read them, or null when it
 * dropped none (or that is unknown). cap's snap length of 65535 gives slots for 64 KiB frames on an
 * interface with segmentation offload (veth, bridges, most NICs), so its ring of `bufferBytes`
 * holds few frames and the advice is the tcpdump backend; with tcpdump, a bigger ring.
 */
export function kernelDropAdvice(backend: CaptureBackend, s: LiveCaptureStats, bufferBytes: number): string | null {
  const drops = s.kernelDropsEstimate;
  if (drops === null || drops === 0) return null;
  const counted = s.kernelDropsFrom === 'pcap_stats' ? `${drops}` : `~${drops}`;
  const head = `the kernel dropped ${counted} frame${drops === 1 ? '' : 's'} before the capture read them`;
  const mib = `${Math.round((bufferBytes / 1024 / 1024) * 10) / 10} MiB`;
  const tcpdumpSlots = about(ringSlots(bufferBytes, TCPDUMP_SNAPLEN));
  return backend === 'cap'
    ? `${head}: cap sizes ring slots for 64 KiB frames, so its ${mib} ring holds ${about(ringSlots(bufferBytes, 65535))} frames ` +
      `on an interface with segmentation offload; --capture tcpdump keeps ${TCPDUMP_SNAPLEN} bytes a frame ` +
      `(${tcpdumpSlots} frames in the same ring)`
    : `${head}: the ${mib} ring (${tcpdumpSlots} frames) filled; raise --buffer-mb`;
}

/** NDJSON record for a link event of interest (bridge MAC changes, port joins/leaves). */
export interface LiveLinkRecord {
  type: 'link';
  event: string;
  time: string | null;
  ifname: string;
  bridge: string | null;
  mac: string | null;
  oldMac: string | null;
}

/** Link events worth a line of their own; others only feed correlation. */
export function linkRecord(e: LinkEvent): LiveLinkRecord | null {
  const time = e.time ? toIso(e.time as Timestamp) : null;
  switch (e.type) {
    case 'port-join':
      return { type: 'link', event: e.type, time, ifname: e.ifname, bridge: e.bridge, mac: e.mac === null ? null : formatMac(e.mac), oldMac: null };
    case 'port-leave':
      return { type: 'link', event: e.type, time, ifname: e.ifname, bridge: e.bridge, mac: e.mac === null ? null : formatMac(e.mac), oldMac: null };
    case 'mac-change':
      return { type: 'link', event: e.isBridge ? 'bridge-mac-change' : 'mac-change', time, ifname: e.ifname, bridge: e.isBridge ? e.ifname : null, mac: formatMac(e.newMac), oldMac: e.oldMac === null ? null : formatMac(e.oldMac) };
    default:
      return null;
  }
}

/** Table-mode line for a link event record. */
export function linkLine(r: LiveLinkRecord): string {
  const what = r.event === 'port-join' ? `joined ${r.bridge}` : r.event === 'port-leave' ? `left ${r.bridge ?? 'its bridge'}` : `MAC ${r.oldMac ?? '?'} -> ${r.mac}`;
  return `${(r.time ? clock(r.time) : '').padEnd(13)} link    ${r.ifname} ${what}${r.mac && r.event !== 'mac-change' && r.event !== 'bridge-mac-change' ? ` (${r.mac})` : ''}`;
}
