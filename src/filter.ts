/**
 * The display filter of `analyze --ip/--vlan/--mac` (tshark's habit of narrowing what is shown):
 * keeps the incidents and findings that involve the given addresses, VLANs or MACs. Values of
 * one kind are alternatives (`--ip A --ip B`: either address); different kinds must all hold
 * (`--ip A --vlan 100`: A in VLAN 100). An incident is kept when it or one of its findings
 * matches, and then with all its findings, so a report still explains it whole. Detection runs
 * on everything (a flip needs the frames around it); only what is reported is narrowed.
 */
import { isIP } from 'node:net';
import type { Analysis, DisplayFilter, Incident } from './analysis.js';
import type { Finding } from './detect/types.js';
import { BridgewatchError } from './errors.js';
import { formatMac, parseMac, type Mac } from './net/mac.js';

export type { DisplayFilter };

/** True when `filter` narrows anything. */
export function isFilterActive(filter: DisplayFilter): boolean {
  return (filter.ips?.length ?? 0) + (filter.vlans?.length ?? 0) + (filter.macs?.length ?? 0) > 0;
}

/** The filter in words for a note: `ip 192.0.2.1 or 192.0.2.2, vlan 100`. */
export function describeFilter(f: DisplayFilter): string {
  const parts: string[] = [];
  if (f.ips?.length) parts.push(`ip ${f.ips.join(' or ')}`);
  if (f.vlans?.length) parts.push(`vlan ${f.vlans.join(' or ')}`);
  if (f.macs?.length) parts.push(`mac ${f.macs.join(' or ')}`);
  return parts.join(', ');
}

/** Checks and canonicalises the values (USAGE error naming the option and the value). */
export function normalizeFilter(filter: DisplayFilter): DisplayFilter {
  const out: DisplayFilter = {};
  if (filter.ips?.length) out.ips = filter.ips.map(canonicalIp);
  if (filter.vlans?.length) {
    out.vlans = filter.vlans.map((v) => {
      if (!Number.isInteger(v) || v < 0 || v > 4094) throw new BridgewatchError('USAGE', `--vlan: expected a VLAN id 0-4094 (0: untagged), got ${v}`);
      return v;
    });
  }
  if (filter.macs?.length) {
    out.macs = filter.macs.map((m) => {
      const mac = parseMac(m);
      if (mac === null) throw new BridgewatchError('USAGE', `--mac: expected a MAC such as 52:54:00:12:34:56, got "${m}"`);
      return formatMac(mac);
    });
  }
  return out;
}

/** `--vlan` text to a number (USAGE error when not an integer). */
export function parseVlan(text: string): number {
  if (!/^\d+$/.test(text)) throw new BridgewatchError('USAGE', `--vlan: expected a VLAN id 0-4094 (0: untagged), got "${text}"`);
  return Number(text);
}

/** The analysis narrowed to `filter` (incident `findings` indexes renumbered); the input is not changed. */
export function filterAnalysis(analysis: Analysis, filter: DisplayFilter): Analysis {
  const f = normalizeFilter(filter);
  if (!isFilterActive(f)) return analysis;
  const matches = analysis.findings.map((finding) => findingMatches(finding, f));
  const keptIncidents = analysis.incidents.filter((i) => incidentMatches(i, f) || i.findings.some((n) => matches[n]));
  const keep = new Set<number>();
  analysis.findings.forEach((_, n) => { if (matches[n]) keep.add(n); });
  for (const i of keptIncidents) for (const n of i.findings) keep.add(n);
  const order = [...keep].sort((a, b) => a - b);
  const renumber = new Map(order.map((old, now) => [old, now]));
  return {
    ...analysis,
    findings: order.map((n) => analysis.findings[n]!),
    incidents: keptIncidents.map((i) => ({ ...i, findings: i.findings.map((n) => renumber.get(n)!) })),
    filter: f,
  };
}

/**
 * True when a printed incident line (live) involves the filter's addresses, VLANs and MACs
 * (`filter` as returned by {@link normalizeFilter}; `macs` are the record's formatted MACs).
 */
export function incidentLineMatches(r: { ip: string; vlan: number | null; macs: readonly string[] }, f: DisplayFilter): boolean {
  if (!ipVlanMatch(r.ip, r.vlan, f)) return false;
  return f.macs === undefined || f.macs.some((m) => r.macs.includes(m));
}

function incidentMatches(i: Incident, f: DisplayFilter): boolean {
  // An incident's MACs are those of its findings, so only address and VLAN are checked here.
  return f.macs === undefined && ipVlanMatch(i.ip, i.vlan, f);
}

function findingMatches(finding: Finding, f: DisplayFilter): boolean {
  if (!ipVlanMatch(finding.ip, finding.vlan, f)) return false;
  if (f.macs === undefined) return true;
  const macs = new Set(macsOf(finding).map(formatMac));
  return f.macs.some((m) => macs.has(m));
}

function ipVlanMatch(ip: string, vlan: number | null, f: DisplayFilter): boolean {
  if (f.ips !== undefined && !f.ips.includes(canonicalIpOrSelf(ip))) return false;
  if (f.vlans !== undefined && !f.vlans.includes(vlan ?? 0)) return false;
  return true;
}

/** Every MAC a finding names. */
function macsOf(f: Finding): Mac[] {
  switch (f.kind) {
    case 'mac-change': return [f.fromMac, f.toMac, ...f.sequence];
    case 'ip-clash': return f.macs;
    case 'reply-gap': return [f.staleMac, f.answeredBy].filter((m): m is Mac => m !== null);
    case 'arp-storm': return [];
    case 'claim-flood': return f.sampleMacs;
    case 'arp-spoof': return [...f.spooferMacs, ...f.ownerMacs, ...f.forgedMacs];
  }
}

/** Canonical text of an address (`2001:DB8:0::1` -> `2001:db8::1`); USAGE error when not one. */
function canonicalIp(text: string): string {
  const c = canonicalIpOrNull(text);
  if (c === null) throw new BridgewatchError('USAGE', `--ip: expected an IPv4 or IPv6 address, got "${text}"`);
  return c;
}

function canonicalIpOrSelf(text: string): string {
  return canonicalIpOrNull(text) ?? text;
}

function canonicalIpOrNull(text: string): string | null {
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return null;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}
