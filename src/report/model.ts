/**
 * The postmortem as plain data, built once from an {@link Analysis} and a remediation plan, then
 * rendered by the Markdown and HTML reporters. All strings are unescaped: renderers escape them.
 */
import type { Analysis } from '../analysis.js';
import type { Severity } from '../detect/types.js';
import type { PlanStep, RemediationPlan } from '../fixer/types.js';
import { formatMac } from '../net/mac.js';
import { vendorOf as ouiVendorOf } from '../net/oui.js';
import { compareTs, fromNs, toNs, type Timestamp } from '../time.js';
import {
  captureNotes, causeText, describeFinding, describeLinkEvent, findingsOf, linkEventWhere, incidentMacs, outageMs, verdict, worstSeverity,
} from './describe.js';
import { evidenceCapped, incidentEvidence, incidentWindowFilter, type FileEvidence } from './evidence.js';
import { formatClock, formatDuration, formatMacWithVendor, formatTime, plural, type VendorLookup } from './format.js';
import { buildLanes, buildTimeline, markerEntries, type IpLane, type TimelineEntry } from './timeline.js';

/** One incident, ready to print. */
export interface IncidentView {
  id: string;
  kind: string;
  severity: Severity;
  /** IP, with `(VLAN n)` when tagged. */
  ip: string;
  start: string;
  end: string;
  duration: string;
  /** Outage time within the incident (reply gaps), or null when nothing went unanswered. */
  outage: string | null;
  /** MACs with vendors. */
  macs: string[];
  /** Root cause in plain words. */
  cause: string;
  causeCode: string;
  /** 0..100, null when correlation did not run. */
  confidencePct: number | null;
  /** Link events supporting the cause: description, `file:line` and raw text. */
  supporting: Array<{ text: string; where: string; raw: string }>;
  inferences: string[];
  toConfirm: string[];
  /** One sentence per finding. */
  findings: string[];
  evidence: FileEvidence[];
  /** The per-finding frame cap (`maxEvidenceFrames`) when it cut this incident's evidence, else null. */
  evidenceCap: number | null;
  /** Display filter for every frame about the IP in the incident's window ({@link incidentWindowFilter}). */
  windowFilter: string;
}

/** Who was affected by an outage. */
export interface ImpactView {
  incident: string;
  ip: string;
  duration: string;
  from: string;
  to: string;
  requesters: string[];
  unanswered: string;
}

/** An incident's close-up on the HTML timeline: its lane(s) over its own window. */
export interface Closeup {
  incident: string;
  /** Heading, e.g. `I1: bridge-mac-flip on 192.0.2.1, 10:51:36.613 to 10:51:41.721 (5.11 s)`. */
  title: string;
  /** The incident's window. */
  span: { start: Timestamp; end: Timestamp };
  /** The window drawn: the incident's plus a margin of a tenth of it (at least 50 ms) each side. */
  range: { start: Timestamp; end: Timestamp };
  lanes: IpLane[];
}

/** Everything a postmortem shows. */
export interface ReportModel {
  name: string;
  version: string;
  verdict: string;
  worst: Severity | null;
  captures: Array<{ path: string; detail: string; error: string | null }>;
  linkLogs: Array<{ path: string; format: string; unparsed: number }>;
  /** Notes on the inputs, one line each: a sparse capture, link logs set aside for their times. */
  linkNotes: string[];
  /** Link events without a timestamp (cannot be placed on the timeline). */
  untimedLinkEvents: number;
  incidents: IncidentView[];
  impact: ImpactView[];
  /** Findings and the significant link events ({@link markerEntries}), in time order. */
  timeline: TimelineEntry[];
  /** Timed link events left out of {@link timeline} as routine (promiscuous mode, transient STP states, repeats). */
  routineLinkEvents: number;
  /** Time range covered (captures and link events), null when empty. */
  range: { start: Timestamp; end: Timestamp } | null;
  /** Lanes of the HTML timeline, incident IPs first, at most {@link MAX_LANES}. */
  lanes: IpLane[];
  /** IPs with findings left out of the drawing (beyond {@link MAX_LANES}). */
  lanesOmitted: number;
  /** One close-up per incident (at most {@link MAX_CLOSEUPS}), each with its own time axis. */
  closeups: Closeup[];
  /** Incidents without a close-up (beyond {@link MAX_CLOSEUPS}). */
  closeupsOmitted: number;
  plan: RemediationPlan | null;
  options: Array<[string, string]>;
}

/**
 * Builds the model. `name` titles the report; `vendorOf` names MAC vendors (default: the IEEE
 * registry via src/net/oui.ts).
 */
