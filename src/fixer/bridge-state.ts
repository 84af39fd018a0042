/**
 * Reads a bridge's live state from sysfs and /proc (and `ip -j addr` for host addresses). Every path
 * is under the injectable roots of {@link HostAccess}, so tests run on a fake tree.
 */
import { BridgewatchError } from '../errors.js';
import { formatMac, parseMac } from '../net/mac.js';
import { exists, listDir, procPath, readInt, readText, sysNet, type HostAccess } from './host.js';
import type { BridgePortState, BridgeState, PortKind, PortStpState } from './types.js';

/** BR_STATE_* numbering (include/uapi/linux/if_bridge.h). */
const STP_STATES: PortStpState[] = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

/** Names of all bridges (interfaces with a `bridge/` directory in sysfs). */
export async function listBridges(host: HostAccess): Promise<string[]> {
  const names: string[] = [];
  for (const name of await listDir(sysNet(host))) {
    if (await exists(sysNet(host, name, 'bridge'))) names.push(name);
  }
  return names;
}

/**
 * Checks that `name` exists and is a bridge.
 * @throws BridgewatchError FIX_NO_SUCH_BRIDGE or FIX_NOT_A_BRIDGE
 */
export async function assertBridge(host: HostAccess, name: string): Promise<void> {
  if (!/^[^/\s]{1,15}$/.test(name) || name === '.' || name === '..') {
    throw new BridgewatchError('FIX_NO_SUCH_BRIDGE', `not a valid interface name: "${name}"`, { file: name });
  }
  if (!(await exists(sysNet(host, name)))) {
    throw new BridgewatchError('FIX_NO_SUCH_BRIDGE', `no such interface (read ${sysNet(host, name)})`, { file: name });
  }
  if (!(await exists(sysNet(host, name, 'bridge')))) {
    throw new BridgewatchError('FIX_NOT_A_BRIDGE', 'is not a bridge (no bridge/ in sysfs); refusing to touch it', { file: name });
  }
}

/** Reads an interface's MAC (lower-case colon form); throws when unreadable. */
async function readMacOf(host: HostAccess, ifname: string): Promise<string> {
  const file = sysNet(host, ifname, 'address');
  const text = await readText(file);
  const mac = text === null ? null : parseMac(text);
  if (mac === null) throw new BridgewatchError('FIX_NO_SUCH_BRIDGE', `cannot read a MAC address`, { file });
  return formatMac(mac);
}

/** 1/0 sysfs or /proc flag as boolean, null when missing. */
async function readFlag(file: string): Promise<boolean | null> {
  const n = await readInt(file);
  return n === null ? null : n !== 0;
}

/** Classifies a port from sysfs markers (cheap, works on fake trees), falling back to `ip -d link`. */
async function portKind(host: HostAccess, port: string): Promise<PortKind> {
  if (await exists(sysNet(host, port, 'tun_flags'))) return 'tap';
  if (await exists(sysNet(host, port, 'bonding'))) return 'bond';
  if (await exists(sysNet(host, port, 'device'))) return 'physical';
  const result = await host.run(['ip', '-j', '-d', 'link', 'show', 'dev', port]);
  if (result.code === 0) {
    try {
      const parsed = JSON.parse(result.stdout) as Array<{ linkinfo?: { info_kind?: string } }>;
      const kind = parsed[0]?.linkinfo?.info_kind;
      if (kind === 'veth') return 'veth';
      if (kind === 'vlan') return 'vlan';
      if (kind === 'bond') return 'bond';
      if (kind === 'tun') return 'tap';
    } catch {
      // unparseable output: fall through to 'other'
    }
  }
  return 'other';
}

async function readPort(host: HostAccess, bridge: string, port: string): Promise<BridgePortState> {
  const brif = sysNet(host, bridge, 'brif', port);
  const stateNumber = await readInt(sysNet(host, bridge, 'brif', port, 'state'));
  return {
    name: port,
    mac: await readMacOf(host, port),
    kind: await portKind(host, port),
    stpState: stateNumber === null ? 'unknown' : (STP_STATES[stateNumber] ?? 'unknown'),
    learning: await readFlag(`${brif}/learning`),
    unicastFlood: await readFlag(`${brif}/unicast_flood`),
    operState: await readText(sysNet(host, port, 'operstate')),
  };
}

/** Host addresses on the bridge from `ip -j addr show dev BR` (null when ip is unavailable). */
async function readAddresses(host: HostAccess, bridge: string): Promise<string[] | null> {
  const result = await host.run(['ip', '-j', 'addr', 'show', 'dev', bridge]);
  if (result.code !== 0) return null;
  try {
    const parsed = JSON.parse(result.stdout) as Array<{ addr_info?: Array<{ local?: string; prefixlen?: number }> }>;
    return (parsed[0]?.addr_info ?? [])
      .filter((a) => typeof a.local === 'string')
      .map((a) => `${a.local}/${a.prefixlen ?? ''}`);
  } catch {
    return null;
  }
}

/**
 * Reads one bridge's state.
 * @throws BridgewatchError FIX_NO_SUCH_BRIDGE / FIX_NOT_A_BRIDGE
 */
export async function readBridgeState(host: HostAccess, name: string): Promise<BridgeState> {
  await assertBridge(host, name);
  const ports: BridgePortState[] = [];
  for (const port of await listDir(sysNet(host, name, 'brif'))) {
    // A guest port can disappear between listing and reading (a stopping guest): skip it.
    const state = await readPort(host, name, port).catch(() => null);
    if (state !== null) ports.push(state);
  }
  const forwardDelayCs = await readInt(sysNet(host, name, 'bridge', 'forward_delay'));
  return {
    name,
    mac: await readMacOf(host, name),
    addrAssignType: await readInt(sysNet(host, name, 'addr_assign_type')),
    stpEnabled: ((await readInt(sysNet(host, name, 'bridge', 'stp_state'))) ?? 0) !== 0,
    forwardDelaySec: forwardDelayCs === null ? null : forwardDelayCs / 100,
    ports,
    arpNotify: await readFlag(procPath(host, 'sys/net/ipv4/conf', name, 'arp_notify')),
    ndiscNotify: await readFlag(procPath(host, 'sys/net/ipv6/conf', name, 'ndisc_notify')),
    addresses: await readAddresses(host, name),
  };
}
