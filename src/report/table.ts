/**
 * Terminal reporter: a cli-table3 table of incidents and a one-line verdict. Colour is decided by
 * the caller ({@link shouldUseColor}): only on a TTY, never when NO_COLOR is set (no-color.org).
 */
import Table from 'cli-table3';
import type { Analysis } from '../analysis.js';
import type { Severity } from '../detect/types.js';
import { vendorOf as ouiVendorOf } from '../net/oui.js';
import { captureNotes, causeText, incidentMacs, outageMs, verdict, worstSeverity } from './describe.js';
import { formatDuration, formatMacWithVendor, formatTime, type VendorLookup } from './format.js';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Emit ANSI colours. Default false. */
  color?: boolean;
  /** Vendor lookup for MACs; default src/net/oui.ts `vendorOf` (IEEE registry). */
  vendorOf?: VendorLookup;
  /** Maximum width of the cause column, characters. Default 60. */
  causeWidth?: number;
}

/**
 * True when colour should be used on `stream`: it is a TTY and NO_COLOR is unset or empty
 * (no-color.org: "when present and not an empty string").
 */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true;
}

const ANSI = { red: 31, yellow: 33, cyan: 36, green: 32, bold: 1, dim: 2 } as const;

function paint(on: boolean, style: keyof typeof ANSI, text: string): string {
  return on ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
}

const SEVERITY_STYLE: Record<Severity, keyof typeof ANSI> = { critical: 'red', warning: 'yellow', info: 'cyan' };

/**
 * The incidents table, the link-log notes and skipped lines ({@link linkLogLines}), then the
 * verdict line (only notes and verdict when there are no incidents). Ends with a newline.
 */
export function renderTable(analysis: Analysis, options: TableOptions = {}): string {
  const color = options.color ?? false;
  // Link-log notes and skipped lines come before the verdict, which stays the last line.
  const line = linkLogLines(analysis).map((l) => `${l}\n`).join('') + verdictLine(analysis, color);
  if (analysis.incidents.length === 0) return `${line}\n`;
  const table = new Table({
    head: ['#', 'Time (UTC)', 'Kind', 'IP', 'MACs', 'Duration', 'Outage (total)', 'Cause'],
    // cli-table3 colours the head and border red/grey by default: plain unless colour is on.
    style: color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] },
    colWidths: [null, null, null, null, null, null, null, options.causeWidth ?? 60],
    wordWrap: true,
  });
  for (const incident of analysis.incidents) {
    const macs = incidentMacs(analysis, incident).map((m) => formatMacWithVendor(m, options.vendorOf ?? ouiVendorOf));
    const outage = outageMs(analysis, incident);
    const cause = incident.cause ? `${incident.cause.code} (${Math.round(incident.cause.confidence * 100)}%): ` : '';
    table.push([
      incident.id,
      formatTime(incident.start),
      paint(color, SEVERITY_STYLE[incident.severity], `${incident.kind}\n${incident.severity}`),
      incident.vlan === null ? incident.ip : `${incident.ip}\nVLAN ${incident.vlan}`,
      macs.join('\n') || '-',
      formatDuration(incident.durationMs),
      outage > 0 ? formatDuration(outage) : '-',
      `${cause}${causeText(analysis, incident)}`,
    ]);
  }
  return `${table.toString()}\n${line}\n`;
}

/** Most unparsed link-log lines listed under the table, per log. */
const UNPARSED_SHOWN = 20;

/**
 * Lines about the inputs above the verdict: the capture notes (a sparse capture), link logs set
 * aside for their times, and each log's unparsed lines (file:line, reason), so nothing skipped
 * goes unsaid.
 */
export function linkLogLines(analysis: Analysis): string[] {
  const out = [...captureNotes(analysis), ...(analysis.linkNotes ?? [])];
  for (const l of analysis.linkLogs) {
    if (l.unparsed.length === 0) continue;
    out.push(`${l.path}: ${l.unparsed.length} unparsed line${l.unparsed.length === 1 ? '' : 's'} skipped`);
    for (const u of l.unparsed.slice(0, UNPARSED_SHOWN)) out.push(`  ${u.file}:${u.line}: ${u.reason}: ${u.text}`);
    if (l.unparsed.length > UNPARSED_SHOWN) out.push(`  … ${l.unparsed.length - UNPARSED_SHOWN} more (--format json lists them all)`);
  }
  return out;
}

/** The verdict, coloured by the worst severity when colour is on. */
export function verdictLine(analysis: Analysis, color = false): string {
  const worst = worstSeverity(analysis.incidents);
  const text = verdict(analysis);
  return paint(color, worst === null ? 'green' : SEVERITY_STYLE[worst], text);
}
