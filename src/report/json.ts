/**
 * The `bridgewatch/1` JSON contract (docs/schema.md). Other tools parse these names: never rename
 * or change the meaning of a field; add optional ones and bump the schema only on a break.
 * Conversions: MACs -> `aa:bb:cc:dd:ee:ff` strings, timestamps -> ISO 8601 UTC with 9 fractional
 * digits (ns), untagged VLAN -> null.
 */
import type { Analysis, CaptureSummary, Incident } from '../analysis.js';
import type { Cause } from '../correlate/types.js';
import type { Finding, FrameRef, MacChangeStep } from '../detect/types.js';
import { linkEventToJson } from '../links/json.js';
import { captureNotes } from './describe.js';
import type { DisplayFilter } from '../analysis.js';
import { formatMac, type Mac } from '../net/mac.js';
import { toIso, type Timestamp } from '../time.js';

/** The schema identifier written in every document. */
export const SCHEMA = 'bridgewatch/1';

/** A JSON value (what every converter here returns). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const macOrNull = (m: Mac | null): string | null => (m === null ? null : formatMac(m));
const isoOrNull = (t: Timestamp | null): string | null => (t === null ? null : toIso(t));

/** Evidence frames: `frames` are frame numbers, `frameFiles[i]` the capture index of `frames[i]`. */
function frameFields(frames: FrameRef[]): { frames: number[]; frameFiles: number[] } {
  return { frames: frames.map((f) => f.frame), frameFiles: frames.map((f) => f.fileIndex) };
}

function stepToJson(s: MacChangeStep): JsonObject {
  return {
    fromMac: formatMac(s.fromMac), toMac: formatMac(s.toMac), lastOld: toIso(s.lastOld), firstNew: toIso(s.firstNew),
    learnedBy: s.learnedBy, announced: s.announced, ...frameFields(s.frames),
  };
}

/** One finding as JSON (common fields first, then the kind's own). */
export function findingToJson(f: Finding): JsonObject {
  const base: JsonObject = {
    kind: f.kind, ip: f.ip, vlan: f.vlan, start: toIso(f.start), end: toIso(f.end), durationMs: round3(f.durationMs),
    ...frameFields(f.frames),
  };
  switch (f.kind) {
    case 'mac-change':
      return {
        ...base, fromMac: formatMac(f.fromMac), toMac: formatMac(f.toMac), announced: f.announced,
        oldMacStillAnswers: f.oldMacStillAnswers, newMacLower: f.newMacLower, learnedBy: f.learnedBy,
        sequence: f.sequence.map(formatMac), steps: (f.steps ?? []).map(stepToJson),
      };
    case 'ip-clash':
      return { ...base, macs: f.macs.map(formatMac), probeConflict: f.probeConflict };
    case 'reply-gap':
      return {
        ...base, staleMac: macOrNull(f.staleMac), answeredBy: macOrNull(f.answeredBy), requesters: [...f.requesters],
        unansweredRequests: f.unansweredRequests, framesToStaleMac: f.framesToStaleMac, ongoing: f.ongoing,
      };
    case 'arp-storm':
      return { ...base, requests: f.requests, peakRate: f.peakRate };
    case 'claim-flood':
      return { ...base, claims: f.claims, distinctMacs: f.distinctMacs, distinctIps: f.distinctIps, peakRate: f.peakRate,
        sampleMacs: f.sampleMacs.map(formatMac) };
    case 'arp-spoof':
      return { ...base, reason: f.reason, spooferMacs: f.spooferMacs.map(formatMac), claimedIps: [...f.claimedIps],
        ownerMacs: f.ownerMacs.map(formatMac), ownIps: [...f.ownIps], forgedMacs: f.forgedMacs.map(formatMac),
        distinctForgedMacs: f.distinctForgedMacs, frameCount: f.frameCount };
  }
}

export function causeToJson(c: Cause): JsonObject {
  const out: JsonObject = {
    code: c.code, confidence: c.confidence, summary: c.summary, linkEvents: c.linkEvents.map(linkEventToJson),
    inferences: [...c.inferences], toConfirm: [...c.toConfirm],
  };
  if (c.bridge !== undefined) out.bridge = c.bridge;
  if (c.port !== undefined) out.port = c.port;
  if (c.hypervisor !== undefined) out.hypervisor = c.hypervisor;
  return out;
}

export function incidentToJson(i: Incident): JsonObject {
  const out: JsonObject = {
    id: i.id, kind: i.kind, severity: i.severity, ip: i.ip, vlan: i.vlan, start: toIso(i.start), end: toIso(i.end),
    durationMs: round3(i.durationMs), outageMs: round3(i.outageMs ?? 0), findings: [...i.findings],
  };
  if (i.cause) out.cause = causeToJson(i.cause);
  return out;
}

export function captureToJson(c: CaptureSummary): JsonObject {
  const out: JsonObject = {
    path: c.path, format: c.format, gzip: c.gzip, linkTypes: [...c.linkTypes], interfaces: [...c.interfaces],
    packets: c.packets, bytes: c.bytes, first: isoOrNull(c.first), last: isoOrNull(c.last), arp: c.arp, ndp: c.ndp,
    stp: c.stp, ip: c.ip, vlanTagged: c.vlanTagged, anomalies: { ...c.anomalies },
    anomalyExamples: c.anomalyExamples.map((a) => ({ ...a })),
  };
  if (c.error) {
    const err: JsonObject = { code: c.error.code, message: c.error.message };
    if (c.error.offset !== undefined) err.offset = c.error.offset;
    out.error = err;
  }
  return out;
}

/** The whole analysis as the `bridgewatch/1` document. */
export function toJson(analysis: Analysis): JsonObject {
  return {
    schema: SCHEMA,
    version: analysis.version,
    captures: analysis.captures.map(captureToJson),
    incidents: analysis.incidents.map(incidentToJson),
    findings: analysis.findings.map(findingToJson),
    linkEvents: analysis.linkEvents.map(linkEventToJson),
    linkLogs: analysis.linkLogs.map((l) => ({
      path: l.path, format: l.format, unparsed: l.unparsed.map((u) => ({ ...u })),
    })),
    ...(analysis.linkNotes && analysis.linkNotes.length > 0 ? { linkNotes: [...analysis.linkNotes] } : {}),
    ...(analysis.acksNotCaptured && analysis.acksNotCaptured.count > 0 ? {
      acksNotCaptured: {
        count: analysis.acksNotCaptured.count, ...frameFields(analysis.acksNotCaptured.frames), note: captureNotes(analysis)[0]!,
      },
    } : {}),
    options: { ...analysis.options },
    ...(analysis.filter ? { filter: filterToJson(analysis.filter) } : {}),
    ...(analysis.findingsDropped ? { findingsDropped: analysis.findingsDropped } : {}),
  };
}

/** The display filter in force (`--ip`, `--vlan`, `--mac`), canonical spellings. */
export function filterToJson(f: DisplayFilter): JsonObject {
  return { ips: [...(f.ips ?? [])], vlans: [...(f.vlans ?? [])], macs: [...(f.macs ?? [])] };
}

/** Milliseconds rounded to ns (3 decimals): durations come from doubles. */
function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
