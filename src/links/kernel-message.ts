/**
 * Kernel log messages about bridges and links, whatever carried them (dmesg, journald, syslog).
 * Forms covered (REFERENCE.md §3; `net/bridge/br_stp.c` `br_log_state`, `net/core/dev.c`):
 * - `br0: port 2(vnet5) entered forwarding state` (old kernels: `entering`);
 * - `vnet5: entered promiscuous mode` (6.3+), `device vnet5 entered promiscuous mode` (before 6.3),
 *   `vnet5 (unregistering): left promiscuous mode`, the same for `allmulticast`;
 * - `br0: received packet on eth1 with own address as source address (addr:…, vlan:0)`
 *   (2.6 era: `received packet with  own address as source address`, no port);
 * - `br0: topology change detected, propagating` / `, sending tcn bpdu`;
 * - driver carrier messages `eth0: Link is Down` / `NIC Link is Up 1000 Mbps`, and
 *   `ADDRCONF(NETDEV_CHANGE): br0: link becomes ready`.
 * Any other message is simply of no interest (not an unparsed line).
 */
import { parseMac } from '../net/mac.js';
import { asStpState } from './link-line.js';
import type { LinkEvent } from './types.js';

/** Fields every kernel-log event shares. */
export interface KernelEventBase {
  time: LinkEvent['time'];
  line: number;
  raw: string;
}

const PORT_STATE = /^(\S+): port \d+\((\S+)\) (?:entered|entering) (\w+) state/;
const PROMISC_NEW = /^(\S+?)(?: \(unregistering\))?: (entered|left) (promiscuous|allmulticast) mode/;
const PROMISC_OLD = /^device (\S+) (entered|left) (promiscuous|allmulticast) mode/;
const OWN_ADDRESS = /^(\S+): received packet (?:on (\S+) )?with +own address as source address(?: \(addr:((?:[0-9a-f]{2}:){5}[0-9a-f]{2}), vlan:(\d+)\))?/;
const TOPOLOGY = /^(\S+): topology change detected/;
const CARRIER = /(?:^|\s)([A-Za-z][\w.-]*):? (?:NIC )?Link is (Up|Down)\b/;
const LINK_READY = /ADDRCONF\(NETDEV_(?:CHANGE|UP)\): (\S+): link becomes ready/;

/** Parses one kernel message (without its timestamp framing); null when it is of no interest. */
export function parseKernelMessage(message: string, base: KernelEventBase): LinkEvent | null {
  const common = { ...base, source: 'kernel-log' as const, ifindex: null };
  let m = PORT_STATE.exec(message);
  if (m) {
    const state = asStpState(m[3]);
    if (!state) return null;
    return { ...common, type: 'stp-state', ifname: m[2]!, bridge: m[1]!, port: m[2]!, state };
  }
  m = PROMISC_OLD.exec(message) ?? PROMISC_NEW.exec(message);
  if (m) {
    return { ...common, type: 'promisc', ifname: m[1]!, entered: m[2] === 'entered', mode: m[3] as 'promiscuous' | 'allmulticast' };
  }
  m = OWN_ADDRESS.exec(message);
  if (m) {
    return {
      ...common, type: 'own-address', ifname: m[2] ?? m[1]!, bridge: m[1]!, port: m[2] ?? '',
      mac: m[3] ? parseMac(m[3]) : null, vlan: m[4] !== undefined ? Number(m[4]) : null,
    };
  }
  m = TOPOLOGY.exec(message);
  if (m) return { ...common, type: 'topology-change', ifname: m[1]!, bridge: m[1]! };
  m = LINK_READY.exec(message);
  if (m) return { ...common, type: 'oper-state', ifname: m[1]!, state: 'up' };
  m = CARRIER.exec(message);
  if (m) return { ...common, type: 'oper-state', ifname: m[1]!, state: m[2] === 'Up' ? 'up' : 'down' };
  return null;
}
