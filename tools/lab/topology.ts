/**
 * Building the lab's network: a hypervisor host namespace (bridge + uplink veth), a neighbour
 * namespace at the far end of the uplink (the router that talks to the host), and guest namespaces
 * attached by veth pairs whose host side plays the tap. Everything is created inside namespaces
 * (`ip -n NS link add ... peer ... netns OTHER`): nothing ever touches the root namespace's links.
 */
import { run, inNs } from './exec.js';
import { registerNamespace, deleteNamespaceSync } from './cleanup.js';

/** Fixed identities used by every scenario (documentation addresses only: RFC 5737 / RFC 3849). */
export const LAB_ADDRESSES = {
  hostIp: '192.0.2.1',
  hostIp6: '2001:db8::1',
  prefixLen: 24,
  prefixLen6: 64,
  /** A vendor-looking uplink MAC (b4:99:ba is an assigned OUI), high enough for OpenVZ's 00:18:51 to undercut. */
  uplinkMac: 'b4:99:ba:11:22:33',
  routerIp: '192.0.2.254',
  routerIp6: '2001:db8::fe',
  routerMac: '00:25:90:aa:bb:cc',
} as const;

/**
 * Names of one run. Namespaces are unique per process and run (`bwlab-<pid>-<n>-*`); interface names
 * only need to be unique per namespace, so they are the plain names a network engineer expects
 * (`br0`, `eth0`, `vnet0`), as on a real hypervisor and in REFERENCE.md.
 */
export interface LabNames {
  /** Common prefix of this run's namespaces (`bwlab-<pid>-<n>-`). */
  nsPrefix: string;
  hostNs: string;
  neighbourNs: string;
  /** The host's bridge (`br0`). */
  bridge: string;
  /** The host's uplink port (`eth0`). */
  uplink: string;
  /** The neighbour's end of the uplink veth (`eth0` in the neighbour namespace). */
  neighbourIf: string;
  guestNs(index: number): string;
  /**
   * Host-side port of guest `index`, NIC `nic`: `vnet0`, `vnet1`... in the order ports are first
   * named (as libvirt numbers its taps), so a guest keeps its port name for the whole run.
   */
  port(index: number, nic?: number): string;
  /** Guest-side interface of NIC `nic` (`eth0`, `eth1`), inside guest `index`'s namespace. */
  guestIf(index: number, nic?: number): string;
  /** Records another interface a scenario creates (e.g. a guest's own bridge) for {@link interfaces}. */
  addInterface(name: string): void;
  /** Every interface name this run has used in any of its namespaces (kernel-log filtering). */
  interfaces(): string[];
}

let runCounter = 0;

/** Names for a new run. Namespaces: `bwlab-<pid>-<n>-hv|nb|gK`; interfaces: plain names. */
export function makeNames(): LabNames {
  runCounter += 1;
  const base = `bwlab-${process.pid}-${runCounter}`;
  const ports = new Map<string, string>();
  const used = new Set<string>(['br0', 'eth0']);
  const port = (i: number, nic = 0): string => {
    const key = `${i}/${nic}`;
    let name = ports.get(key);
    if (name === undefined) {
      name = `vnet${ports.size}`;
      ports.set(key, name);
      used.add(name);
    }
    return name;
  };
  return {
    nsPrefix: `${base}-`,
    hostNs: `${base}-hv`,
    neighbourNs: `${base}-nb`,
    bridge: 'br0',
    uplink: 'eth0',
    neighbourIf: 'eth0',
    guestNs: (i) => `${base}-g${i}`,
    port,
    guestIf: (_i, nic = 0) => {
      used.add(`eth${nic}`);
      return `eth${nic}`;
    },
    addInterface: (name) => { used.add(name); },
    interfaces: () => [...used],
  };
}

/**
 * A veth pair whose ends are created directly in two namespaces (`ip -n A link add X ... peer name
 * Y netns B`): neither name ever exists in the root namespace, even for a moment.
 */
type VethEnd = { ns: string; name: string; mac: string };

