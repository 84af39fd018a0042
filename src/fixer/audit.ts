/**
 * The audit: read a bridge's live state and name its risks. `assessRisks` is pure (state in, risks
 * out) so it is unit-tested on synthetic states; `auditBridges` reads the host.
 */
import { firstOctet, parseMac } from '../net/mac.js';
import { readBridgeState, listBridges } from './bridge-state.js';
import { hostAccess, type HostOptions } from './host.js';
import { detectStacks } from './stacks.js';
import { chooseUplink } from './uplink.js';
import type { AuditRisk, BridgeAudit, BridgeState, UplinkChoice } from './types.js';

/** Forward delay above which a starting guest's wait is called out, seconds (default is 15). */
export const LONG_FORWARD_DELAY_SEC = 4;

/** OpenVZ host veth OUI (vzctl SW_OUI). */
const OPENVZ_PREFIX = 0x001851;

function macNum(mac: string): number {
  return parseMac(mac) ?? 0;
}

/** Hypervisor conventions that would undercut `uplinkMac` if such a port joined. */
export function conventionsBelow(uplinkMac: string): string[] {
  const mac = macNum(uplinkMac);
  const first = firstOctet(mac);
  const out: string[] = [];
  if (mac > OPENVZ_PREFIX * 0x1000000 + 0xffffff) out.push('OpenVZ host veths (00:18:51:xx:xx:xx)');
  if (first > 0x02) {
    // Random LAA first octets are 02, 06, 0a, ... fe: the share of them below the uplink's octet.
    const below = Math.ceil((first - 0x02) / 4);
    out.push(`random MACs (LXC/Docker veths, Proxmox taps; about ${Math.round((below / 64) * 100)}% of them are lower)`);
  }
  return out;
}

