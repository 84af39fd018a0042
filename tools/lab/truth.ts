/**
 * `truth.json`: what the lab did and what a correct analysis of the recorded run must find. Written
 * once per run, after every capture and monitor has stopped. Documented in samples/README.md.
 * All times are ISO 8601 UTC with 9 fractional digits (see {@link toIso}); MACs are lower-case
 * colon strings; addresses are documentation ranges only (RFC 5737, RFC 3849).
 */
import type { CauseCode } from '../../src/correlate/types.js';

/** A lab action, stamped with the lab's clock just before it acted. */
export interface TruthEvent {
  /** ISO 8601 UTC, ns. */
  t: string;
  /**
   * `port-join`, `port-leave`, `bridge-mac-change` (time from the ip monitor log), `address-add`,
   * `address-del`, `address-move`, `probe` (RFC 5227 probes sent), `announce` (gratuitous ARP sent),
   * `arping` (broadcast ARP request sent by the neighbour), `ping-start`, `stp-state` (port state read
   * from sysfs), `guest-start`, `guest-stop`.
   */
  action: string;
  [detail: string]: unknown;
}

export interface TruthHost {
  /** Namespace name (removed after the run). */
  ns: string;
  bridge: string;
  uplink: string;
  uplinkMac: string;
  /** br0's MAC before any guest started. */
  bridgeMac: string;
  /** True when the run pinned the bridge MAC (`--fixed`: addr_assign_type 3). */
  pinned: boolean;
  ip: string;
  /** Present when the scenario gave the bridge IPv6. */
  ip6?: string;
}

export interface TruthNeighbour {
  name: string;
  ns: string;
  ifname: string;
  ip: string;
  ip6?: string;
  mac: string;
}

export interface TruthGuest {
  name: string;
  ns: string;
  /** Host-side port (the "tap"). */
  port: string;
  portMac: string;
  guestMac: string;
  ip?: string;
  ip6?: string;
}

export interface ExpectedMacChange {
  /** The host address whose MAC changed (the bridge carries it). */
  ip: string;
  fromMac: string;
  toMac: string;
  /** From the ip monitor line that showed the bridge's new MAC. */
  t: string;
}

export interface ExpectedOutage {
  /** Address the neighbour pinged. */
  ip: string;
  /** Last reply before the gap (or the ping's start when nothing answered before). */
  start: string;
  /** First reply after the gap. */
  end: string;
  /** end - start, milliseconds (µs precision: ping -D prints µs). */
  durationMs: number;
  measuredBy: 'ping';
  /** The ping output file (in the run folder) that measured it. */
  log: string;
}

export interface ExpectedClash {
  ip: string;
  macs: string[];
}

/**
 * A stall of the neighbour's TCP flow toward the host: the gap between the last echo received before
 * and the first after. TCP's retransmission back-off makes it end at or after the ping outage.
 */
export interface TcpStall {
  ip: string;
  start: string;
  /** First echo after the stall, or when the lab stopped the flow if none came (`ongoing`). */
  end: string;
  /** end - start, ms (a lower bound when `ongoing`). */
  durationMs: number;
  /** No echo arrived before the lab stopped the flow (the next retransmission was still pending). */
  ongoing: boolean;
  measuredBy: 'tcp';
  log: string;
}

/** Files of the run, relative to the run folder. */
export interface TruthFiles {
  neighbourCapture: string;
  /** `pcap-us`, `pcap-ns`, `pcapng`, `sll2` (tcpdump -i any, LINUX_SLL2). */
  neighbourFormat: string;
  /** VLAN id the neighbour capture was tagged with afterwards (tcprewrite), when any. */
  neighbourVlan?: number;
  bridgeCapture: string;
  ipMonitor: string;
  bridgeMonitor: string;
  /** Absent when the kernel log was not readable. */
  kernelLog?: string;
  /** Raw `ping -D` output of the neighbour (the outage measurement). */
  pingLog: string;
  /** The TCP client's echo receive times (`<epoch s.µs> <bytes>` per line); runs recorded since the TCP measurement. */
  tcpLog?: string;
}

export interface Truth {
  /** `bridgewatch-lab/1`. */
  format: 'bridgewatch-lab/1';
  scenario: string;
  options: { fixed: boolean; kernelTimers: boolean; neighbourFormat: string; vlan?: number; pingIntervalMs: number };
  /** Kernel release the run was recorded on. */
  kernel: string;
  host: TruthHost;
  neighbours: TruthNeighbour[];
  guests: TruthGuest[];
  events: TruthEvent[];
  files: TruthFiles;
  expected: {
    macChanges: ExpectedMacChange[];
    outages: ExpectedOutage[];
    clashes: ExpectedClash[];
    causes: CauseCode[];
    /**
     * Incidents of severity warning or critical a correct analysis reports (info-level ones, e.g.
     * an announced move, are not counted: negative controls expect 0).
     */
    incidents: number;
  };
  /** Measured by the lab but not a detector's expectation (absent in runs recorded before it existed). */
  observed?: { tcpStalls: TcpStall[] };
  /** Free text: what the scenario shows and how to read it. */
  notes: string;
}
