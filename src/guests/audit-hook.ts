/**
 * The guest audit as `audit` runs it: read the guest definitions, assess them against the audited
 * bridges (the lowest MAC among the bridge's own ports, i.e. the uplink and any other non-guest
 * port; pinned or not), add a `guest-takes-bridge-mac` risk to each bridge some guest would flip,
 * and render the table block and the JSON part.
 */
import type { CommandRunner } from '../fixer/host.js';
import type { BridgeAudit } from '../fixer/types.js';
import { looksLikeGuestPort } from '../fixer/uplink.js';
import { parseMac } from '../net/mac.js';
import { assessGuests, guestRisk, type BridgeReference } from './assess.js';
import { formatGuestAudit } from './format.js';
import { readGuestInventory } from './read.js';
import type { BridgeGuestAudit, GuestReadProblem, GuestSourceStatus } from './types.js';

/** The `guests` member of `audit --format json`. */
export interface GuestAuditJson {
  bridges: BridgeGuestAudit[];
  problems: GuestReadProblem[];
  /** What was looked for on the host and found (or why not: e.g. `docker CLI not installed`). */
  sources: GuestSourceStatus[];
}

/**
 * The MAC a starting guest must undercut. The bridge takes the lowest MAC of its ports, and the
 * ports that stay are its own (uplink, other non-guest ports), so the reference is the lowest of
 * their CURRENT MACs (what the kernel compares; a bond's may differ from the permanent one). With
 * only guest ports the bridge's current MAC stands in; with no port at all the first port to join
 * always gives the bridge its MAC.
 */
export function bridgeReference(a: BridgeAudit): BridgeReference {
  const noAddress = a.bridge.addresses !== null && a.bridge.addresses.length === 0;
  const base = { bridge: a.bridge.name, pinned: a.bridge.addrAssignType === 3, noAddress };
  const own = a.bridge.ports.filter((p) => p.name === a.uplink?.port || !looksLikeGuestPort(p)).map((p) => ({ name: p.name, mac: p.mac }));
  if (a.uplink && !a.bridge.ports.some((p) => p.name === a.uplink?.port)) own.push({ name: a.uplink.port, mac: a.uplink.mac });
  let lowest: { name: string; mac: string } | null = null;
  for (const p of own) {
    const mac = parseMac(p.mac);
    if (mac !== null && (lowest === null || mac < (parseMac(lowest.mac) ?? Infinity))) lowest = p;
  }
  if (lowest) return { ...base, mac: lowest.mac, from: `${lowest.name === a.uplink?.port ? 'uplink' : 'port'} ${lowest.name}` };
  if (a.bridge.ports.length === 0) return { ...base, mac: null, from: 'no ports', empty: true };
  return { ...base, mac: a.bridge.mac, from: 'bridge (only guest ports now)' };
}

/**
 * Reads guests, adds their risks to `audits` (in place), returns the outputs. `run` queries Docker;
 * without it (e.g. under --root) Docker is not read and `sources` says so.
 */
export async function auditGuests(
  audits: BridgeAudit[], options: { root: string; run?: CommandRunner; onlyAudited: boolean },
): Promise<{ json: GuestAuditJson; text: string }> {
  const inventory = await readGuestInventory({ root: options.root, ...(options.run ? { run: options.run } : {}) });
  const refs = audits.map(bridgeReference);
  let bridges = assessGuests(inventory.ports, refs);
  if (options.onlyAudited) bridges = bridges.filter((b) => refs.some((r) => r.bridge === b.bridge));
  for (const a of audits) {
    const g = bridges.find((b) => b.bridge === a.bridge.name);
    const ref = refs.find((r) => r.bridge === a.bridge.name);
    const risk = g ? guestRisk(g, ref?.noAddress ?? false) : null;
    if (risk) a.risks.push(risk);
  }
  return {
    json: { bridges, problems: inventory.problems, sources: inventory.sources },
    text: formatGuestAudit(bridges, inventory.problems, inventory.sources),
  };
}
