/**
 * Guest definitions read from the hypervisors' config files, reduced to what decides a bridge's
 * MAC: which bridge each guest's host-side port joins, and what MAC that port gets when the guest
 * starts. MACs are lower-case colon strings.
 */

/** Which hypervisor (and which of its files) defined the guest. */
export type GuestSource = 'libvirt' | 'lxc' | 'openvz' | 'proxmox-qemu' | 'proxmox-lxc' | 'docker';

/**
 * The MAC the host-side port takes at each start.
 * - `fixed`: known in full: a configured MAC (OpenVZ `host_mac`) or derived from one (libvirt tap
 *   = guest MAC with the first byte 0xFE, 0xFA when the guest's is 0xFE): the same every start.
 * - `prefix`: these leading octets fixed, the rest random at each start: `fe` for an LXC host veth
 *   (`setup_private_host_hw_addr` sets byte 0 of a random MAC to 0xFE), `00:18:51` for an OpenVZ
 *   veth whose host_mac vzctl generates (SW_OUI).
 * - `random`: the kernel's `eth_random_addr` (Proxmox taps and firewall veths, Docker veths): a
 *   new MAC at each start.
 */
export type HostMac =
  | { kind: 'fixed'; mac: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'random' };

/** One network interface of one guest whose host side joins a bridge. */
export interface GuestPort {
  source: GuestSource;
  /** Guest name (libvirt domain, LXC container, Docker network) or id (OpenVZ CTID, Proxmox VMID). */
  guest: string;
  /** Interface in the guest's config (`net0`, `eth0`, the libvirt interface's index). */
  iface: string;
  /** Bridge the host-side port joins; null when the config does not say (e.g. OpenVZ without bridge=). */
  bridge: string | null;
  /** Host-side interface name when known (`veth101i0`, `tap100i0`, libvirt target dev). */
  hostPort: string | null;
  /** Guest-side MAC when configured. */
  guestMac: string | null;
  hostMac: HostMac;
  /** Config file it was read from (path as on the host, e.g. `/etc/vz/conf/101.conf`), and 1-based line. */
  file: string;
  line: number | null;
  /** True when the hypervisor's runtime state says the guest runs now (libvirt /run/libvirt); null when unknown. */
  running: boolean | null;
}

/** A file that could not be understood (reading goes on; the audit names it). */
export interface GuestReadProblem {
  file: string;
  line: number | null;
  message: string;
}

/** Which hypervisors were looked for, and what was found or why one could not be read. */
export interface GuestSourceStatus {
  hypervisor: 'libvirt' | 'proxmox' | 'lxc' | 'openvz' | 'docker';
  /** Guest definitions read (config files; Docker: bridge networks); null when the source could not be read. */
  found: number | null;
  /** Where it looked, or why not: e.g. `/etc/vz/conf`, `docker CLI not installed`. */
  detail: string;
}

/** Everything read from one host. */
export interface GuestInventory {
  ports: GuestPort[];
  problems: GuestReadProblem[];
  /** One entry per hypervisor, in the order read, so a report can say what was NOT there. */
  sources: GuestSourceStatus[];
}

/** Whether one guest port would take the bridge's MAC when it starts. */
export interface GuestRisk {
  port: GuestPort;
  /**
   * Chance per start that the host-side MAC is below the bridge's reference MAC: 1 or 0 for a
   * fixed MAC, a fraction for random ones. Null when the reference is unknown.
   */
  chance: number | null;
  /** Plain words: why this chance. */
  why: string;
}

/** The guest audit of one bridge. */
export interface BridgeGuestAudit {
  bridge: string;
  /**
   * The MAC a starting port must undercut to take the bridge's (the uplink's, else the bridge's
   * current); null when the bridge is not on this host.
   */
  referenceMac: string | null;
  /** Where the reference came from: `uplink PORT`, `bridge`, or null. */
  referenceFrom: string | null;
  /** True when the bridge's MAC is pinned (addr_assign_type 3): no port can take it. */
  pinned: boolean;
  /** Every guest port on this bridge, with its chance; sorted by chance, highest first. */
  guests: GuestRisk[];
}
