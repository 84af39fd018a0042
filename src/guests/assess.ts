/**
 * Pure: which guests would take each bridge's MAC when they start. A Linux bridge whose address
 * was never set (addr_assign_type != 3) takes the lowest MAC among its ports, so a starting guest
 * whose host-side port is below the current lowest (the uplink's, normally) takes it over, and
 * gives it back when it stops: the flip and outage of the field reports.
 */
import type { AuditRisk } from '../fixer/types.js';
import { chanceBelow } from './chance.js';
import type { BridgeGuestAudit, GuestPort, GuestRisk, HostMac } from './types.js';

/** What is known of one bridge on the host. */
export interface BridgeReference {
  bridge: string;
  /** The MAC to undercut (uplink's, else bridge's current); null when unknown. */
  mac: string | null;
  /** `uplink eth0`, `bridge`. */
  from: string | null;
  pinned: boolean;
  /** True when the host has no address on the bridge (a flip then only changes the bridge id). */
  noAddress?: boolean;
  /** True when the bridge has no port at all: the first port to join always gives it its MAC. */
  empty?: boolean;
}

/** Chances at or above this call for `warning` (a start in twenty flips the bridge). */
export const WARN_CHANCE = 0.05;

function describe(host: HostMac): string {
  switch (host.kind) {
    case 'fixed': return `host-side MAC ${host.mac}`;
    case 'prefix': return `host-side MAC ${host.prefix}:.. (rest random at each start)`;
    case 'random': return 'random host-side MAC at each start';
  }
}

/** The guest audit of each bridge in `refs`, plus one per bridge named only by guests (reference unknown). */
export function assessGuests(ports: GuestPort[], refs: BridgeReference[]): BridgeGuestAudit[] {
  const byBridge = new Map<string, BridgeReference>(refs.map((r) => [r.bridge, r]));
  for (const p of ports) {
    if (p.bridge !== null && !byBridge.has(p.bridge)) byBridge.set(p.bridge, { bridge: p.bridge, mac: null, from: null, pinned: false });
  }
  const out: BridgeGuestAudit[] = [];
  for (const ref of byBridge.values()) {
    const guests: GuestRisk[] = ports.filter((p) => p.bridge === ref.bridge).map((port) => {
      if (ref.pinned) return { port, chance: 0, why: `${ref.bridge}'s MAC is pinned: no port can take it` };
      if (ref.empty) return { port, chance: 1, why: `${ref.bridge} has no port now: the first port to join gives it its MAC` };
      if (ref.mac === null) return { port, chance: null, why: `${describe(port.hostMac)}; ${ref.bridge} is not on this host, its MAC is unknown` };
      const chance = chanceBelow(port.hostMac, ref.mac);
      const verdict = chance === 1 ? 'always below' : chance === 0 ? 'never below' : `below ${(chance * 100).toFixed(1)}% of starts`;
      return { port, chance, why: `${describe(port.hostMac)}: ${verdict} ${ref.mac} (${ref.from ?? 'reference'})` };
    });
    guests.sort((a, b) => (b.chance ?? -1) - (a.chance ?? -1) || a.port.guest.localeCompare(b.port.guest, 'en', { numeric: true }));
    out.push({ bridge: ref.bridge, referenceMac: ref.mac, referenceFrom: ref.from, pinned: ref.pinned, guests });
  }
  return out.sort((a, b) => a.bridge.localeCompare(b.bridge));
}

/** Short name of a guest port, e.g. `proxmox-lxc 101 net0 (veth101i0)`. */
export function guestLabel(p: GuestPort): string {
  return `${p.source} ${p.guest} ${p.iface}${p.hostPort ? ` (${p.hostPort})` : ''}`;
}

/**
 * The audit risk for a bridge's guests (id `guest-takes-bridge-mac`), or null when none would take
 * it: critical when some guest always would (a fixed lower MAC), warning when some would with a
 * chance of at least {@link WARN_CHANCE}, info below that; one step lower when the host has no
 * address on the bridge (as `mac-not-pinned`).
 */
export function guestRisk(audit: BridgeGuestAudit, noAddress = false): AuditRisk | null {
  const takers = audit.guests.filter((g) => (g.chance ?? 0) > 0);
  if (takers.length === 0 || audit.pinned) return null;
  const max = Math.max(...takers.map((g) => g.chance ?? 0));
  let severity: AuditRisk['severity'] = max >= 1 ? 'critical' : max >= WARN_CHANCE ? 'warning' : 'info';
  if (noAddress) severity = severity === 'critical' ? 'warning' : 'info';
  const list = takers.map((g) => `${guestLabel(g.port)} ${g.chance === 1 ? 'always' : `${Math.round((g.chance ?? 0) * 100)}% of starts`}`).join(', ');
  return {
    id: 'guest-takes-bridge-mac',
    severity,
    message: `Guests whose host-side port would take ${audit.bridge}'s MAC${audit.referenceMac ? ` (${audit.referenceMac})` : ''} when they start: ${list}. Pin the bridge MAC (bridgewatch fix ${audit.bridge}).`,
    ports: takers.map((g) => g.port.hostPort).filter((n): n is string => n !== null),
  };
}
