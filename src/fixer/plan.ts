/**
 * Plans for a live bridge, from its audit. Pure: the audit in, a {@link RemediationPlan} out.
 */
import { pinConfigStep } from './config.js';
import {
  announceSteps, libvirtStep, lxcStep, managedFdbStep, openvzStep, runtimePinStep, stpForwardDelayStep, xenStep,
} from './steps.js';
import { ALL_CONFIG_STACKS } from './stacks.js';
import type { BridgeAudit, NetworkStack, PlanStep, RemediationPlan } from './types.js';

/** Options of {@link planForBridge}. */
export interface PlanOptions {
  /** Give config for every stack, not only the detected ones (offline advice). */
  allStacks?: boolean;
}

/** Pure: the remediation plan for one audited bridge. */
export function planForBridge(audit: BridgeAudit, options: PlanOptions = {}): RemediationPlan {
  const { bridge: state, uplink } = audit;
  const br = state.name;
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const pinned = state.addrAssignType === 3;
  let pinMac: string | null = null;
  let pinMacSource: string | undefined;

  if (pinned) {
    pinMac = state.mac;
    pinMacSource = `${br} is already pinned (addr_assign_type 3)`;
    notes.push(uplink && uplink.mac !== state.mac
      ? `${br} is already pinned to ${state.mac}, not the uplink ${uplink.port}'s ${uplink.mac}; left as it is (changing it would itself move the host's MAC).`
      : `${br} is already pinned to ${state.mac}; the runtime step changes nothing.`);
  } else if (uplink) {
    pinMac = uplink.mac;
    pinMacSource = uplink.how;
  } else {
    notes.push(`Cannot choose ${br}'s uplink among its ports (${state.ports.map((p) => p.name).join(', ') || 'none'}): pass --uplink PORT.`);
  }

  const risk = audit.risks.find((r) => r.id === 'mac-not-pinned');
  const evidence = risk ? risk.message : `${br} should keep one MAC.`;
  if (pinMac !== null) {
    steps.push(runtimePinStep(br, pinMac, `${evidence} Setting the address makes the kernel keep it (br_stp_recalculate_bridge_id skips bridges with addr_assign_type NET_ADDR_SET).`));
    if (!pinned && state.mac !== pinMac) {
      notes.push(`${br} has ${state.mac} now; pinning moves it to ${pinMac}, itself a MAC change neighbours must learn: use --announce (or expect one ARP timeout).`);
    }
    const detected: NetworkStack[] = audit.stacks.filter((s) => ALL_CONFIG_STACKS.includes(s));
    const forStacks = options.allStacks ? ALL_CONFIG_STACKS : detected;
    if (forStacks.length === 0) notes.push(`No persistent network configuration found for ${br}: the runtime pin is lost when ${br} is recreated (use fix --all-stacks for every stack's syntax).`);
    for (const stack of forStacks) {
      const s = pinConfigStep(stack, { bridge: br, mac: pinMac, uplink: uplink?.port ?? 'eth0', evidence: `Keeps ${br} at ${pinMac} across reboots.` });
      if (s) steps.push(s);
    }
  }

  steps.push(...announceSteps(br, `Mitigation in case ${br}'s MAC still changes:`));
  if (state.arpNotify === true) notes.push(`arp_notify is already 1 on ${br}.`);

  const lowHostMacs = state.ports.filter((p) => p.mac.startsWith('00:18:51:'));
  if (audit.stacks.includes('openvz') || lowHostMacs.length > 0) {
    const ports = lowHostMacs.length ? lowHostMacs.map((p) => p.name) : [undefined];
    for (const port of ports) steps.push(openvzStep(port, port ? `${port} has ${state.ports.find((p) => p.name === port)?.mac}.` : 'OpenVZ is installed.'));
  }
  if (audit.stacks.includes('libvirt')) steps.push(libvirtStep(br, 'libvirt is installed.'));
  if (audit.stacks.includes('lxc')) steps.push(lxcStep(br, 'LXC is installed.'));
  if (audit.stacks.includes('xen')) steps.push(xenStep(br, 'Xen is installed.'));

  if (audit.risks.some((r) => r.id === 'stp-forward-delay')) {
    steps.push(stpForwardDelayStep(br, state.forwardDelaySec, `STP is on for ${br}.`));
  }
  const managed = audit.risks.find((r) => r.id === 'managed-fdb');
  if (managed) steps.push(managedFdbStep(br, managed.ports, managed.message));

  const plan: RemediationPlan = {
    bridge: br, pinMac, stacks: ['runtime', ...audit.stacks], steps, notes,
    detectedStacks: audit.stacks.filter((s) => ALL_CONFIG_STACKS.includes(s)),
  };
  if (pinMacSource !== undefined) plan.pinMacSource = pinMacSource;
  return plan;
}
