/**
 * What the capture alone says about one incident, gathered from its findings: the MAC pair that
 * moved (which one is lower), whether the move was announced, the outage and when it began.
 * Both the linked and the capture-only reasoning start from these facts.
 */
import type { ArpSpoofFinding, ClaimFloodFinding, DetectedIncident, Finding } from '../detect/types.js';
import type { Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';

/** Facts about one incident. */
export interface IncidentFacts {
  ip: string;
  /** Every MAC the findings mention. */
  macs: Set<Mac>;
  /** The MAC the IP moved from / to (first change), when there was a change. */
  fromMac: Mac | null;
  toMac: Mac | null;
  /** All change moments (first claim by the new MAC, or the finding start). */
  changeTimes: Timestamp[];
  /**
   * Each change with its direction (`down`: to a numerically lower MAC, as on a port join); it
   * happened between `since` (last frame from the old MAC) and `time` (first claim by the new one).
   */
  changes: { fromMac: Mac; toMac: Mac; time: Timestamp; since: Timestamp; down: boolean }[];
  announced: boolean;
  /** The old MAC kept answering after a change (two stations, not one that changed). */
  oldMacStillAnswers: boolean;
  /** Longest reply gap, if any. */
  gap: { start: Timestamp; end: Timestamp; durationMs: number; staleMac: Mac | null; answeredBy: Mac | null; ongoing: boolean } | null;
  clashMacs: Mac[];
  storm: boolean;
  /** The claim flood, when the incident is one. */
  flood: ClaimFloodFinding | null;
  /** The spoofing finding, when the incident is one. */
  spoof: ArpSpoofFinding | null;
  /** Distinct addresses of the incident's clashes (more than one: one host's NICs, ARP flux). */
  clashIps: string[];
}

/** Collects the facts of an incident's findings. */
export function incidentFacts(incident: DetectedIncident, findings: Finding[]): IncidentFacts {
  const facts: IncidentFacts = {
    ip: incident.ip, macs: new Set(), fromMac: null, toMac: null, changeTimes: [], changes: [], announced: false, oldMacStillAnswers: false,
    gap: null, clashMacs: [], storm: false, flood: null, spoof: null, clashIps: [],
  };
  for (const index of incident.findings) {
    const f = findings[index];
    if (!f) continue;
    switch (f.kind) {
      case 'mac-change':
        facts.macs.add(f.fromMac).add(f.toMac);
        for (const m of f.sequence) facts.macs.add(m);
        if (facts.fromMac === null) { facts.fromMac = f.fromMac; facts.toMac = f.toMac; }
        if (f.announced) facts.announced = true;
        if (f.oldMacStillAnswers) facts.oldMacStillAnswers = true;
        if (f.steps && f.steps.length > 0) {
          for (const s of f.steps) {
            facts.changeTimes.push(s.firstNew);
            facts.changes.push({ fromMac: s.fromMac, toMac: s.toMac, time: s.firstNew, since: s.lastOld, down: s.toMac < s.fromMac });
          }
        } else {
          facts.changeTimes.push(f.start);
          facts.changes.push({ fromMac: f.fromMac, toMac: f.toMac, time: f.start, since: f.start, down: f.toMac < f.fromMac });
        }
        break;
      case 'reply-gap':
        if (f.staleMac !== null) facts.macs.add(f.staleMac);
        if (f.answeredBy !== null) facts.macs.add(f.answeredBy);
        if (!facts.gap || f.durationMs > facts.gap.durationMs) {
          facts.gap = {
            start: f.start, end: f.end, durationMs: f.durationMs, staleMac: f.staleMac, answeredBy: f.answeredBy, ongoing: f.ongoing,
          };
        }
        break;
      case 'ip-clash':
        for (const m of f.macs) { facts.macs.add(m); facts.clashMacs.push(m); }
        if (!facts.clashIps.includes(f.ip)) facts.clashIps.push(f.ip);
        break;
      case 'arp-storm':
        facts.storm = true;
        break;
      case 'claim-flood':
        facts.flood = f;
        break;
      case 'arp-spoof':
        facts.spoof ??= f;
        for (const m of f.spooferMacs) facts.macs.add(m);
        break;
    }
  }
  return facts;
}

/**
 * The lower and higher MAC of the move: for a change, from/to; for a gap alone, the stale MAC
 * (the one that vanished) and the one that answered; for a two-MAC clash, the pair.
 */
export function macPair(facts: IncidentFacts): { low: Mac; high: Mac } | null {
  let a: Mac | null = facts.fromMac;
  let b: Mac | null = facts.toMac;
  if ((a === null || b === null) && facts.gap && facts.gap.staleMac !== null && facts.gap.answeredBy !== null) {
    a = facts.gap.staleMac;
    b = facts.gap.answeredBy;
  }
  if ((a === null || b === null) && facts.clashMacs.length === 2) {
    a = facts.clashMacs[0]!;
    b = facts.clashMacs[1]!;
  }
  if (a === null || b === null || a === b) return null;
  return a < b ? { low: a, high: b } : { low: b, high: a };
}
