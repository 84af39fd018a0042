/**
 * Findings and the incidents that group them. Findings are appended once and then only updated in
 * place (an open gap grows, a flip gains a step), so the indexes incidents hold stay valid.
 *
 * Severity rules (docs/schema.md, "Severity"):
 * - `ip-clash`: critical (two stations answer for one address; traffic is split between them).
 * - `bridge-mac-flip`, `outage`, `announced-move`: critical when the longest reply gap is at least
 *   `criticalOutageMs`, else warning.
 * - `mac-change` (silent, old MAC active just before, no outage seen yet): warning.
 * - `arp-storm`: warning.
 * - `claim-flood`: critical (addresses are being rebound wholesale: spoofing or a broken device).
 * - `arp-spoof`: critical (a station impersonates others or forges ARP senders).
 * - `arp-flux`: clashes of one set of MACs over several addresses (one multi-homed host answering
 *   for all its addresses on every NIC): warning, traffic still reaches the host.
 */
import type { DetectedIncident, Finding, MacChangeFinding, ReplyGapFinding, Severity } from './types.js';
import { compareTs, diffMs, type Timestamp } from '../time.js';

/** Internal handle on one incident while detection runs. */
export interface IncidentState {
  incident: DetectedIncident;
  /** Capture time (s) of the latest activity: later findings within the flip window join it. */
  lastT: number;
}

export type IncidentListener = (incident: DetectedIncident, findings: Finding[]) => void;

export class IncidentBook {
  readonly findings: Finding[] = [];
  readonly incidents: IncidentState[] = [];
  private nextId = 1;
  /** Findings not kept because {@link maxFindings} were already kept (a flood of distinct changes). */
  droppedFindings = 0;

  constructor(
    private readonly criticalOutageMs: number,
    private readonly notify: () => IncidentListener | undefined,
    private readonly maxFindings = Infinity,
  ) {}

  /**
   * Appends a finding and returns its index; -1 (and the finding is only counted) once
   * `maxFindings` are kept, so a flood of random IP/MAC pairs cannot grow memory without bound.
   */
  addFinding(f: Finding): number {
    if (this.findings.length >= this.maxFindings) {
      this.droppedFindings++;
      return -1;
    }
    this.findings.push(f);
    return this.findings.length - 1;
  }

  /**
   * Opens an incident around existing findings and gives it its id for good: `I1`, `I2`, ... in
   * the order incidents open; an id merged away is not reused. Indexes of -1 (dropped findings) are
   * ignored; with none left the incident is detached (callers may attach to it, it is never
   * reported, and it takes no id).
   */
  open(findingIndexes: number[], t: number): IncidentState {
    findingIndexes = findingIndexes.filter((i) => i >= 0);
    if (findingIndexes.length === 0) {
      return { incident: { id: 'dropped', kind: 'mac-change', severity: 'warning', ip: '', vlan: null, start: { sec: 0, nsec: 0 }, end: { sec: 0, nsec: 0 }, durationMs: 0, outageMs: 0, findings: [] }, lastT: t };
    }
    const first = this.findings[findingIndexes[0]!]!;
    const incident: DetectedIncident = {
      id: `I${this.nextId++}`,
      kind: first.kind,
      severity: 'warning',
      ip: first.ip,
      vlan: first.vlan,
      start: first.start,
      end: first.end,
      durationMs: 0,
      outageMs: 0,
      findings: [...findingIndexes],
    };
    const state: IncidentState = { incident, lastT: t };
    this.incidents.push(state);
    this.refresh(state, t);
    return state;
  }

  /**
   * Moves `from`'s findings into `into` and forgets `from` (one host's incidents found to be one,
   * ARP flux). `from` then forwards to `into`'s incident, so a finding later attached through a
   * state still holding `from` is not lost. A live listener told about `from` sees its findings
   * again under `into`; `into` keeps its id and `from`'s id names nothing from then on.
   */
  merge(into: IncidentState, from: IncidentState, t: number): void {
    if (into === from || into.incident === from.incident) return;
    const at = this.incidents.indexOf(from);
    if (at >= 0) this.incidents.splice(at, 1);
    for (const index of from.incident.findings) {
      if (!into.incident.findings.includes(index)) into.incident.findings.push(index);
    }
    from.incident = into.incident;
    this.refresh(into, t);
  }

  /** Adds a finding to an incident (no-op when already there) and refreshes it. */
  attach(state: IncidentState, findingIndex: number, t: number): void {
    if (findingIndex >= 0 && !state.incident.findings.includes(findingIndex)) state.incident.findings.push(findingIndex);
    this.refresh(state, t);
  }

  /** Recomputes kind, severity and span after a finding changed, and tells the listener. */
  refresh(state: IncidentState, t: number): void {
    const inc = state.incident;
    state.lastT = Math.max(state.lastT, t);
    const fs = inc.findings.map((i) => this.findings[i]!);
    if (fs.length === 0) return; // detached (every finding dropped by the cap)
    let start: Timestamp = fs[0]!.start;
    let end: Timestamp = fs[0]!.end;
    for (const f of fs) {
      if (compareTs(f.start, start) < 0) start = f.start;
      if (compareTs(f.end, end) > 0) end = f.end;
    }
    inc.start = start;
    inc.end = end;
    inc.durationMs = diffMs(start, end);
    const change = fs.find((f): f is MacChangeFinding => f.kind === 'mac-change');
    const gaps = fs.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap');
    const longestGap = gaps.reduce((m, g) => Math.max(m, g.durationMs), 0);
    inc.outageMs = gaps.reduce((sum, g) => sum + g.durationMs, 0);
    const gapSeverity: Severity = longestGap >= this.criticalOutageMs ? 'critical' : 'warning';
    const clashes = fs.filter((f) => f.kind === 'ip-clash');
    if (fs.some((f) => f.kind === 'claim-flood')) {
      inc.kind = 'claim-flood';
      inc.severity = 'critical';
    } else if (fs.some((f) => f.kind === 'arp-spoof')) {
      inc.kind = 'arp-spoof';
      inc.severity = 'critical';
    } else if (clashes.length > 1 && clashes.some((c) => c.ip !== clashes[0]!.ip)) {
      inc.kind = 'arp-flux';
      inc.severity = gaps.length > 0 ? gapSeverity : 'warning';
    } else if (clashes.length > 0) {
      inc.kind = 'ip-clash';
      inc.severity = 'critical';
    } else if (change && gaps.length > 0) {
      inc.kind = change.announced ? 'announced-move' : 'bridge-mac-flip';
      inc.severity = gapSeverity;
    } else if (change) {
      inc.kind = 'mac-change';
      inc.severity = 'warning';
    } else if (gaps.length > 0) {
      inc.kind = 'outage';
      inc.severity = gapSeverity;
    } else {
      inc.kind = fs[0]!.kind;
      inc.severity = 'warning';
    }
    this.notify()?.(inc, fs);
  }

  /**
   * The incidents by start time (ties in the order they opened), each under the id it opened
   * with: ids are never renumbered, so a live line and the final report name an incident alike.
   */
  finalIncidents(): DetectedIncident[] {
    const list = this.incidents.map((s) => s.incident);
    list.sort((a, b) => compareTs(a.start, b.start));
    for (const inc of list) inc.findings.sort((x, y) => x - y);
    return list;
  }
}
