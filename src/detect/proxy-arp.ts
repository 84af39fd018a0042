/**
 * The IPv4 addresses each (VLAN, MAC) claimed, up to `proxyArpMinIps` of them: a MAC that claimed
 * that many is a proxy ARP responder (a router answering for others), whose claims move nothing.
 * The same sets tell spoofing rules which addresses a MAC holds itself.
 */
import type { Mac } from '../net/mac.js';
import { macKey } from './keys.js';
import { LruMap } from './lru.js';

const NONE: ReadonlySet<string> = new Set();

export class ClaimedAddresses {
  private readonly byMac: LruMap<string | number, Set<string>>;

  /**
   * @param maxMacs MACs remembered (least recently claiming forgotten first).
   * @param proxyArpMinIps addresses that make a MAC a proxy ARP responder.
   */
  constructor(maxMacs: number, private readonly proxyArpMinIps: number) {
    this.byMac = new LruMap(maxMacs);
  }

  /** MACs remembered. */
  get size(): number {
    return this.byMac.size;
  }

  /** `mac` claimed `ip` on `vlan`. True when the MAC is (now) a proxy ARP responder. */
  note(vlan: number | null, mac: Mac, ip: string): boolean {
    const key = macKey(vlan, mac);
    let ips = this.byMac.get(key);
    if (!ips) { ips = new Set(); this.byMac.set(key, ips); }
    if (ips.size < this.proxyArpMinIps) ips.add(ip);
    return ips.size >= this.proxyArpMinIps;
  }

  /** The addresses `mac` claimed on `vlan` (empty when none or forgotten); not a copy. */
  of(vlan: number | null, mac: Mac): ReadonlySet<string> {
    return this.byMac.peek(macKey(vlan, mac)) ?? NONE;
  }

  isProxy(vlan: number | null, mac: Mac): boolean {
    return this.of(vlan, mac).size >= this.proxyArpMinIps;
  }
}