export function buildReportModel(
  analysis: Analysis, plan: RemediationPlan | null, name: string, vendorOf: VendorLookup = ouiVendorOf,
): ReportModel {
  const range = timeRange(analysis);
  const fullTimeline = buildTimeline(analysis);
  const significant = new Set(markerEntries(fullTimeline));
  const timeline = fullTimeline.filter((e) => e.linkEvent === undefined || significant.has(e));
  return {
    name,
    version: analysis.version,
    verdict: verdict(analysis),
    worst: worstSeverity(analysis.incidents),
    captures: analysis.captures.map((c) => ({
      path: c.path,
      detail: `${c.format}${c.gzip ? ' (gzip)' : ''}, ${plural(c.packets, 'packet')}` +
        (c.first && c.last ? `, ${formatTime(c.first)} to ${formatTime(c.last)} UTC` : ''),
      error: c.error ? `${c.error.code}: ${c.error.message}` : null,
    })),
    linkLogs: analysis.linkLogs.map((l) => ({ path: l.path, format: l.format, unparsed: l.unparsed.length })),
    linkNotes: [...captureNotes(analysis), ...(analysis.linkNotes ?? [])],
    untimedLinkEvents: analysis.linkEvents.filter((e) => e.time === null).length,
    incidents: analysis.incidents.map((incident) => {
      const cause = incident.cause;
      const outage = outageMs(analysis, incident);
      return {
        id: incident.id,
        kind: incident.kind,
        severity: incident.severity,
        ip: incident.vlan === null ? incident.ip : `${incident.ip} (VLAN ${incident.vlan})`,
        start: formatTime(incident.start),
        end: formatTime(incident.end),
        duration: formatDuration(incident.durationMs),
        outage: outage > 0 ? formatDuration(outage) : null,
        macs: incidentMacs(analysis, incident).map((m) => formatMacWithVendor(m, vendorOf)),
        cause: causeText(analysis, incident),
        causeCode: cause?.code ?? 'unknown',
        confidencePct: cause ? Math.round(cause.confidence * 100) : null,
        supporting: (cause?.linkEvents ?? []).map((e) => ({
          text: describeLinkEvent(e),
          where: linkEventWhere(analysis, e),
          raw: e.raw,
        })),
        inferences: cause?.inferences ?? [],
        toConfirm: cause?.toConfirm ?? [],
        findings: findingsOf(analysis, incident).map(describeFinding),
        evidence: incidentEvidence(analysis, incident),
        evidenceCap: evidenceCapped(analysis, incident) ? Number(analysis.options['maxEvidenceFrames']) : null,
        windowFilter: incidentWindowFilter(incident),
      };
    }),
    impact: analysis.incidents.flatMap((incident) =>
      findingsOf(analysis, incident).flatMap((f) => f.kind !== 'reply-gap' ? [] : [{
        incident: incident.id,
        ip: f.vlan === null ? f.ip : `${f.ip} (VLAN ${f.vlan})`,
        duration: formatDuration(f.durationMs) + (f.ongoing ? ' (still ongoing at capture end)' : ''),
        from: formatTime(f.start),
        to: formatTime(f.end),
        requesters: f.requesters,
        unanswered: plural(f.unansweredRequests, 'address request') +
          (f.framesToStaleMac > 0 ? ` and ${plural(f.framesToStaleMac, 'frame')}${f.staleMac === null ? '' : ` sent to ${formatMac(f.staleMac)}`}` : '') +
          ' went unanswered',
      }])),
    timeline,
    routineLinkEvents: fullTimeline.length - timeline.length,
    range,
    ...withCloseups(analysis, drawnLanes(analysis, range)),
    plan,
    options: Object.entries(analysis.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, String(v)]),
  };
}

/** Earliest and latest time among captures, findings and timed link events. */
export function timeRange(analysis: Analysis): { start: Timestamp; end: Timestamp } | null {
  const times: Timestamp[] = [];
  for (const c of analysis.captures) { if (c.first) times.push(c.first); if (c.last) times.push(c.last); }
  for (const f of analysis.findings) times.push(f.start, f.end);
  for (const e of analysis.linkEvents) if (e.time) times.push(e.time);
  if (times.length === 0) return null;
  times.sort(compareTs);
  return { start: times[0]!, end: times[times.length - 1]! };
}

/** Frames listed in prose before "and N more" (the display filter always has them all). */
export const LISTED_FRAMES = 40;

/** `12, 13, 57` or, for long lists, the first {@link LISTED_FRAMES} and `… and N more`. */
export function frameList(frames: readonly number[]): string {
  if (frames.length <= LISTED_FRAMES) return frames.join(', ');
  return `${frames.slice(0, LISTED_FRAMES).join(', ')} … and ${frames.length - LISTED_FRAMES} more`;
}

/** The note under capped evidence: what is missing and the filter that shows it all (unescaped). */
export function cappedNote(i: IncidentView): string | null {
  if (i.evidenceCap === null) return null;
  return `Partial: each finding keeps at most ${i.evidenceCap} evidence frames (the first ones and the latest; ` +
    `--set maxEvidenceFrames=N keeps more), so the frames listed and their filter miss some. ` +
    `Every frame about ${i.ip} from ${i.start} to ${i.end}:`;
}

