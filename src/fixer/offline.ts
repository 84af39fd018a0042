/**
 * Plans from a capture's incidents (offline): the evidence names the MACs, correlation may name the
 * bridge, port and hypervisor. Pure: an {@link Analysis} in, a {@link RemediationPlan} out.
 */
import type { Analysis, Incident } from '../analysis.js';
import type { Hypervisor } from '../correlate/types.js';
import type { Finding } from '../detect/types.js';
import { formatMac, oui, type Mac } from '../net/mac.js';
import { macConvention, macWithVendor } from '../net/oui.js';
import { pinConfigStep } from './config.js';
import { ALL_CONFIG_STACKS } from './stacks.js';
import {
  announceSteps, arpFluxStep, libvirtStep, lxcStep, managedFdbStep, openvzStep, qemuNetdevStep, runtimePinStep, stpForwardDelayStep,
  xenStep,
} from './steps.js';
import type { NetworkStack, PlanStep, RemediationPlan } from './types.js';

/** Bridge name used in commands when the evidence does not name one. */
export const DEFAULT_BRIDGE = 'br0';

/** Options of {@link planFromAnalysis}. */
export interface OfflinePlanOptions {
  /** Vendor lookup (default src/net/oui.ts vendorOf, the IEEE registry); hypervisor conventions are named first. */
  vendorOf?: (mac: Mac) => string | null;
  /** Config stacks known to be on the host (e.g. from an audit there): reported first, the others as "other stacks". */
  stacks?: NetworkStack[];
}

/**
 * What a MAC's prefix says about the port it came from, in words (the vendor itself is named by
 * src/net/oui.ts `macVendorName`, as everywhere else); null for a registered NIC vendor.
 */
export function conventionOf(mac: Mac): string | null {
  switch (macConvention(mac)) {
    case 'openvz': return "vzctl's default host veth MAC";
    case 'qemu': return 'a guest NIC';
    case 'xen': return 'a guest NIC';
    case 'host-side-fe': return 'libvirt/LXC/Xen host side';
    case 'random': return 'random: veth/tap created without a fixed MAC';
    case 'vendor': return null;
  }
}

/** The MACs an ARP-flux or spoofing incident names: the clashing MACs, or the spoofers'. */
function incidentMacList(incident: Incident, findings: Finding[]): string {
  const macs = new Set<Mac>();
  for (const index of incident.findings) {
    const f = findings[index];
    if (f?.kind === 'ip-clash') f.macs.forEach((m) => macs.add(m));
    if (f?.kind === 'arp-spoof') f.spooferMacs.forEach((m) => macs.add(m));
  }
  return [...macs].map(formatMac).join(', ') || 'the MACs in the evidence';
}

/** The addresses of an incident's clashes (ARP flux: one host's addresses). */
function incidentIps(incident: Incident, findings: Finding[]): string {
  const ips = new Set<string>();
  for (const index of incident.findings) {
    const f = findings[index];
    if (f?.kind === 'ip-clash') ips.add(f.ip);
  }
  return [...ips].join(', ') || incident.ip;
}

/** What the evidence says about one bridge-MAC incident. */
interface MacEvidence {
  uplinkMac: Mac | null;
  offendingMac: Mac | null;
}

/** Uplink = the MAC that owned the host IP before the change; offender = the lower MAC it moved to. */
function macEvidence(incident: Incident, findings: Finding[]): MacEvidence {
  let uplinkMac: Mac | null = null;
  let offendingMac: Mac | null = null;
  for (const index of incident.findings) {
    const f = findings[index];
    if (f === undefined) continue;
    if (f.kind === 'mac-change' && uplinkMac === null) {
      const first = f.sequence[0] ?? f.fromMac;
      uplinkMac = first;
      offendingMac = f.sequence.find((m) => m !== first) ?? f.toMac;
    } else if (f.kind === 'reply-gap' && uplinkMac === null) {
      // Capture began after the change: the stale MAC is the departed port's, the answer the uplink's.
      if (f.answeredBy !== null) uplinkMac = f.answeredBy;
      if (offendingMac === null) offendingMac = f.staleMac;
    }
  }
  return { uplinkMac, offendingMac };
}

function hypervisorStacks(h: Hypervisor | undefined, offender: Mac | null): NetworkStack[] {
  if (offender !== null && oui(offender) === 0x001851) return ['openvz'];
  switch (h) {
    case 'openvz': return ['openvz'];
    case 'kvm-libvirt': return ['libvirt'];
    case 'lxc': return ['lxc'];
    case 'xen': return ['xen'];
    case 'proxmox': case 'qemu': case 'docker': return [];
    default: return ['openvz', 'libvirt', 'lxc'];
  }
}

