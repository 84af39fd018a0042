/**
 * Remediation as pure, serialisable data: a plan is computed from evidence (an analysis or a live
 * audit) and only then, separately, applied (src/fixer/apply.ts). Reports print plans; `fix
 * --apply` runs their runtime steps.
 */

/** Which network configuration stack a persistent step is for. */
export type NetworkStack =
  | 'runtime'
  | 'ifupdown'
  | 'ifupdown2'
  | 'systemd-networkd'
  | 'networkmanager'
  | 'netplan'
  | 'rhel-ifcfg'
  | 'proxmox'
  | 'libvirt'
  | 'lxc'
  | 'openvz'
  | 'xen'
  | 'qemu';

/** One step of a plan. */
export interface PlanStep {
  /** Stable id, e.g. `pin-bridge-mac`, `arp-notify`, `openvz-host-mac`. */
  id: string;
  /** `runtime` steps may be applied by `fix --apply`; the others are advice / config to write. */
  kind: 'runtime' | 'persistent' | 'hypervisor' | 'mitigation';
  stack: NetworkStack;
  title: string;
  /** Why this step, in plain words, citing the evidence. */
  why: string;
  /** Exact command as argv (runtime steps; run without a shell), else null. */
  argv: string[] | null;
  /** Exact config text (persistent steps), with the file it belongs in. */
  config: { file: string; text: string } | null;
  /** How to check it worked (a command or what to look at). */
  verify: string;
  /** How to undo it. */
  undo: string;
}

/** A remediation plan for one bridge (or for a capture's incidents when the bridge is unknown). */
export interface RemediationPlan {
  /** Bridge name, or null when inferred offline without a name (`br0` is then used in text). */
  bridge: string | null;
  /** MAC to pin the bridge to (the uplink's permanent MAC), lower-case colon form, when known. */
  pinMac: string | null;
  /** Stacks detected on this host (audit) or assumed (offline: all). */
  stacks: NetworkStack[];
  steps: PlanStep[];
  /** Notes that are not steps (e.g. "bridge already pinned"). */
  notes: string[];
}
