/**
 * What one incident or link event becomes in the system log: journald fields (native protocol,
 * `FIELD=value` lines) and the same facts as RFC 5424 structured data for syslog. Pure.
 *
 * Priorities are syslog levels (RFC 5424 section 6.2.1, sd-journal PRIORITY): critical incident
 * -> 2 (crit), warning -> 4 (warning), info -> 6 (info); link events -> 6, a bridge MAC change -> 5
 * (notice: the event that precedes every flip outage).
 */
import type { LiveIncidentRecord, LiveLinkRecord } from '../live/print.js';

/** The identifier every entry carries (`journalctl -t bridgewatch`, syslog APP-NAME). */
export const SYSLOG_IDENTIFIER = 'bridgewatch';

/**
 * RFC 5424 SD-ID of the structured data element. 32473 is the private enterprise number reserved
 * for documentation (RFC 5612); an SD-ID with `@` needs some PEN and bridgewatch has none of its own.
 */
export const SD_ID = 'bridgewatch@32473';

/** One log entry: a priority, a one-line message and extra fields (names without the prefix). */
export interface LogEntry {
  /** Syslog level 0-7 (2 crit, 4 warning, 5 notice, 6 info). */
  priority: number;
  /** One line, human readable. */
  message: string;
  /** Structured fields, upper-case names without `BRIDGEWATCH_` (e.g. `INCIDENT_ID`). */
  fields: Record<string, string>;
}

/** Syslog level of an incident severity. */
export function priorityOf(severity: string): number {
  if (severity === 'critical') return 2;
  if (severity === 'warning') return 4;
  return 6;
}

/** The log entry of an incident line (open, update or final). */
export function incidentEntry(r: LiveIncidentRecord, iface: string): LogEntry {
  const fields: Record<string, string> = {
    INCIDENT_ID: r.id,
    KIND: r.kind,
    SEVERITY: r.severity,
    PHASE: r.phase,
    IP: r.ip,
    IFACE: iface,
    START: r.start,
  };
  if (r.vlan !== null) fields['VLAN'] = String(r.vlan);
  if (r.outageMs > 0) fields['OUTAGE_MS'] = String(Math.round(r.outageMs));
  if (r.staleMac !== null) fields['STALE_MAC'] = r.staleMac;
  if (r.macChanges.length > 0) fields['MAC_CHANGES'] = r.macChanges.map((m) => `${m.from}->${m.to}`).join(',');
  if (r.cause) {
    fields['CAUSE'] = r.cause.code;
    if (r.cause.port !== undefined) fields['PORT'] = r.cause.port;
    if (r.cause.bridge !== undefined) fields['BRIDGE'] = r.cause.bridge;
  }
  const outage = r.outageMs === 0 ? '' : `, outage ${(r.outageMs / 1000).toFixed(1)} s${r.outageOngoing ? ' (ongoing)' : ''}`;
  const cause = r.cause ? `: ${r.cause.summary}` : '';
  return {
    priority: priorityOf(r.severity),
    message: oneLine(`${r.severity} ${r.kind} ${r.ip} on ${iface} (${r.phase} ${r.id})${outage}${cause}`),
    fields,
  };
}

/** The log entry of a link event line (port join/leave, MAC change). */
export function linkEntry(r: LiveLinkRecord, iface: string): LogEntry {
  const fields: Record<string, string> = { KIND: `link-${r.event}`, IFNAME: r.ifname, IFACE: iface };
  if (r.bridge !== null) fields['BRIDGE'] = r.bridge;
  if (r.mac !== null) fields['MAC'] = r.mac;
  if (r.oldMac !== null) fields['OLD_MAC'] = r.oldMac;
  if (r.time !== null) fields['EVENT_TIME'] = r.time;
  const what = r.event === 'port-join' ? `joined ${r.bridge}` : r.event === 'port-leave' ? `left ${r.bridge ?? 'its bridge'}` : `MAC ${r.oldMac ?? '?'} -> ${r.mac}`;
  return {
    priority: r.event === 'bridge-mac-change' ? 5 : 6,
    message: oneLine(`link ${r.ifname} ${what}`),
    fields,
  };
}

/** Journal field name: `BRIDGEWATCH_` + upper-case letters, digits and `_` (journald's rule). */
export function journalFieldName(name: string): string {
  return `BRIDGEWATCH_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/**
 * The entry as journald native-protocol text: one `FIELD=value` per line (values are one line by
 * construction), `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER` and the `BRIDGEWATCH_*` fields.
 */
export function journalText(e: LogEntry): string {
  const lines = [`MESSAGE=${oneLine(e.message)}`, `PRIORITY=${e.priority}`, `SYSLOG_IDENTIFIER=${SYSLOG_IDENTIFIER}`];
  for (const [k, v] of Object.entries(e.fields)) lines.push(`${journalFieldName(k)}=${oneLine(v)}`);
  return `${lines.join('\n')}\n`;
}

/** RFC 5424 PARAM-NAME: printable US-ASCII without `=`, space, `]`, `"`, at most 32 characters. */
function sdName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').slice(0, 32);
}

/** RFC 5424 PARAM-VALUE escaping: `"`, `\` and `]` get a backslash. */
export function sdValue(value: string): string {
  return oneLine(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** The structured data element `[bridgewatch@32473 incident_id="..." ...]`. */
export function structuredData(e: LogEntry): string {
  const params = Object.entries(e.fields).map(([k, v]) => `${sdName(k)}="${sdValue(v)}"`);
  return `[${SD_ID}${params.length ? ` ${params.join(' ')}` : ''}]`;
}

/** Facility `daemon` (3), as RFC 5424 PRI = facility * 8 + severity. */
export const FACILITY_DAEMON = 3;

/**
 * A complete RFC 5424 message (for a UDP/TCP collector): `<PRI>1 TIMESTAMP HOST bridgewatch PID
 * MSGID [SD] MSG`. MSGID is the entry's kind (`bridge-mac-flip`, `link-port-join`), or `-`.
 */
export function rfc5424(e: LogEntry, options: { time: Date; hostname: string; pid: number }): string {
  const pri = FACILITY_DAEMON * 8 + e.priority;
  const msgid = (e.fields['KIND'] ?? '-').replace(/[^\x21-\x7e]/g, '_').slice(0, 32) || '-';
  const host = options.hostname.replace(/[^\x21-\x7e]/g, '_').slice(0, 255) || '-';
  return `<${pri}>1 ${options.time.toISOString()} ${host} ${SYSLOG_IDENTIFIER} ${options.pid} ${msgid} ${structuredData(e)} ${oneLine(e.message)}`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}
