/**
 * Plain-word descriptions shared by every reporter: the verdict line, what an incident and a link
 * event mean, the MACs involved. Output is unescaped text: renderers escape it for their format.
 */
import type { Analysis, Incident } from '../analysis.js';
import { FLOOD_DISTINCT_CAP, type Finding, type Severity } from '../detect/types.js';
import type { LinkEvent } from '../links/types.js';
import { formatMac, type Mac } from '../net/mac.js';
import { formatDuration, plural } from './format.js';

/** Severity order, lowest first. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The worst severity among the incidents, or null when there are none. */
export function worstSeverity(incidents: readonly Incident[]): Severity | null {
  let worst: Severity | null = null;
  for (const i of incidents) if (worst === null || SEVERITY_RANK[i.severity] > SEVERITY_RANK[worst]) worst = i.severity;
  return worst;
}

/** Findings of an incident (skipping indexes that point nowhere). */
export function findingsOf(analysis: Analysis, incident: Incident): Finding[] {
  return incident.findings.map((i) => analysis.findings[i]).filter((f): f is Finding => f !== undefined);
}

/** MACs involved in an incident, in order of first mention. */
export function incidentMacs(analysis: Analysis, incident: Incident): Mac[] {
  const macs: Mac[] = [];
  const add = (m: Mac | null): void => { if (m !== null && !macs.includes(m)) macs.push(m); };
  for (const f of findingsOf(analysis, incident)) {
    switch (f.kind) {
      case 'mac-change':
        if (f.sequence.length > 0) f.sequence.forEach(add);
        else { add(f.fromMac); add(f.toMac); }
        break;
      case 'ip-clash': f.macs.forEach(add); break;
      case 'reply-gap': add(f.staleMac); add(f.answeredBy); break;
      case 'arp-storm': break;
      case 'claim-flood': f.sampleMacs.forEach(add); break;
      case 'arp-spoof': f.spooferMacs.forEach(add); f.ownerMacs.forEach(add); break;
    }
  }
  return macs;
}

/**
 * The incident's outage figure: total time its reply gaps lasted, ms (0 when it had none). Every
 * reporter shows this one figure as "outage (total)"; the JSON carries it as `outageMs`.
 */
export function outageMs(analysis: Analysis, incident: Incident): number {
  return findingsOf(analysis, incident).reduce((sum, f) => sum + (f.kind === 'reply-gap' ? f.durationMs : 0), 0);
}

/** The root cause in plain words: correlation's summary, else a description of what was seen. */
export function causeText(analysis: Analysis, incident: Incident): string {
  if (incident.cause && incident.cause.code !== 'unknown') return incident.cause.summary;
  const seen = describeIncident(analysis, incident);
  return incident.cause?.summary ? `${incident.cause.summary} ${seen}` : `Cause not determined. ${seen}`;
}

/** What an incident shows, from its findings (one or two sentences). */
export function describeIncident(analysis: Analysis, incident: Incident): string {
  const parts = findingsOf(analysis, incident).map(describeFinding);
  return parts.length ? parts.join(' ') : `${incident.kind} on ${incident.ip}.`;
}

/** A distinct count that stops at FLOOD_DISTINCT_CAP: `4096+` there. */
function floodCount(n: number): string {
  return n >= FLOOD_DISTINCT_CAP ? `${n}+` : String(n);
}

/** One sentence per finding. */
export function describeFinding(f: Finding): string {
  const ip = f.vlan === null ? f.ip : `${f.ip} (VLAN ${f.vlan})`;
  switch (f.kind) {
    case 'mac-change':
      return `${ip} moved from ${formatMac(f.fromMac)} to ${formatMac(f.toMac)} ${f.announced ? 'with an announcement' : 'silently'}` +
        `${f.newMacLower ? ' (the new MAC is lower, as a bridge taking a port\'s MAC would do)' : ''}.`;
    case 'ip-clash':
      return `${ip} was claimed by ${f.macs.map(formatMac).join(' and ')} at the same time${f.probeConflict ? ' (an address probe was answered)' : ''}.`;
    case 'reply-gap': {
      const to = f.staleMac === null ? '' : ` sent to ${formatMac(f.staleMac)}`;
      const end = f.ongoing ? 'and was still unanswered when the capture ended'
        : f.answeredBy === null ? 'until traffic resumed' : `until ${formatMac(f.answeredBy)} answered`;
      const frames = f.framesToStaleMac > 0 ? ` and ${plural(f.framesToStaleMac, 'frame')}${to}` : '';
      return `${ip} did not answer for ${formatDuration(f.durationMs)}: ${plural(f.unansweredRequests, 'address request')}` +
        `${frames} from ${plural(f.requesters.length, 'requester')} went unanswered, ${end}.`;
    }
    case 'arp-storm':
      return `ARP storm for ${ip}: ${f.requests} requests, peaking at ${f.peakRate} per second.`;
    case 'claim-flood':
      return `Address claim flood${f.vlan === null ? '' : ` on VLAN ${f.vlan}`}: ${f.claims} ARP/NDP claims rebinding addresses to new MACs ` +
        `(${floodCount(f.distinctMacs)} MACs, ${floodCount(f.distinctIps)} addresses), peaking at ${f.peakRate} per second; ` +
        `first MACs ${f.sampleMacs.map(formatMac).join(', ')}.`;
    case 'arp-spoof':
      return f.reason === 'forged-sender'
        ? `ARP spoofing${f.vlan === null ? '' : ` on VLAN ${f.vlan}`}: ${plural(f.frameCount, 'ARP frame')} from ${f.spooferMacs.map(formatMac).join(', ')} ` +
          `carried a sender MAC other than their source (${f.distinctForgedMacs} forged MACs, first ${f.forgedMacs.slice(0, 8).map(formatMac).join(', ')}).`
        : `ARP spoofing: ${f.spooferMacs.map(formatMac).join(', ')} claimed ${f.claimedIps.join(', ')}, held by ` +
          `${f.ownerMacs.length > 0 ? f.ownerMacs.map(formatMac).join(', ') : 'a station it resolved itself'}` +
          `${f.ownIps.length > 0 ? `, besides its own ${f.ownIps.join(', ')}` : ''}.`;
  }
}

