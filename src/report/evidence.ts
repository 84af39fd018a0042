/**
 * Evidence frames: which frames of which capture support each incident, the Wireshark display
 * filter that shows exactly those frames, and the packet comments `--annotate` writes on them.
 */
import type { Analysis, Incident } from '../analysis.js';
import type { Finding, FrameRef, MacChangeFinding, MacChangeStep } from '../detect/types.js';
import { isIP } from 'node:net';
import { formatMac } from '../net/mac.js';
import { formatDuration } from './format.js';

/** The evidence of one incident in one capture file. */
export interface FileEvidence {
  /** Index of the capture among the analysis' inputs. */
  fileIndex: number;
  /** Capture path as given. */
  path: string;
  /** Frame numbers, ascending, without duplicates. */
  frames: number[];
  /** Wireshark/tshark display filter matching exactly `frames`, e.g. `frame.number in {12, 13, 20..25}`. */
  filter: string;
}

/**
 * A display filter matching exactly `frames` (ascending, unique). Consecutive runs become ranges
 * `a..b`, which match exactly the same frames. Set members are comma-separated: Wireshark 4.0
 * rejects the older whitespace-separated form (`{12 13}`), and 3.6+ accepts commas.
 */
export function frameFilter(frames: readonly number[]): string {
  if (frames.length === 0) return 'frame.number == 0';
  if (frames.length === 1) return `frame.number == ${frames[0]}`;
  const parts: string[] = [];
  let runStart = frames[0]!;
  let prev = runStart;
  const flush = (): void => {
    if (prev === runStart) parts.push(String(runStart));
    else if (prev === runStart + 1) parts.push(String(runStart), String(prev));
    else parts.push(`${runStart}..${prev}`);
  };
  for (const f of frames.slice(1)) {
    if (f === prev + 1) { prev = f; continue; }
    flush();
    runStart = f;
    prev = f;
  }
  flush();
  return `frame.number in {${parts.join(', ')}}`;
}

/** Evidence frames of an incident grouped per capture file (files in input order). */
export function incidentEvidence(analysis: Analysis, incident: Incident): FileEvidence[] {
  const refs: FrameRef[] = [];
  for (const index of incident.findings) {
    const finding = analysis.findings[index];
    if (finding) refs.push(...finding.frames);
  }
  return groupByFile(analysis, refs);
}

/**
 * True when at least one finding of the incident kept only `maxEvidenceFrames` frames (the first
 * ones and the latest): its frame list, and the filter built from it, then miss the frames between.
 */
export function evidenceCapped(analysis: Analysis, incident: Incident): boolean {
  const cap = Number(analysis.options['maxEvidenceFrames'] ?? Infinity);
  return incident.findings.some((index) => (analysis.findings[index]?.frames.length ?? 0) >= cap);
}

/**
 * A display filter for every frame about the incident's address (ARP/NDP naming it, IP packets to
 * or from it; on its VLAN when tagged) in its time window, widened by 1 ms each side so the edge
 * frames are in whatever the rounding: what to open when the frame list was capped. It shows more
 * than the evidence (all the traffic of the window), never less.
 */
export function incidentWindowFilter(incident: Incident): string {
  const from = Math.floor(incident.start.sec * 1e3 + incident.start.nsec / 1e6 - 1) / 1e3;
  const to = Math.ceil(incident.end.sec * 1e3 + incident.end.nsec / 1e6 + 1) / 1e3;
  const parts = [`frame.time_epoch >= ${from.toFixed(3)}`, `frame.time_epoch <= ${to.toFixed(3)}`];
  const ip = incident.ip;
  const family = isIP(ip);
  if (family === 4) parts.push(`(arp.src.proto_ipv4 == ${ip} || arp.dst.proto_ipv4 == ${ip} || ip.addr == ${ip})`);
  else if (family === 6) parts.push(`(icmpv6.nd.ns.target_address == ${ip} || icmpv6.nd.na.target_address == ${ip} || ipv6.addr == ${ip})`);
  else parts.push('(arp || icmpv6.type in {135, 136})');
  if (incident.vlan !== null) parts.push(`vlan.id == ${incident.vlan}`);
  return parts.join(' && ');
}

