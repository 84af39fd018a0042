/**
 * The guest audit as `audit` runs it: read the guest definitions, assess them against the audited
 * bridges (uplink MAC, else bridge MAC; pinned or not), add a `guest-takes-bridge-mac` risk to each
 * bridge some guest would flip, and render the table block and the JSON part.
 */
import type { CommandRunner } from '../fixer/host.js';
import type { BridgeAudit } from '../fixer/types.js';
import { assessGuests, guestRisk, type BridgeReference } from './assess.js';
import { formatGuestAudit } from './format.js';
import { readGuestInventory } from './read.js';
import type { BridgeGuestAudit, GuestReadProblem } from './types.js';

/** The `guests` member of `audit --format json`. */
export interface GuestAuditJson {
  bridges: BridgeGuestAudit[];
  problems: GuestReadProblem[];
}

/** Reads guests, adds their risks to `audits` (in place), returns the outputs. */
export async function auditGuests(
  audits: BridgeAudit[], options: { root: string; run: CommandRunner; onlyAudited: boolean },
): Promise<{ json: GuestAuditJson; text: string }> {
  const inventory = await readGuestInventory({ root: options.root, run: options.run });
  const refs: BridgeReference[] = audits.map((a) => ({
    bridge: a.bridge.name,
    mac: a.uplink?.mac ?? a.bridge.mac,
    from: a.uplink ? `uplink ${a.uplink.port}` : 'bridge',
    pinned: a.bridge.addrAssignType === 3,
    noAddress: a.bridge.addresses !== null && a.bridge.addresses.length === 0,
  }));
  let bridges = assessGuests(inventory.ports, refs);
  if (options.onlyAudited) bridges = bridges.filter((b) => refs.some((r) => r.bridge === b.bridge));
  for (const a of audits) {
    const g = bridges.find((b) => b.bridge === a.bridge.name);
    const ref = refs.find((r) => r.bridge === a.bridge.name);
    const risk = g ? guestRisk(g, ref?.noAddress ?? false) : null;
    if (risk) a.risks.push(risk);
  }
  return { json: { bridges, problems: inventory.problems }, text: formatGuestAudit(bridges, inventory.problems) };
}