/** What a link event means, in words (names as the source printed them). */
export function describeLinkEvent(e: LinkEvent): string {
  const mac = (m: Mac | null): string => (m === null ? '' : ` (${formatMac(m)})`);
  switch (e.type) {
    case 'port-join': return `${e.ifname}${mac(e.mac)} joined bridge ${e.bridge}`;
    case 'port-leave': return `${e.ifname}${mac(e.mac)} left ${e.bridge === null ? 'its bridge' : `bridge ${e.bridge}`}${e.deleted ? ' (deleted)' : ''}`;
    case 'mac-change':
      return `${e.isBridge ? 'bridge ' : ''}${e.ifname} MAC ${e.oldMac === null ? 'changed' : `${formatMac(e.oldMac)} ->`} ${formatMac(e.newMac)}`;
    case 'oper-state': return `${e.ifname} is ${e.state}`;
    case 'stp-state': return `${e.bridge === null ? '' : `${e.bridge}: `}port ${e.port} entered ${e.state} state`;
    case 'own-address': return `${e.bridge} received its own address on ${e.port}${mac(e.mac)}: a loop`;
    case 'topology-change': return `${e.bridge}: STP topology change`;
    case 'link-add': return `${e.ifname}${mac(e.mac)} appeared${e.master === null ? '' : ` in ${e.master}`}`;
    case 'link-del': return `${e.ifname}${mac(e.mac)} was deleted`;
    case 'promisc': return `${e.ifname} ${e.entered ? 'entered' : 'left'} ${e.mode} mode`;
  }
}

/**
 * Notes on the capture itself, one line each: a sparse capture (acknowledgements missing), whose
 * unanswered TCP was therefore not counted as an outage.
 */
export function captureNotes(analysis: Analysis): string[] {
  const sparse = analysis.acksNotCaptured;
  if (!sparse || sparse.count === 0) return [];
  const first = sparse.frames.map((f) => f.frame).join(', ');
  return [`${plural(sparse.count, 'TCP segment')} unacknowledged in the capture although their receiver went on talking${first ? ` (first: frame ${first})` : ''}: ` +
    'sparse or one-way capture, TCP gaps not counted as outages'];
}

/** One-line verdict, e.g. `2 incidents (1 critical, 1 warning): 192.0.2.1 unreachable for 23.06 s`. */
export function verdict(analysis: Analysis): string {
  const packets = analysis.captures.reduce((n, c) => n + c.packets, 0);
  const errors = analysis.captures.filter((c) => c.error).length;
  const partial = errors ? ` (${plural(errors, 'capture')} ended early on an error; results cover what was read)` : '';
  if (analysis.incidents.length === 0) return `No incidents in ${plural(packets, 'packet')}.${partial}`;
  const counts = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, analysis.incidents.filter((i) => i.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const outages = analysis.incidents.map((i) => outageMs(analysis, i));
  const totalOutage = outages.reduce((sum, ms) => sum + ms, 0);
  // Only the addresses whose incidents had an outage were unreachable; the others are "affected".
  const unreachable = [...new Set(analysis.incidents.filter((_, k) => outages[k]! > 0).map((i) => i.ip))];
  const affected = [...new Set(analysis.incidents.map((i) => i.ip))].filter((ip) => !unreachable.includes(ip));
  const causes = [...new Set(analysis.incidents.map((i) => i.cause?.code).filter((c) => c && c !== 'unknown'))];
  const impact = (unreachable.length ? `; ${unreachable.join(', ')} unreachable for ${formatDuration(totalOutage)} in total` : '') +
    (affected.length ? `; ${unreachable.length ? 'also affects' : 'affects'} ${affected.join(', ')}` : '');
  const cause = causes.length ? `; cause: ${causes.join(', ')}` : '';
  return `${plural(analysis.incidents.length, 'incident')} (${counts.join(', ')})${impact}${cause}.${partial}`;
}

const KERNEL_LOG_FORMATS = new Set(['dmesg', 'dmesg-T', 'journalctl', 'journalctl-json', 'syslog']);

/**
 * Where a link event came from: `path:line` of the log it was read from (the first log of a
 * matching format: events carry their source kind, not their file), or `live`.
 */
export function linkEventWhere(analysis: Analysis, e: LinkEvent): string {
  if (e.line === null) return 'live';
  const log = analysis.linkLogs.find((l) => (e.source === 'kernel-log' ? KERNEL_LOG_FORMATS.has(l.format) : l.format === e.source));
  return `${log?.path ?? e.source}:${e.line}`;
}
