/**
 * What detection finds. These are the in-memory forms; the JSON contract (`bridgewatch/1`,
 * docs/schema.md) is produced from them by src/report/json.ts. MACs are {@link Mac} numbers here
 * and strings in JSON.
 */
import type { Mac } from '../net/mac.js';
import type { Timestamp } from '../time.js';

/** A reference to one frame of evidence. */
export interface FrameRef {
  /** Index of the capture file among the inputs. */
  fileIndex: number;
  /** 1-based frame number in that file. */
  frame: number;
}

/** How an IP->MAC binding was learned. */
export type BindingSource =
  | 'arp-request'
  | 'arp-reply'
  | 'arp-gratuitous'
  | 'arp-announcement'
  | 'ndp-ns'
  | 'ndp-na'
  | 'ndp-na-override'
  | 'ndp-unsolicited-na'
  | 'ip-traffic';

interface FindingBase {
  /** Address concerned (IPv4 dotted or IPv6 RFC 5952). */
  ip: string;
  /** Innermost VLAN id, null when untagged. */
  vlan: number | null;
  start: Timestamp;
  end: Timestamp;
  /** end - start, milliseconds. */
  durationMs: number;
  /** Evidence frames, in time order. */
  frames: FrameRef[];
}

/** An IP's binding moved from one MAC to another. */
export interface MacChangeFinding extends FindingBase {
  kind: 'mac-change';
  fromMac: Mac;
  toMac: Mac;
  /** Announced by gratuitous ARP / unsolicited NA (true) or silent (false). */
  announced: boolean;
  /** The old MAC still answered for the IP after the change. */
  oldMacStillAnswers: boolean;
  /** toMac < fromMac numerically: what the bridge lowest-MAC rule would do when a port joins. */
  newMacLower: boolean;
  /** How the new binding was learned. */
  learnedBy: BindingSource;
  /** A->B->A flips folded into this finding: MACs in order, e.g. [A, B, A]. */
  sequence: Mac[];
  /**
   * One entry per change in `sequence` (optional: added by the detect team; always set by the
   * Detector). Each change is bracketed by the last frame from the old MAC and the first claim
   * from the new one: the change happened somewhere in [lastOld, firstNew].
   */
  steps?: MacChangeStep[];
}

/** One change of a {@link MacChangeFinding}. */
export interface MacChangeStep {
  fromMac: Mac;
  toMac: Mac;
  /** Last frame from the IP carrying `fromMac` before the change. */
  lastOld: Timestamp;
  /** First claim of the IP by `toMac`. */
  firstNew: Timestamp;
  learnedBy: BindingSource;
  announced: boolean;
  /** [frame of lastOld, frame of firstNew]. */
  frames: FrameRef[];
}

/** Two or more MACs claim one IP concurrently. */
export interface IpClashFinding extends FindingBase {
  kind: 'ip-clash';
  macs: Mac[];
  /** An RFC 5227 probe / IPv6 DAD that another station answered. */
  probeConflict: boolean;
}

/** Requests for an IP went unanswered past the threshold. */
export interface ReplyGapFinding extends FindingBase {
  kind: 'reply-gap';
  /** MAC the unanswered requests/traffic were sent to (null when only broadcast requests). */
  staleMac: Mac | null;
  /** MAC that answered at the end (null when nothing answered before the capture ended). */
  answeredBy: Mac | null;
  /** Requesters affected (IPs). */
  requesters: string[];
  /** Unanswered ARP/NS requests (broadcast and unicast). */
  unansweredRequests: number;
  /** Unicast frames sent toward the stale MAC during the gap. */
  framesToStaleMac: number;
  /** True when the capture ended before any answer (end = last frame seen). */
  ongoing: boolean;
}

/** A storm of ARP/NS requests (many identical requests in a short window). */
export interface StormFinding extends FindingBase {
  kind: 'arp-storm';
  requests: number;
  /** Requests per second at the peak, over one second. */
  peakRate: number;
}

/**
 * A flood of address claims: ARP replies / NAs rebinding addresses to ever new MACs faster than
 * any real network moves them (an ARP-spoofing or MAC-flooding tool, a broken device). While it
 * lasts, claims on its VLAN that would create or change a binding are counted here instead of each
 * becoming a `mac-change` (so a million random pairs make one finding, not a million). `ip` is `*`.
 */
export interface ClaimFloodFinding extends FindingBase {
  kind: 'claim-flood';
  /** Claims counted into the flood (changing or creating a binding). */
  claims: number;
  /** Distinct MACs among them, counted up to {@link FLOOD_DISTINCT_CAP}. */
  distinctMacs: number;
  /** Distinct addresses among them, counted up to {@link FLOOD_DISTINCT_CAP}. */
  distinctIps: number;
  /** Claims in the busiest one-second bucket. */
  peakRate: number;
  /** The first MACs seen in the flood (up to 8), to look up on the switch. */
  sampleMacs: Mac[];
}

/**
 * ARP spoofing (src/detect/spoof.ts): frames whose ARP sender MAC is not their Ethernet source
 * (`forged-sender`), or one MAC claiming addresses other stations hold (`impersonation`).
 * `ip` is the first address claimed.
 */
export interface ArpSpoofFinding extends FindingBase {
  kind: 'arp-spoof';
  reason: 'forged-sender' | 'impersonation';
  /** The MACs sending the frames (Ethernet source): the spoofing station(s), up to 32. */
  spooferMacs: Mac[];
  /** Addresses claimed falsely, up to 32. For `forged-sender`, the sender IPs of the forged frames. */
  claimedIps: string[];
  /** `impersonation`: the real owners' MACs of those addresses. */
  ownerMacs: Mac[];
  /** `impersonation`: addresses the spoofing MAC claims that nobody else held (its own), up to 32. */
  ownIps: string[];
  /** `forged-sender`: ARP sender MACs forged in the frames, up to 32. */
  forgedMacs: Mac[];
  /** `forged-sender`: distinct forged sender MACs, counted up to 4096. */
  distinctForgedMacs: number;
  /** Frames counted into the finding. */
  frameCount: number;
}

/** Distinct MACs/addresses a {@link ClaimFloodFinding} counts exactly; beyond it counts stop there. */
export const FLOOD_DISTINCT_CAP = 4096;

export type Finding = MacChangeFinding | IpClashFinding | ReplyGapFinding | StormFinding | ClaimFloodFinding | ArpSpoofFinding;

export type Severity = 'info' | 'warning' | 'critical';

/**
 * Related findings grouped: e.g. a silent MAC change followed by an outage toward the old MAC.
 * Detection's part of an incident; the analysis' `Incident` (src/analysis.ts) adds the cause
 * correlation names for it.
 */
export interface DetectedIncident {
  /**
   * `I1`, `I2`, ... in the order incidents open, fixed then and never renumbered (live lines and
   * the final report use the same id); an incident merged into another leaves its id unused. Not
   * in start order: an incident that started earlier may be recognised later.
   */
  id: string;
  /**
   * Headline kind: `bridge-mac-flip`, `mac-change`, `ip-clash`, `arp-flux`, `outage`,
   * `announced-move`, `arp-storm`, `claim-flood`, `arp-spoof`.
   */
  kind: string;
  severity: Severity;
  ip: string;
  vlan: number | null;
  start: Timestamp;
  end: Timestamp;
  durationMs: number;
  /**
   * The outage figure: total time of the incident's reply gaps (their `durationMs` summed), ms; 0
   * when nothing went unanswered. One figure, shown as "outage (total)" by every reporter.
   */
  outageMs: number;
  /** Indexes into the analysis' `findings` array. */
  findings: number[];
}
