/**
 * Choosing the uplink: the bridge port whose MAC the bridge should keep. The bridge is pinned to
 * that port's PERMANENT MAC (ethtool -P, or `permaddr` in `ip -j -d link`), so a bonded/failed-over
 * or re-MACed uplink does not move it; veth uplinks (labs) have no permanent MAC, so their current
 * MAC is used and the choice says so.
 */
import { formatMac, parseMac } from '../net/mac.js';
import { readText, sysNet, type HostAccess } from './host.js';
import type { BridgePortState, BridgeState, UplinkChoice } from './types.js';

/** Host-side guest port names: libvirt vnetN, qemu/Proxmox tapN/tapNiM, fwprN/fwlnN, Xen vifN.M, OpenVZ vethCTID.N, LXC/Docker veth*. */
const GUEST_PORT_NAME = /^(vnet\d+|tap|fwpr|fwln|fwbr|vif\d|veth|lxc|vz|macvtap|vm-)/;

/** MAC conventions of hypervisor host-side ports: fe: (libvirt/LXC/Xen) and OpenVZ's 00:18:51. */
export function isGuestConventionMac(mac: string): boolean {
  return mac.startsWith('fe:') || mac.startsWith('00:18:51:');
}

/** True when the port looks like a guest's host-side interface (by name or MAC convention). */
export function looksLikeGuestPort(port: BridgePortState): boolean {
  return GUEST_PORT_NAME.test(port.name) || isGuestConventionMac(port.mac) || port.kind === 'tap';
}

/** Permanent MAC: `ethtool -P` first, then `permaddr` from `ip -j -d link`; null when none (veth). */
export async function permanentMac(host: HostAccess, port: string): Promise<{ mac: string; source: string } | null> {
  const ethtool = await host.run(['ethtool', '-P', port]);
  if (ethtool.code === 0) {
    const m = /Permanent address:\s*([0-9a-f:]{17})/i.exec(ethtool.stdout);
    const mac = m?.[1] ? parseMac(m[1]) : null;
    if (mac !== null && mac !== 0) return { mac: formatMac(mac), source: 'ethtool -P' };
  }
  const ip = await host.run(['ip', '-j', '-d', 'link', 'show', 'dev', port]);
  if (ip.code === 0) {
    try {
      const parsed = JSON.parse(ip.stdout) as Array<{ permaddr?: string }>;
      const perm = parsed[0]?.permaddr ? parseMac(parsed[0].permaddr) : null;
      if (perm !== null && perm !== undefined && perm !== 0) return { mac: formatMac(perm), source: 'permaddr from ip -d link' };
    } catch {
      // ignore: no permanent address known
    }
  }
  return null;
}

/**
 * Picks the uplink port. Order: the explicitly named port; the only physical/bond/vlan port; the
 * only port not named or addressed like a guest port; the only port. Null when ambiguous.
 */
export async function chooseUplink(host: HostAccess, bridge: BridgeState, explicit?: string): Promise<UplinkChoice | null> {
  let port: BridgePortState | undefined;
  let why: string;
  if (explicit !== undefined) {
    port = bridge.ports.find((p) => p.name === explicit);
    why = `given with --uplink`;
    if (port === undefined) {
      // The uplink may not be enslaved yet (e.g. pinning before the first port joins): still honour it.
      return uplinkFromName(host, explicit, why);
    }
  } else {
    const hardware = bridge.ports.filter((p) => p.kind === 'physical' || p.kind === 'bond' || p.kind === 'vlan');
    const nonGuest = bridge.ports.filter((p) => !looksLikeGuestPort(p));
    if (hardware.length === 1) {
      port = hardware[0];
      why = `the only ${hardware[0]!.kind} port`;
    } else if (nonGuest.length === 1) {
      port = nonGuest[0];
      why = 'the only port not named or addressed like a guest port (vnet/tap/vif/veth, fe:, 00:18:51)';
    } else if (bridge.ports.length === 1) {
      port = bridge.ports[0];
      why = 'the only port';
    } else {
      return null;
    }
  }
  if (port === undefined) return null;
  return uplinkFromName(host, port.name, why, port.mac);
}

async function uplinkFromName(host: HostAccess, name: string, why: string, currentMac?: string): Promise<UplinkChoice | null> {
  const perm = await permanentMac(host, name);
  if (perm) return { port: name, mac: perm.mac, how: `${name}: ${why}; permanent MAC from ${perm.source}` };
  const text = currentMac ?? (await readText(sysNet(host, name, 'address')));
  const mac = text === null ? null : parseMac(text);
  if (mac === null) return null;
  return { port: name, mac: formatMac(mac), how: `${name}: ${why}; no permanent MAC (veth/virtual), so its current MAC` };
}