export async function addVethPair(a: VethEnd, b: VethEnd): Promise<void> {
  await run(['ip', '-n', a.ns, 'link', 'add', a.name, 'address', a.mac, 'type', 'veth',
    'peer', 'name', b.name, 'netns', b.ns, 'address', b.mac]);
}

/** Creates a namespace (registered for cleanup first) with loopback up. */
export async function createNamespace(ns: string, options: { ipv6?: boolean } = {}): Promise<void> {
  registerNamespace(ns);
  await run(['ip', 'netns', 'add', ns]);
  await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  // Interfaces created later inherit `default`: keep IPv6 off where a scenario does not use it, so
  // the captures carry no link-local chatter from ports that have no business speaking.
  if (options.ipv6 === false) await sysctl(ns, 'net.ipv6.conf.default.disable_ipv6', '1');
}

/** Removes a namespace now (guest stop); cleanup would do it at the end anyway. */
export function deleteNamespace(ns: string): void {
  deleteNamespaceSync(ns);
}

/** `sysctl -w key=value` inside a namespace (keys use dots; our interface names contain none). */
export async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await run(inNs(ns, ['sysctl', '-q', '-w', `${key}=${value}`]));
}

/** Reads a sysfs/procfs file as seen from inside the namespace. */
export async function readInNs(ns: string, path: string): Promise<string> {
  return (await run(inNs(ns, ['cat', path]))).stdout.trim();
}

/** Current MAC of an interface. */
export async function linkMac(ns: string, ifname: string): Promise<string> {
  return readInNs(ns, `/sys/class/net/${ifname}/address`);
}

/** Options of the host bridge. */
export interface BridgeSetup {
  /** Pin the bridge MAC to the uplink's (the documented fix: addr_assign_type becomes 3). */
  pinned: boolean;
  /** Kernel STP on, with this forward delay (centiseconds, kernel minimum 200). */
  stpForwardDelayCs?: number;
  /** Give the bridge IPv6 (2001:db8::1). */
  ipv6: boolean;
}

/** Builds the host (bridge + uplink) and the neighbour at the far end of the uplink. */
export async function buildHostAndNeighbour(names: LabNames, setup: BridgeSetup, neighbourTimers: NeighbourTimers | null): Promise<void> {
  const { hostNs: hv, neighbourNs: nb, bridge, uplink, neighbourIf } = names;
  await createNamespace(hv, { ipv6: false });
  await createNamespace(nb);
  const bridgeArgs = ['ip', '-n', hv, 'link', 'add', bridge, 'type', 'bridge'];
  if (setup.stpForwardDelayCs !== undefined) {
    bridgeArgs.push('stp_state', '1', 'forward_delay', String(setup.stpForwardDelayCs), 'hello_time', '100');
  }
  await run(bridgeArgs);
  await addVethPair({ ns: hv, name: uplink, mac: LAB_ADDRESSES.uplinkMac }, { ns: nb, name: neighbourIf, mac: LAB_ADDRESSES.routerMac });
  await run(['ip', '-n', hv, 'link', 'set', uplink, 'master', bridge, 'up']);
  if (setup.pinned) await run(['ip', '-n', hv, 'link', 'set', bridge, 'address', LAB_ADDRESSES.uplinkMac]);
  if (setup.ipv6) await sysctl(hv, `net.ipv6.conf.${bridge}.disable_ipv6`, '0');
  // Explicitly the kernel defaults: the flip is silent (no gratuitous ARP / unsolicited NA).
  await sysctl(hv, `net.ipv4.conf.${bridge}.arp_notify`, '0');
  await run(['ip', '-n', hv, 'link', 'set', bridge, 'up']);
  await run(['ip', '-n', hv, 'addr', 'add', `${LAB_ADDRESSES.hostIp}/${LAB_ADDRESSES.prefixLen}`, 'dev', bridge]);
  if (setup.ipv6) {
    await run(['ip', '-n', hv, 'addr', 'add', `${LAB_ADDRESSES.hostIp6}/${LAB_ADDRESSES.prefixLen6}`, 'dev', bridge, 'nodad']);
  }

  if (neighbourTimers) await setNeighbourTimers(nb, neighbourIf, neighbourTimers);
  await run(['ip', '-n', nb, 'link', 'set', neighbourIf, 'up']);
  await run(['ip', '-n', nb, 'addr', 'add', `${LAB_ADDRESSES.routerIp}/${LAB_ADDRESSES.prefixLen}`, 'dev', neighbourIf]);
  await run(['ip', '-n', nb, 'addr', 'add', `${LAB_ADDRESSES.routerIp6}/${LAB_ADDRESSES.prefixLen6}`, 'dev', neighbourIf, 'nodad']);
}

