/**
 * Per (VLAN, IP) state: the current MAC and how it was learned, its history, and the open
 * episode/gap/clash being measured. Plain data; the Detector owns the rules.
 */
import type { Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';
import type { BindingSource, FrameRef, IpClashFinding, MacChangeFinding, ReplyGapFinding } from './types.js';
import type { IncidentState } from './incidents.js';

/** A frame seen at capture time `t` (seconds, double) with its exact timestamp and reference. */
export interface Sighting {
  readonly t: number;
  /** The exact timestamp: a new object on each read, so a finding may keep it. */
  readonly ts: Timestamp;
  /** The frame: a new object on each read, so a finding may keep it. */
  readonly ref: FrameRef;
  /** This sighting as it is now, for state that outlives the frame being handled. */
  keep(): KeptSighting;
}

/** Where a sighting's facts live: capture time (s), timestamp seconds and ns, file index, frame number. */
abstract class SightingFields {
  abstract readonly t: number;
  abstract readonly sec: number;
  abstract readonly nsec: number;
  abstract readonly fileIndex: number;
  abstract readonly frame: number;

  get ts(): Timestamp {
    return { sec: this.sec, nsec: this.nsec };
  }

  get ref(): FrameRef {
    return { fileIndex: this.fileIndex, frame: this.frame };
  }
}

/** A sighting that never changes: what gaps, suspects and findings keep. */
export class KeptSighting extends SightingFields implements Sighting {
  /** Sets kept sightings apart from marks, which change (a mark is not a KeptSighting). */
  declare private readonly kept: true;

  constructor(readonly t: number, readonly sec: number, readonly nsec: number, readonly fileIndex: number, readonly frame: number) {
    super();
  }

  /** Itself: it never changes. */
  keep(): KeptSighting {
    return this;
  }
}

/**
 * A sighting rewritten in place: the frame being handled (one per detector) and each binding's
 * latest frames. Rewriting instead of allocating keeps steady traffic free of allocation; whatever
 * must outlive the next frame takes {@link keep}.
 */
export class FrameMark extends SightingFields implements Sighting {
  t = 0;
  sec = 0;
  nsec = 0;
  fileIndex = 0;
  frame = 0;

  /** Makes this mark the frame of `s`. */
  copyFrom(s: FrameMark): this {
    this.t = s.t;
    this.sec = s.sec;
    this.nsec = s.nsec;
    this.fileIndex = s.fileIndex;
    this.frame = s.frame;
    return this;
  }

  /** A new mark at the same frame. */
  clone(): FrameMark {
    return new FrameMark().copyFrom(this);
  }

  keep(): KeptSighting {
    return new KeptSighting(this.t, this.sec, this.nsec, this.fileIndex, this.frame);
  }
}

/** A run of consecutive ARP/NDP claims by one MAC (clash detection looks for A, B, A runs). */
export interface ClaimRun {
  mac: Mac;
  firstT: number;
  lastT: number;
  /** Timestamp and frame of the run's latest claim. */
  lastTs: Timestamp;
  ref: FrameRef;
}

/** A MAC change being folded (A->B->A within the flip window is one finding). */
export interface Episode {
  finding: MacChangeFinding;
  lastChangeT: number;
  /** Capture time after which the change is published unless it turned out to be a clash. */
  dueT: number;
  /** Index in the findings array once published, else -1. */
  index: number;
  /** The MAC the binding had before the latest change (for oldMacStillAnswers). */
  previousMac: Mac;
  /** Involves an FHRP or proxy ARP MAC: recorded, never an incident on its own. */
  quiet: boolean;
  /** The old MAC was seen within reuseQuietMs before the first change (not an address reuse). */
  oldActive: boolean;
}

/** Requests for the IP that have not been answered yet. */
export interface GapState {
  /** Start of the gap: last frame from the IP (or the first request after a long silence). */
  start: KeptSighting;
  firstRequestT: number;
  lastArpRequestT: number;
  /** ARP/NS requests (unicast and broadcast). */
  requests: number;
  framesToStaleMac: number;
  staleMac: Mac | null;
  requesters: Set<string>;
  frames: FrameRef[];
  /** Published finding once the gap passed the threshold, with its index. */
  finding: ReplyGapFinding | null;
  index: number;
  /** Capture time (s) the incident listener was last told about this gap's growth. */
  notifiedT: number;
  /** Capture time (s) of the latest request awaiting an answer (ARP/NS, echo, TCP). */
  lastRequestT: number;
  /**
   * Unanswered echo requests (ICMP/ICMPv6), not counting repeats of the first one's id and
   * sequence number: ping numbers every request, so only a second number shows a retry.
   */
  echoRequests: number;
  /** Echo id * 65536 + sequence number of the gap's first echo request, -1 before one. */
  firstEcho: number;
  /** Unanswered TCP segments that must be acknowledged (SYN, FIN, data). */
  tcpSegments: number;
  /** First of those TCP segments (for the sparse-capture note). */
  firstTcpRef: FrameRef | null;
}

/**
 * A request toward an IP with no gap open yet (see {@link Binding.firstRequest}). One per binding,
 * rewritten for each such request: most are answered in time and leave nothing behind.
 */
export interface FirstRequest {
  /** False once the request was answered or its gap opened: the record is then only kept for reuse. */
  active: boolean;
  /** Where the gap would start (the IP's last frame, or this request). */
  lead: FrameMark;
  s: FrameMark;
  kind: 'arp' | 'ns' | 'ip-request' | 'tcp';
  requester: string;
  dstMac: Mac | null;
  /** Echo id * 65536 + sequence number, or null. */
  echo: number | null;
}

/** An ongoing clash on the binding. */
export interface ClashState {
  finding: IpClashFinding;
  lastT: number;
}

export interface Binding {
  /** `ipKey(vlan, ip)`: the key of the maps that are not keyed by number (probes, unresolved requests). */
  key: string;
  ip: string;
  /** {@link ip} as an unsigned 32-bit number for IPv4, -1 for IPv6. */
  ipv4: number;
  vlan: number | null;
  mac: Mac;
  source: BindingSource;
  /** ARP/NDP involved this IP (or it is link-local): it lives on this link, not behind a router. */
  onLink: boolean;
  /** We have seen the IP answer someone: replies are visible from this vantage point. */
  repliesVisible: boolean;
  /** Claimed by an FHRP virtual MAC: other MACs for it are the routers', never clashes. */
  fhrp: boolean;
  /** Last frame from the IP (any MAC), rewritten in place. */
  lastFrom: FrameMark;
  /** Last frame from the IP carrying the current MAC (rewritten in place), null since the MAC changed. */
  lastFromCurrentMac: FrameMark | null;
  runs: ClaimRun[];
  /** Capture time (s) of the last change made by a concurrent claim (see concurrentClaimMs). */
  lastConcurrentT: number;
  episode: Episode | null;
  gap: GapState | null;
  /**
   * The first request of a gap that may never open: most requests are answered within
   * `answerTimeoutMs`, so the gap record is made only when a second frame toward the IP comes, the
   * answer is late, or the input ends (src/detect/gaps.ts). Null until the binding's first such
   * request, then reused; never active while `gap` is set.
   */
  firstRequest: FirstRequest | null;
  clash: ClashState | null;
  incident: IncidentState | null;
  /**
   * The binding's MAC announced another address since it last spoke for this one (a host that
   * renumbered): requests for this address probe a vacated address, not an outage.
   */
  vacated: boolean;
  /**
   * The gap closed last by a mere ARP/NDP claim, with the capture time (s) it closed. Kept until
   * the IP sends other traffic: if requests go unanswered again, the claim did not answer them
   * (a forged or unsolicited reply) and the gap goes on.
   */
  closedByClaim: GapState | null;
  closedByClaimT: number;
}
