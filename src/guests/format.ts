/** Plain-text rendering of the guest audit (the `audit` table's "guests" block). */
import { guestLabel } from './assess.js';
import type { BridgeGuestAudit, GuestReadProblem } from './types.js';

function pct(chance: number | null): string {
  if (chance === null) return '   ?  ';
  if (chance === 1) return 'always';
  if (chance === 0) return ' never';
  return `${(chance * 100).toFixed(1).padStart(5)}%`;
}

/** One block per bridge: the reference MAC, then each guest port with its chance per start. */
export function formatGuestAudit(audits: BridgeGuestAudit[], problems: GuestReadProblem[] = []): string {
  const out: string[] = [];
  for (const a of audits) {
    if (a.guests.length === 0) continue;
    const ref = a.referenceMac === null ? 'not on this host' : a.pinned ? `${a.referenceMac}, pinned` : `${a.referenceMac} from ${a.referenceFrom ?? '?'}, NOT pinned`;
    out.push(`guests on ${a.bridge} (${ref}): chance per start that the guest takes the bridge MAC`);
    for (const g of a.guests) {
      out.push(`  ${pct(g.chance)}  ${guestLabel(g.port).padEnd(40)} ${g.why}  [${g.port.file}${g.port.line !== null ? `:${g.port.line}` : ''}]`);
    }
    out.push('');
  }
  for (const p of problems) out.push(`guest config problem: ${p.file}${p.line !== null ? `:${p.line}` : ''}: ${p.message}`);
  if (problems.length) out.push('');
  return out.join('\n');
}