/** Neighbour-cache timers of the neighbour (IPv4 and IPv6 alike). */
export interface NeighbourTimers {
  baseReachableTimeMs: number;
  delayFirstProbeTimeS: number;
  retransTimeMs: number;
}

/** Short timers: a stale entry is revalidated within ~1-3 s instead of ~20-50 s. */
export const SHORT_NEIGHBOUR_TIMERS: NeighbourTimers = { baseReachableTimeMs: 1000, delayFirstProbeTimeS: 1, retransTimeMs: 300 };

async function setNeighbourTimers(ns: string, ifname: string, t: NeighbourTimers): Promise<void> {
  for (const family of ['ipv4', 'ipv6']) {
    await sysctl(ns, `net.${family}.neigh.${ifname}.base_reachable_time_ms`, String(t.baseReachableTimeMs));
    await sysctl(ns, `net.${family}.neigh.${ifname}.delay_first_probe_time`, String(t.delayFirstProbeTimeS));
    await sysctl(ns, `net.${family}.neigh.${ifname}.retrans_time_ms`, String(t.retransTimeMs));
  }
}

/** One guest NIC: host-side port MAC and guest-side MAC. */
export interface GuestNic {
  portMac: string;
  guestMac: string;
}

/**
 * Creates guest `index`'s namespace and its veth pairs (host side in the host namespace, not yet
 * enslaved). Addresses are configured by the scenario.
 */
export async function createGuest(names: LabNames, index: number, nics: GuestNic[], options: { ipv6?: boolean } = {}): Promise<void> {
  const g = names.guestNs(index);
  await createNamespace(g, { ipv6: options.ipv6 ?? false });
  for (const [n, nic] of nics.entries()) {
    await addVethPair(
      { ns: names.hostNs, name: names.port(index, n), mac: nic.portMac },
      { ns: g, name: names.guestIf(index, n), mac: nic.guestMac },
    );
  }
}

/** Enslaves a port to the bridge and brings it up (the moment a tap joins, as qemu/vzctl do). */
export async function joinPort(names: LabNames, port: string): Promise<void> {
  await run(['ip', '-n', names.hostNs, 'link', 'set', port, 'master', names.bridge, 'up']);
}

/** Deletes a host-side port (the tap vanishes when the guest stops). */
export async function deletePort(names: LabNames, port: string): Promise<void> {
  await run(['ip', '-n', names.hostNs, 'link', 'del', port]);
}

/** Brings a guest interface up with optional addresses. */
export async function configureGuestIf(ns: string, ifname: string, addrs: string[]): Promise<void> {
  await run(['ip', '-n', ns, 'link', 'set', ifname, 'up']);
  for (const a of addrs) {
    const args = ['ip', '-n', ns, 'addr', 'add', a, 'dev', ifname];
    if (a.includes(':')) args.push('nodad');
    await run(args);
  }
}

/** STP state of a bridge port from sysfs (0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking). */
export async function portStpState(names: LabNames, port: string): Promise<string> {
  const n = Number(await readInNs(names.hostNs, `/sys/class/net/${port}/brport/state`));
  return ['disabled', 'listening', 'learning', 'forwarding', 'blocking'][n] ?? `state-${n}`;
}
