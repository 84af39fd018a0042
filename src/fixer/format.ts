/**
 * Plain-text rendering of audits, plans and apply results for the terminal (the CLI's default
 * format; `--format json` prints the objects themselves).
 */
import type { ApplyResult, BridgeAudit, RemediationPlan } from './types.js';

const MARK = { info: 'info    ', warning: 'WARNING ', critical: 'CRITICAL' } as const;

/** One block per bridge: state line, ports, risks. */
export function formatAudit(audits: BridgeAudit[]): string {
  if (audits.length === 0) return 'No bridges found.\n';
  const out: string[] = [];
  for (const a of audits) {
    const b = a.bridge;
    const pinned = b.addrAssignType === 3 ? 'pinned' : `NOT pinned (addr_assign_type ${b.addrAssignType ?? '?'})`;
    out.push(`${b.name}  ${b.mac}  ${pinned}  stp ${b.stpEnabled ? `on, forward_delay ${b.forwardDelaySec ?? '?'} s` : 'off'}  arp_notify ${fmtFlag(b.arpNotify)}  ndisc_notify ${fmtFlag(b.ndiscNotify)}`);
    out.push(`  addresses: ${b.addresses === null ? 'unknown' : b.addresses.join(', ') || 'none'}`);
    out.push(`  uplink: ${a.uplink ? `${a.uplink.port} ${a.uplink.mac} (${a.uplink.how})` : 'unknown'}`);
    out.push(`  stacks: ${a.stacks.join(', ') || 'none detected'}`);
    for (const p of b.ports) {
      out.push(`  port ${p.name.padEnd(15)} ${p.mac}  ${p.kind.padEnd(8)} ${p.stpState.padEnd(10)} learning ${fmtFlag(p.learning)} flood ${fmtFlag(p.unicastFlood)}`);
    }
    if (a.risks.length === 0) out.push('  no risks found');
    for (const r of a.risks) out.push(`  ${MARK[r.severity]} ${r.id}: ${r.message}`);
    out.push('');
  }
  return out.join('\n');
}

function fmtFlag(v: boolean | null): string {
  return v === null ? '?' : v ? 'on' : 'off';
}

/** The plan as numbered steps with command/config, why, verify and undo. */
export function formatPlan(plan: RemediationPlan, options: { applying?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`Plan for ${plan.bridge ?? 'the bridge (name unknown)'}${plan.pinMac ? `: pin to ${plan.pinMac}` : ''}`);
  if (plan.pinMacSource) out.push(`  MAC chosen from: ${plan.pinMacSource}`);
  for (const n of plan.notes) out.push(`  note: ${n}`);
  plan.steps.forEach((s, i) => {
    out.push('', `${i + 1}. [${s.kind}/${s.stack}] ${s.title}  (${s.id})`);
    out.push(`   why:    ${s.why}`);
    if (s.argv) out.push(`   run:    ${s.argv.map(quote).join(' ')}`);
    if (s.config) {
      out.push(`   config: ${s.config.file}${s.config.add && s.config.within ? `, inside ${s.config.within}, add:` : ''}`);
      for (const line of (s.config.add ?? s.config.text).replace(/\n$/, '').split('\n')) out.push(`     | ${line}`);
    }
    out.push(`   verify: ${s.verify}`);
    out.push(`   undo:   ${s.undo}`);
  });
  if (options.applying) out.push('', 'Applying now:');
  else out.push('', 'Dry run: nothing was changed. `fix BRIDGE --apply` runs the runtime step(s); --announce adds arp_notify/ndisc_notify; --write-config edits the detected stack\'s file (with a backup).');
  return `${out.join('\n')}\n`;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** What apply did, one line per step, then the read-back checks. */
export function formatApply(result: ApplyResult): string {
  const out = result.steps.map((s) => `${s.changed ? 'changed  ' : 'unchanged'} ${s.id}: ${s.detail}`);
  if (!result.changed) out.push(`${result.bridge}: nothing changed (already in the wanted state)`);
  if (result.verified.length) out.push(`verified: ${result.verified.join('; ')}`);
  return `${out.join('\n')}\n`;
}
