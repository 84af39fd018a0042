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
  /**
   * Exact config text (persistent steps), with the file it belongs in. `text` is a complete
   * definition (valid on its own); `add` is the line(s) to add `within` the bridge's existing
   * definition (what --write-config inserts): what to show a reader, since pasting a whole stanza
   * over an existing one would drop its addresses.
   */
  config: { file: string; text: string; add?: string; within?: string } | null;
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
  /** How the pin MAC was chosen (port and source), when known. Optional: added by the fixer team. */
  pinMacSource?: string;
  /**
   * Config stacks found on the host the plan is for (audit, or given offline). Reports show these
   * stacks' steps in full and the others under "Other stacks"; absent when nothing tells (a capture
   * alone), and then every stack is listed briefly.
   */
  detectedStacks?: NetworkStack[];
}

/** STP state of a bridge port as sysfs `brif/PORT/state` numbers it (BR_STATE_*, include/uapi/linux/if_bridge.h). */
export type PortStpState = 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking' | 'unknown';

/** What kind of device a bridge port is, from sysfs (`device` link, `tun_flags`, `bonding/`) and `ip -d link`. */
export type PortKind = 'physical' | 'bond' | 'vlan' | 'veth' | 'tap' | 'other';

/** One bridge port as read from sysfs. MACs are lower-case colon strings. */
export interface BridgePortState {
  name: string;
  mac: string;
  kind: PortKind;
  stpState: PortStpState;
  /** brport/learning (null when unreadable). */
  learning: boolean | null;
  /** brport/unicast_flood (null when unreadable). */
  unicastFlood: boolean | null;
  /** `operstate` (up, down, lowerlayerdown...). */
  operState: string | null;
}

/** A bridge's live state (sysfs, /proc, `ip -j addr`). */
export interface BridgeState {
  name: string;
  mac: string;
  /** /sys/class/net/BR/addr_assign_type: 0 permanent, 1 random, 2 stolen, 3 set (pinned). */
  addrAssignType: number | null;
  stpEnabled: boolean;
  /** bridge/forward_delay converted from centiseconds (USER_HZ) to seconds. */
  forwardDelaySec: number | null;
  ports: BridgePortState[];
  /** net.ipv4.conf.BR.arp_notify (null when unreadable). */
  arpNotify: boolean | null;
  /** net.ipv6.conf.BR.ndisc_notify (null when unreadable or IPv6 disabled). */
  ndiscNotify: boolean | null;
  /** Host addresses on the bridge, `ADDR/PREFIX`; null when unknown (`ip` not run or failed). */
  addresses: string[] | null;
}

/** How the uplink (the port whose MAC the bridge should keep) was chosen, and its permanent MAC. */
export interface UplinkChoice {
  port: string;
  /** MAC to pin to: permanent MAC when the device has one, else its current MAC. */
  mac: string;
  /** Plain words: e.g. "only physical port; permanent MAC from ethtool -P". */
  how: string;
}

/** One risk found by the audit. */
export interface AuditRisk {
  /**
   * Stable id: `mac-not-pinned`, `port-not-forwarding`, `stp-forward-delay`, `arp-notify-off`,
   * `ndisc-notify-off`, `managed-fdb`, `uplink-unknown`.
   */
  id: string;
  severity: 'info' | 'warning' | 'critical';
  /** One or two sentences naming the bridge, ports and MACs. */
  message: string;
  /** Ports concerned (for mac-not-pinned: ports that could take the bridge MAC over now). */
  ports: string[];
}

/** The audit of one bridge. */
export interface BridgeAudit {
  bridge: BridgeState;
  uplink: UplinkChoice | null;
  risks: AuditRisk[];
  /** Network stacks and hypervisors detected on the host (config files). */
  stacks: NetworkStack[];
  /** Files that define this bridge, per stack (for `--write-config`). */
  configFiles: { stack: NetworkStack; file: string }[];
}

/** What one applied step did. */
export interface AppliedStep {
  id: string;
  /** False when the host already was in the wanted state (idempotent re-run). */
  changed: boolean;
  /** What was done or found, one line. */
  detail: string;
}

/** Result of {@link RemediationPlan} application by `applyPlan`. */
export interface ApplyResult {
  bridge: string;
  steps: AppliedStep[];
  /** True when anything changed. */
  changed: boolean;
  /** Read-back checks that passed, e.g. `br0 address 52:54:00:12:34:56`, `addr_assign_type 3`. */
  verified: string[];
}