/** Lanes drawn in the HTML timeline at most: past this an SVG is unreadable and heavy. */
export const MAX_LANES = 40;

function drawnLanes(analysis: Analysis, range: { start: Timestamp; end: Timestamp } | null): { lanes: IpLane[]; lanesOmitted: number } {
  if (range === null) return { lanes: [], lanesOmitted: 0 };
  const incidentIps = new Set(analysis.incidents.map((i) => `${i.ip}|${i.vlan ?? ''}`));
  const all = buildLanes(analysis, range);
  const ordered = [...all.filter((l) => incidentIps.has(`${l.ip}|${l.vlan ?? ''}`)), ...all.filter((l) => !incidentIps.has(`${l.ip}|${l.vlan ?? ''}`))];
  return { lanes: ordered.slice(0, MAX_LANES), lanesOmitted: Math.max(0, ordered.length - MAX_LANES) };
}

/** Close-ups drawn at most; past this the incidents are in the overview and the tables only. */
export const MAX_CLOSEUPS = 12;

/** `t` moved by `ms` (negative: earlier), exactly to the nanosecond. */
function addMs(t: Timestamp, ms: number): Timestamp {
  return fromNs(toNs(t) + BigInt(Math.round((Number.isFinite(ms) ? ms : 0) * 1e6)));
}

function withCloseups(analysis: Analysis, drawn: { lanes: IpLane[]; lanesOmitted: number }):
  { lanes: IpLane[]; lanesOmitted: number; closeups: Closeup[]; closeupsOmitted: number } {
  const closeups: Closeup[] = [];
  for (const i of analysis.incidents) {
    const lanes = drawn.lanes.filter((l) => l.ip === i.ip && l.vlan === i.vlan);
    if (lanes.length === 0) continue;
    const marginMs = Math.max(Number.isFinite(i.durationMs) ? i.durationMs / 10 : 0, 50);
    closeups.push({
      incident: i.id,
      title: `${i.id}: ${i.kind} on ${i.vlan === null ? i.ip : `${i.ip} (VLAN ${i.vlan})`}, ${formatClock(i.start)} to ${formatClock(i.end)} (${formatDuration(i.durationMs)})`,
      span: { start: i.start, end: i.end },
      range: { start: addMs(i.start, -marginMs), end: addMs(i.end, marginMs) },
      lanes,
    });
  }
  return { ...drawn, closeups: closeups.slice(0, MAX_CLOSEUPS), closeupsOmitted: Math.max(0, closeups.length - MAX_CLOSEUPS) };
}

/** A group of the Remediation section; `brief` groups list each step in one item (stack, file, line to add). */
export interface RemediationGroup {
  title: string;
  steps: PlanStep[];
  brief: boolean;
  /** A sentence under the title, when any. */
  intro?: string;
}

/**
 * Plan steps grouped for the Remediation section, in reading order; empty groups left out. The
 * persistent steps of the detected stacks come in full; the other stacks' (all of them when no
 * stack is known, as from a capture alone) are listed briefly under one heading.
 */
export function remediationGroups(plan: RemediationPlan): RemediationGroup[] {
  const detected = new Set(plan.detectedStacks ?? []);
  const persistent = plan.steps.filter((s) => s.kind === 'persistent');
  // The per-stack bridge pins: one is the host's; sysctl files and the like apply to every host.
  const perStack = (s: PlanStep): boolean => s.id.startsWith('pin-bridge-mac-');
  const full = persistent.filter((s) => !perStack(s) || detected.has(s.stack));
  const brief = persistent.filter((s) => perStack(s) && !detected.has(s.stack));
  const groups: RemediationGroup[] = [
    { title: 'Runtime fix (takes effect now, lost at reboot)', steps: plan.steps.filter((s) => s.kind === 'runtime'), brief: false },
    { title: `Persistent configuration${detected.size ? ` (${[...detected].join(', ')}, found on the host)` : ''}`, steps: full, brief: false },
    detected.size > 0
      ? { title: 'Other stacks', steps: brief, brief: true }
      : {
        title: 'Bridge MAC in the network configuration (the host\'s stack only)', steps: brief, brief: true,
        intro: 'The capture does not tell which network stack configures the bridge (bridgewatch fix on the host finds it). ' +
          "Each stack's change to the bridge's existing definition:",
      },
    { title: 'Hypervisor-side fix', steps: plan.steps.filter((s) => s.kind === 'hypervisor'), brief: false },
    { title: 'Mitigation', steps: plan.steps.filter((s) => s.kind === 'mitigation'), brief: false },
  ];
  return groups.filter((g) => g.steps.length > 0);
}
