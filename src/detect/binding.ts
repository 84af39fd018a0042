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
  t: number;
  ts: Timestamp;
  ref: FrameRef;
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
  start: Sighting;
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

/** A request toward an IP with no gap open yet (see {@link Binding.firstRequest}). */
export interface FirstRequest {
  /** Where the gap would start (the IP's last frame, or this request). */
  lead: Sighting;
  s: Sighting;
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
  key: string;
  ip: string;
  vlan: number | null;
  mac: Mac;
  source: BindingSource;
  /** ARP/NDP involved this IP (or it is link-local): it lives on this link, not behind a router. */
  onLink: boolean;
  /** We have seen the IP answer someone: replies are visible from this vantage point. */
  repliesVisible: boolean;
  /** Claimed by an FHRP virtual MAC: other MACs for it are the routers', never clashes. */
  fhrp: boolean;
  /** Last frame from the IP (any MAC). */
  lastFrom: Sighting | null;
  /** Last frame from the IP carrying the current MAC. */
  lastFromCurrentMac: Sighting | null;
  runs: ClaimRun[];
  /** Capture time (s) of the last change made by a concurrent claim (see concurrentClaimMs). */
  lastConcurrentT: number;
  episode: Episode | null;
  gap: GapState | null;
  /**
   * The first request of a gap that may never open: most requests are answered within
   * `answerTimeoutMs`, so the gap record is made only when a second frame toward the IP comes, the
   * answer is late, or the input ends (src/detect/gaps.ts). Null while `gap` is set.
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
