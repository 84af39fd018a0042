/**
 * ARP flux (REFERENCE.md §6): a Linux host with several NICs in one subnet answers ARP for each of
 * its addresses on every NIC (`arp_ignore=0`), so each of its addresses is "claimed" by the same
 * set of MACs at once. Every address then has its own `ip-clash` finding; this groups the clashes
 * whose MAC sets are the same into one incident (kind `arp-flux`): one host, one fix, not one
 * critical duplicate-address incident per address.
 */
import type { Mac } from '../net/mac.js';
import type { IncidentState } from './incidents.js';
import { LruMap } from './lru.js';

interface Group { incident: IncidentState; lastT: number }

export class FluxGroups {
  private readonly groups: LruMap<string, Group>;

  /** @param windowS clashes of one MAC set within this many seconds of each other form one group. */
  constructor(private readonly windowS: number, cap: number) {
    this.groups = new LruMap(cap);
  }

  /** The incident of an earlier clash between exactly `macs` on `vlan`, if recent enough. */
  incidentOf(vlan: number | null, macs: readonly Mac[], t: number): IncidentState | null {
    const g = this.groups.get(groupKey(vlan, macs));
    return g !== undefined && t - g.lastT <= this.windowS ? g.incident : null;
  }

  /** Records the incident a clash between `macs` joined. */
  remember(vlan: number | null, macs: readonly Mac[], incident: IncidentState, t: number): void {
    this.groups.set(groupKey(vlan, macs), { incident, lastT: t });
  }
}

function groupKey(vlan: number | null, macs: readonly Mac[]): string {
  return `${vlan ?? ''}|${[...macs].sort((a, b) => a - b).join(',')}`;
}