/** Pure: remediation for the incidents of an analysis. */
export function planFromAnalysis(analysis: Analysis, options: OfflinePlanOptions = {}): RemediationPlan {
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const push = (s: PlanStep): void => { if (!seen.has(s.id)) { seen.add(s.id); steps.push(s); } };
  const describe = (mac: Mac): string => {
    const role = conventionOf(mac);
    return `${macWithVendor(mac, options.vendorOf)}${role ? `, ${role}` : ''}`;
  };

  let bridge: string | null = null;
  let pinMac: string | null = null;
  let pinMacSource: string | undefined;
  const hypervisors = new Set<NetworkStack>();

  for (const incident of analysis.incidents) {
    const cause = incident.cause;
    const code = cause?.code ?? (incident.kind === 'bridge-mac-flip' ? 'bridge-lowest-mac' : 'unknown');
    const joinBridge = cause?.linkEvents.flatMap((e) => (e.type === 'port-join' ? [e.bridge] : []))[0];
    bridge ??= cause?.bridge ?? joinBridge ?? null;
    const br = bridge ?? DEFAULT_BRIDGE;

    if (code === 'bridge-lowest-mac' || incident.kind === 'bridge-mac-flip') {
      const ev = macEvidence(incident, analysis.findings);
      const port = cause?.port;
      const who = ev.offendingMac !== null ? describe(ev.offendingMac) : 'a port with a lower MAC';
      const evidence = `Incident ${incident.id}: ${incident.ip} moved from ${ev.uplinkMac !== null ? formatMac(ev.uplinkMac) : 'its MAC'} to ${who}${port ? ` (port ${port})` : ''} for ${(incident.durationMs / 1000).toFixed(1)} s: the bridge took the lowest port MAC.`;
      if (ev.uplinkMac !== null && pinMac === null) {
        pinMac = formatMac(ev.uplinkMac);
        pinMacSource = `incident ${incident.id}: the MAC that owned ${incident.ip} before the change`;
      }
      const mac = pinMac ?? 'UPLINK-PERMANENT-MAC';
      push(runtimePinStep(br, mac, `${evidence} Pinning makes the kernel keep it (addr_assign_type 3).`));
      for (const stack of ALL_CONFIG_STACKS) {
        const s = pinConfigStep(stack, { bridge: br, mac, uplink: 'eth0', evidence: `Keeps ${br} at ${mac} across reboots.` });
        if (s) push(s);
      }
      for (const h of hypervisorStacks(cause?.hypervisor, ev.offendingMac)) hypervisors.add(h);
      for (const h of hypervisors) {
        if (h === 'openvz') push(openvzStep(port, evidence));
        if (h === 'libvirt') push(libvirtStep(br, evidence));
        if (h === 'lxc') push(lxcStep(br, evidence));
        if (h === 'xen') push(xenStep(br, evidence));
      }
      for (const s of announceSteps(br, `Mitigation in case ${br}'s MAC still changes:`)) push(s);
      if (cause?.hypervisor === 'kvm-libvirt') push(managedFdbStep(br, port ? [port] : [], 'Optional hardening once the bridge is pinned.'));
    } else if (code === 'stp-port-not-forwarding') {
      push(stpForwardDelayStep(br, null, `Incident ${incident.id}: ${incident.ip} was unreachable while a port was not forwarding${cause?.port ? ` (${cause.port})` : ''}.`));
    } else if (code === 'stp-loop') {
      push(qemuNetdevStep(`Incident ${incident.id}: a loop on ${br}${cause?.port ? ` through ${cause.port}` : ''}.`));
    } else if (code === 'duplicate-address') {
      notes.push(`Incident ${incident.id}: two stations claim ${incident.ip}; not a bridge fault: find the owner of the second MAC. If all the MACs are one host's NICs (ARP flux), set net.ipv4.conf.all.arp_ignore=1 and arp_announce=2.`);
    } else if (code === 'arp-flux') {
      push(arpFluxStep(`Incident ${incident.id}: ${incidentMacList(incident, analysis.findings)} all answer for ${incidentIps(incident, analysis.findings)}: ` +
        'one host with several NICs in one subnet (ARP flux).'));
    } else if (code === 'arp-spoof') {
      notes.push(`Incident ${incident.id}: ARP spoofing by ${incidentMacList(incident, analysis.findings)}; not a bridge fault: find the port that MAC is ` +
        'learned on (`bridge fdb show | grep -i MAC`, the switch\'s MAC table) and shut it; protect victims with a static ARP entry for the ' +
        'gateway, or enable dynamic ARP inspection on the switch (ebtables/nftables ARP filters on a Linux bridge).');
    } else if (code === 'claim-flood') {
      notes.push(`Incident ${incident.id}: a flood of address claims; not a bridge fault: find the port the flooding MACs arrive on and shut or rate-limit it.`);
    } else if (code === 'announced-move' || code === 'link-down') {
      notes.push(`Incident ${incident.id} (${code}): no bridge fix needed.`);
    } else if (cause !== undefined || incident.kind !== 'arp-storm') {
      notes.push(`Incident ${incident.id} (${incident.kind}): cause unknown; record ip monitor link and bridge monitor link next time.`);
    }
  }
  if (steps.length === 0 && notes.length === 0) notes.push('No incidents: nothing to fix.');
  if (bridge === null && steps.length > 0) notes.push(`The capture does not name the bridge; commands use ${DEFAULT_BRIDGE}.`);
  const plan: RemediationPlan = {
    bridge,
    pinMac,
    stacks: ['runtime', ...ALL_CONFIG_STACKS, ...hypervisors],
    steps,
    notes,
  };
  if (pinMacSource !== undefined) plan.pinMacSource = pinMacSource;
  if (options.stacks?.length) plan.detectedStacks = options.stacks.filter((s) => ALL_CONFIG_STACKS.includes(s));
  return plan;
}