/** Groups frame references per file, sorted and de-duplicated. */
export function groupByFile(analysis: Analysis, refs: readonly FrameRef[]): FileEvidence[] {
  const perFile = new Map<number, Set<number>>();
  for (const r of refs) {
    let set = perFile.get(r.fileIndex);
    if (!set) perFile.set(r.fileIndex, (set = new Set()));
    set.add(r.frame);
  }
  return [...perFile.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([fileIndex, set]) => {
      const frames = [...set].sort((a, b) => a - b);
      return { fileIndex, path: analysis.captures[fileIndex]?.path ?? `input ${fileIndex}`, frames, filter: frameFilter(frames) };
    });
}

/** Key of a frame in {@link evidenceComments}' map. */
export function frameKey(fileIndex: number, frame: number): string {
  return `${fileIndex}:${frame}`;
}

/**
 * The packet comments to write: for every evidence frame of every finding, one comment per finding
 * that cites it, e.g. `bridgewatch: 192.0.2.1 outage begins, frames to 00:18:51:00:00:01
 * unanswered [I1]`. Keyed by {@link frameKey}.
 */
export function evidenceComments(analysis: Analysis): Map<string, string[]> {
  const incidentOf = new Map<number, string>();
  for (const incident of analysis.incidents) for (const f of incident.findings) incidentOf.set(f, incident.id);
  const comments = new Map<string, string[]>();
  analysis.findings.forEach((finding, index) => {
    const tag = incidentOf.has(index) ? ` [${incidentOf.get(index)}]` : '';
    finding.frames.forEach((ref, k) => {
      const text = `bridgewatch: ${frameComment(finding, k)}${tag}`;
      const key = frameKey(ref.fileIndex, ref.frame);
      const list = comments.get(key);
      if (!list) comments.set(key, [text]);
      else if (!list.includes(text)) list.push(text);
    });
  });
  return comments;
}

/** What evidence frame `k` of `finding` shows, in words (without the `bridgewatch: ` prefix). */
export function frameComment(finding: Finding, k: number): string {
  const n = finding.frames.length;
  const of = `${k + 1}/${n}`;
  const ip = finding.vlan === null ? finding.ip : `${finding.ip} (VLAN ${finding.vlan})`;
  switch (finding.kind) {
    case 'reply-gap': {
      const toStale = finding.staleMac === null ? 'requests' : `frames to ${formatMac(finding.staleMac)}`;
      if (k === 0) return `${ip} outage begins, ${toStale} unanswered`;
      if (k === n - 1 && !finding.ongoing && finding.answeredBy !== null) {
        return `${ip} outage ends after ${formatDuration(finding.durationMs)}, answered by ${formatMac(finding.answeredBy)}`;
      }
      if (k === n - 1 && finding.ongoing) return `${ip} still unanswered when the capture ends (${of})`;
      return `${ip} outage continues, ${toStale} unanswered (${of})`;
    }
    case 'mac-change': {
      // Each frame is described by the change (step) it brackets, so the move back B->A of an
      // A->B->A flip reads "from B to A"; a frame shared by two steps gets both.
      const moves = stepsHolding(finding, finding.frames[k]).map((s) => {
        const how = s.announced ? 'announced' : 'silent';
        return `moved from ${formatMac(s.fromMac)} to ${formatMac(s.toMac)} (${how})`;
      });
      return `${ip} ${moves.join(', then ')} (${of})`;
    }
    case 'ip-clash':
      return `${ip} claimed by ${finding.macs.map(formatMac).join(' and ')} at once (${of})`;
    case 'arp-storm':
      return `ARP storm for ${ip}: ${finding.requests} requests, peak ${finding.peakRate}/s (${of})`;
    case 'claim-flood':
      return `address claim flood: ${finding.claims} claims, peak ${finding.peakRate}/s (${of})`;
    case 'arp-spoof':
      return `ARP spoofing by ${finding.spooferMacs.map(formatMac).join(', ')} (${finding.reason}) (${of})`;
  }
}

/** The changes of a mac-change finding whose bracketing frames include `ref`; the finding itself without steps. */
function stepsHolding(finding: MacChangeFinding, ref: FrameRef | undefined): Pick<MacChangeStep, 'fromMac' | 'toMac' | 'announced'>[] {
  const holding = ref === undefined ? [] : (finding.steps ?? []).filter((s) =>
    s.frames.some((r) => r.fileIndex === ref.fileIndex && r.frame === ref.frame));
  return holding.length > 0 ? holding : [finding];
}
