/** Plain-text rendering of the guest audit (the `audit` table's "guests" block). */
import { guestLabel } from './assess.js';
import type { BridgeGuestAudit, GuestReadProblem, GuestSourceStatus } from './types.js';

function pct(chance: number | null): string {
  if (chance === null) return '   ?  ';
  if (chance === 1) return 'always';
  if (chance === 0) return ' never';
  return `${(chance * 100).toFixed(1).padStart(5)}%`;
}

/** `libvirt 2, proxmox 0, docker: docker CLI not installed`: what was looked for, so an absent source is visible. */
function formatSources(sources: GuestSourceStatus[]): string {
  const parts = sources.map((s) => (s.found === null ? `${s.hypervisor}: ${s.detail}` : s.detail.startsWith('not installed')
    ? `${s.hypervisor}: not installed` : `${s.hypervisor} ${s.found}`));
  return `guest definitions read: ${parts.join(', ')}`;
}

/**
 * One block per bridge: the reference MAC, then each guest port with its chance per start; then
 * the files that could not be understood and one line naming what was read and what was absent.
 */
export function formatGuestAudit(audits: BridgeGuestAudit[], problems: GuestReadProblem[] = [], sources: GuestSourceStatus[] = []): string {
  const out: string[] = [];
  for (const a of audits) {
    if (a.guests.length === 0) continue;
    const ref = a.pinned ? `${a.referenceMac ?? a.bridge}, pinned` : a.referenceFrom === 'no ports' ? 'no ports, NOT pinned'
      : a.referenceMac === null ? 'not on this host' : `${a.referenceMac} from ${a.referenceFrom ?? '?'}, NOT pinned`;
    out.push(`guests on ${a.bridge} (${ref}): chance per start that the guest takes the bridge MAC`);
    for (const g of a.guests) {
      out.push(`  ${pct(g.chance)}  ${guestLabel(g.port).padEnd(40)} ${g.why}  [${g.port.file}${g.port.line !== null ? `:${g.port.line}` : ''}]`);
    }
    out.push('');
  }
  for (const p of problems) out.push(`guest config problem: ${p.file}${p.line !== null ? `:${p.line}` : ''}: ${p.message}`);
  if (problems.length) out.push('');
  if (sources.length) out.push(formatSources(sources), '');
  return out.join('\n');
}
