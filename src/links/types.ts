/**
 * Link events: a timeline of what happened to interfaces and bridges, from live rtnetlink, recorded
 * `ip monitor` / `bridge monitor` output, or kernel logs. Correlation lines these up with findings.
 */
import type { Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';

/** Linux bridge port STP states (IFLA_BRPORT_STATE / BR_STATE_*). */
export type StpState = 'disabled' | 'listening' | 'learning' | 'forwarding' | 'blocking';

/** Where an event came from. */
export type LinkEventSource =
  | 'rtnetlink'
  | 'ip-monitor'
  | 'bridge-monitor'
  | 'kernel-log';

interface LinkEventBase {
  /** When it happened; null when the source had no timestamp (plain `ip monitor`). */
  time: Timestamp | null;
  source: LinkEventSource;
  /** Interface (port or bridge) name, as the source printed it (without `@peer`). */
  ifname: string;
  /** Kernel ifindex when known. */
  ifindex: number | null;
  /** 1-based line in the source file (null for live events). */
  line: number | null;
  /** The raw line(s), for evidence. */
  raw: string;
}

/**
 * A port was enslaved to a bridge. `firstSeen` (set only when true): the log's first line for
 * this port already named the bridge, so it may be a refresh line of a port that joined before
 * the log began; correlation needs corroboration (the bridge's MAC changing) to call it a join.
 */
export interface PortJoinEvent extends LinkEventBase { type: 'port-join'; bridge: string; mac: Mac | null; firstSeen?: boolean }
/** A port left a bridge (nomaster or deleted). */
export interface PortLeaveEvent extends LinkEventBase { type: 'port-leave'; bridge: string | null; mac: Mac | null; deleted: boolean }
/** An interface's MAC changed (for a bridge: what the lowest-MAC rule does). */
export interface MacChangeEvent extends LinkEventBase { type: 'mac-change'; oldMac: Mac | null; newMac: Mac; isBridge: boolean }
/** Operational state / carrier changed. */
export interface OperStateEvent extends LinkEventBase { type: 'oper-state'; state: 'up' | 'down' | 'lowerlayerdown' | 'unknown' | 'dormant' }
/** A bridge port entered an STP state. */
export interface StpStateEvent extends LinkEventBase { type: 'stp-state'; bridge: string | null; port: string; state: StpState }
/** Kernel: "received packet on X with own address as source address". */
export interface OwnAddressEvent extends LinkEventBase { type: 'own-address'; bridge: string; port: string; mac: Mac | null; vlan: number | null }
/** Kernel: "topology change detected". */
export interface TopologyChangeEvent extends LinkEventBase { type: 'topology-change'; bridge: string }
/** A new interface appeared (not yet enslaved), or was deleted. */
export interface LinkAddDelEvent extends LinkEventBase { type: 'link-add' | 'link-del'; mac: Mac | null; master: string | null }
/** Promiscuous/allmulticast mode entered/left (ports do so on join/leave). */
export interface PromiscEvent extends LinkEventBase { type: 'promisc'; entered: boolean; mode: 'promiscuous' | 'allmulticast' }

export type LinkEvent =
  | PortJoinEvent
  | PortLeaveEvent
  | MacChangeEvent
  | OperStateEvent
  | StpStateEvent
  | OwnAddressEvent
  | TopologyChangeEvent
  | LinkAddDelEvent
  | PromiscEvent;

/**
 * A bridge holding one MAC over a span of a timed log or a live rtnetlink feed, from the first
 * sighting with this MAC (`since`) to the sighting with another MAC, or the feed's last known time
 * (`until`). The kernel sends RTM_NEWLINK for every MAC change of a link (NETDEV_CHANGEADDR), a
 * bridge's lowest-port-MAC change included, so a feed that showed no other MAC for the bridge in
 * between shows it kept this one. Correlation uses it as evidence against a bridge flip the
 * capture alone suggests.
 */
export interface BridgeMacHeld {
  bridge: string;
  mac: Mac;
  since: Timestamp;
  until: Timestamp;
  /** The log (`rtnetlink` for a live feed), and the 1-based line that first printed the bridge with `mac` (null live). */
  path: string;
  line: number | null;
}

/** A link a record showed with a MAC (one entry per link and MAC). */
export interface RecordedLinkMac {
  ifname: string;
  mac: Mac;
  /**
   * When the record first showed the link, with this MAC, on a line printed because something
   * about it changed: its MAC just before is unknown (that line may be the change). Null when its
   * state was known before (a live snapshot, a new link, a reported change) or it showed another
   * MAC first.
   */
  firstPrinted: Timestamp | null;
}

/**
 * A complete record of a host's bridge MACs from `first` to `last`: a timed `ip monitor` log (the
 * kernel's message for every MAC change of a bridge is printed) or live rtnetlink. `spans`: what
 * each bridge it showed held; a bridge it never showed did not change its MAC in that time.
 */
export interface BridgeMacRecord {
  /** The log's path, or `rtnetlink`. */
  source: string;
  first: Timestamp;
  last: Timestamp;
  spans: BridgeMacHeld[];
  /** Every link it showed with a MAC: one with the host's MAC ties the record to the host. */
  links: RecordedLinkMac[];
}

/** A line a parser could not read: counted and reported, never fatal. */
export interface UnparsedLine {
  file: string;
  line: number;
  text: string;
  reason: string;
}

/** Result of parsing one recorded log. */
export interface LinkLog {
  path: string;
  format: 'ip-monitor' | 'bridge-monitor' | 'dmesg' | 'dmesg-T' | 'journalctl' | 'journalctl-json' | 'syslog' | 'unknown';
  events: LinkEvent[];
  unparsed: UnparsedLine[];
  /**
   * Earliest and latest time printed in the log, on any line read (an event or not), after
   * `--tz`/`--clock-offset`; null/absent when the log has no usable times (plain `ip monitor`,
   * dmesg without `--boot-time`). Correlation compares this span with the capture's.
   */
  first?: Timestamp | null;
  last?: Timestamp | null;
  /** Bridges' MACs over the log's span (timed `ip -ts`/`ip -t monitor` logs only; absent otherwise). */
  bridgeMacs?: BridgeMacRecord;
}