/** Pure: risks of one bridge, given its state and chosen uplink. */
export function assessRisks(state: BridgeState, uplink: UplinkChoice | null): AuditRisk[] {
  const risks: AuditRisk[] = [];
  const br = state.name;
  const noAddress = state.addresses !== null && state.addresses.length === 0;
  const lowerImpact = noAddress ? ' The host has no address on it, so only the bridge id is affected.' : '';

  if (state.addrAssignType !== 3) {
    const reference = uplink?.mac ?? state.mac;
    const lower = state.ports.filter((p) => p.name !== uplink?.port && macNum(p.mac) < macNum(reference));
    const conventions = uplink ? conventionsBelow(uplink.mac) : [];
    const tookOver = uplink !== null && state.mac !== uplink.mac;
    let severity: AuditRisk['severity'];
    let message = `${br}'s MAC is not pinned (addr_assign_type ${state.addrAssignType ?? '?'}, not 3): it follows the lowest port MAC.`;
    if (tookOver || lower.length > 0) {
      severity = 'critical';
      if (tookOver) message += ` It has ${state.mac}, not the uplink ${uplink.port}'s ${uplink.mac}.`;
      if (lower.length) message += ` Lower than the uplink now: ${lower.map((p) => `${p.name} ${p.mac}`).join(', ')}; when one leaves, the bridge MAC flips silently.`;
    } else if (conventions.length > 0) {
      severity = 'warning';
      message += ` No port is lower now, but ${conventions.join(' and ')} would be lower than ${uplink?.mac}.`;
    } else {
      severity = 'info';
      message += uplink ? ` The uplink ${uplink.mac} is below every hypervisor convention; pin it anyway.` : ' Pin it anyway.';
    }
    if (noAddress && severity !== 'info') severity = severity === 'critical' ? 'warning' : 'info';
    risks.push({ id: 'mac-not-pinned', severity, message: message + lowerImpact, ports: lower.map((p) => p.name) });
  }
  if (uplink === null && state.ports.length > 1 && state.addrAssignType !== 3) {
    risks.push({ id: 'uplink-unknown', severity: 'info', message: `Cannot tell ${br}'s uplink among ${state.ports.map((p) => p.name).join(', ')}: pass --uplink PORT to fix.`, ports: [] });
  }

  for (const p of state.ports) {
    if (p.stpState === 'forwarding' || p.stpState === 'unknown') continue;
    const down = p.operState !== null && p.operState !== 'up' && p.operState !== 'unknown';
    let severity: AuditRisk['severity'] = 'warning';
    let message = `Port ${p.name} is ${p.stpState}, not forwarding.`;
    if (p.stpState === 'blocking') {
      severity = 'critical';
      message += ' STP blocks it: a loop (e.g. two NICs of one qemu -net hub on this bridge).';
    } else if (p.stpState === 'disabled' && down) {
      severity = 'info';
      message += ` It is ${p.operState} (normal for a stopped guest).`;
    } else if (p.stpState === 'listening' || p.stpState === 'learning') {
      message += ` Traffic through it waits for forward_delay (${state.forwardDelaySec ?? '?'} s) per state.`;
    }
    risks.push({ id: 'port-not-forwarding', severity, message, ports: [p.name] });
  }

  if (state.stpEnabled && (state.forwardDelaySec ?? 0) > LONG_FORWARD_DELAY_SEC) {
    const guests = state.ports.filter((p) => p.name !== uplink?.port).map((p) => p.name);
    risks.push({
      id: 'stp-forward-delay', severity: 'warning',
      message: `STP is on with forward_delay ${state.forwardDelaySec} s: a starting guest's port is unreachable about ${2 * (state.forwardDelaySec ?? 0)} s.`,
      ports: guests,
    });
  }

  if (state.arpNotify === false) {
    risks.push({
      id: 'arp-notify-off', severity: noAddress ? 'info' : 'warning',
      message: `net.ipv4.conf.${br}.arp_notify is 0: a MAC change of ${br} is not announced, neighbours keep the old MAC until their entries expire (about 20-40 s).`,
      ports: [],
    });
  }
  if (state.ndiscNotify === false && (state.addresses ?? []).some((a) => a.includes(':') && !a.startsWith('fe80'))) {
    risks.push({ id: 'ndisc-notify-off', severity: 'info', message: `net.ipv6.conf.${br}.ndisc_notify is 0: IPv6 neighbours are not told of a MAC change.`, ports: [] });
  }

  const managed = state.ports.filter((p) => p.learning === false && p.unicastFlood === false);
  if (managed.length > 0) {
    risks.push({
      id: 'managed-fdb', severity: 'warning',
      message: `Managed FDB on ${managed.map((p) => p.name).join(', ')} (learning and unicast_flood off): a MAC that moves or changes is not re-learned; only static fdb entries forward to it (libvirt macTableManager).`,
      ports: managed.map((p) => p.name),
    });
  }
  const conventionPorts = state.ports.filter((p) => p.mac.startsWith('00:18:51:'));
  if (conventionPorts.length > 0 && !risks.some((r) => r.id === 'mac-not-pinned' && r.severity === 'critical')) {
    // Already lower ports are reported above; this names the OpenVZ convention even when pinned.
    risks.push({ id: 'openvz-low-host-mac', severity: 'info', message: `OpenVZ-style host veths ${conventionPorts.map((p) => `${p.name} ${p.mac}`).join(', ')}: set host_mac=FE:FF:FF:FF:FF:FF.`, ports: conventionPorts.map((p) => p.name) });
  }
  return risks;
}

/** Options of {@link auditBridges}. */
export interface AuditOptions extends HostOptions {
  /** Uplink port name per bridge, when the heuristic cannot tell (or to override it). */
  uplink?: string;
}

/**
 * Audits the named bridges (all bridges when `names` is empty or absent).
 * @throws BridgewatchError FIX_NO_SUCH_BRIDGE / FIX_NOT_A_BRIDGE for a named interface.
 */
export async function auditBridges(names?: string[], options: AuditOptions = {}): Promise<BridgeAudit[]> {
  const host = hostAccess(options);
  const bridges = names && names.length > 0 ? names : await listBridges(host);
  const audits: BridgeAudit[] = [];
  for (const name of bridges) {
    const bridge = await readBridgeState(host, name);
    const uplink = await chooseUplink(host, bridge, options.uplink);
    const detected = await detectStacks(host, name);
    audits.push({
      bridge,
      uplink,
      risks: assessRisks(bridge, uplink),
      stacks: detected.map((d) => d.stack),
      configFiles: detected.filter((d) => d.bridgeFile !== undefined).map((d) => ({ stack: d.stack, file: d.bridgeFile! })),
    });
  }
  return audits;
}

