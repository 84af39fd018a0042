/**
 * `audit --check`: the Nagios/Icinga plugin convention (Monitoring Plugins Development
 * Guidelines): one status line `BRIDGEWATCH STATE - summary | perfdata`, optional further lines
 * with detail, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. State = the highest risk severity:
 * critical -> CRITICAL, warning -> WARNING, info or none -> OK; an error (bridge missing, sysfs
 * unreadable) -> UNKNOWN. Pure.
 */
import type { BridgeAudit } from '../fixer/types.js';

/** Plugin states and their exit codes. */
export const CHECK_STATES = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type CheckState = keyof typeof CHECK_STATES;

/** What the plugin prints and returns. */
export interface CheckResult {
  state: CheckState;
  /** Exit code (0-3). */
  code: number;
  /** Everything to print: the status line, then detail lines; ends with a newline. */
  text: string;
}

/**
 * Perfdata `label=value;warn;crit;min` (plugin guidelines: no unit for counts). Thresholds are
 * ranges in the guidelines' syntax: `0` means "alert when outside 0..0", i.e. above zero, which is
 * what the state logic does for the critical and warning counts.
 */
function perf(label: string, value: number, warn = '', crit = ''): string {
  return `${label}=${value};${warn};${crit};0`;
}

/** The check result of a finished audit (guest risks already merged into `risks`). */
export function checkResult(audits: BridgeAudit[]): CheckResult {
  const risks = audits.flatMap((a) => a.risks.map((r) => ({ bridge: a.bridge.name, ...r })));
  const count = (s: string): number => risks.filter((r) => r.severity === s).length;
  const critical = count('critical');
  const warning = count('warning');
  const state: CheckState = critical > 0 ? 'CRITICAL' : warning > 0 ? 'WARNING' : 'OK';
  const unpinned = audits.filter((a) => a.bridge.addrAssignType !== 3).length;
  const guestTakers = risks.filter((r) => r.id === 'guest-takes-bridge-mac').reduce((n, r) => n + Math.max(1, r.ports.length), 0);
  const serious = risks.filter((r) => r.severity !== 'info');
  let summary: string;
  if (audits.length === 0) summary = 'no bridges on this host';
  else if (serious.length === 0) summary = `${audits.length} bridge(s), ${audits.length - unpinned} pinned, no risk at warning or above`;
  else {
    const byBridge = new Map<string, string[]>();
    for (const r of serious) byBridge.set(r.bridge, [...(byBridge.get(r.bridge) ?? []), r.id]);
    summary = [...byBridge].map(([b, ids]) => `${b}: ${[...new Set(ids)].join(', ')}`).join('; ');
  }
  const perfdata = [
    perf('bridges', audits.length), perf('unpinned', unpinned),
    perf('critical', critical, '', '0'), perf('warning', warning, '0', ''), perf('info', count('info')),
    perf('guest_takers', guestTakers),
  ].join(' ');
  const lines = [`BRIDGEWATCH ${state} - ${oneLine(summary)} | ${perfdata}`];
  for (const r of serious) lines.push(`${r.bridge} ${r.severity.toUpperCase()} ${r.id}: ${oneLine(r.message)}`);
  return { state, code: CHECK_STATES[state], text: `${lines.join('\n')}\n` };
}

/** The UNKNOWN result for an error that stopped the audit. */
export function checkUnknown(message: string): CheckResult {
  return { state: 'UNKNOWN', code: 3, text: `BRIDGEWATCH UNKNOWN - ${oneLine(message)}\n` };
}

function oneLine(s: string): string {
  // `|` starts perfdata in the plugin protocol: never inside the text.
  return s.replace(/[\r\n]+/g, ' ').replace(/\|/g, '/');
}
