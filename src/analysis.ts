/**
 * The one typed result every reporter is fed (terminal, JSON/NDJSON, Markdown, HTML, annotate).
 * `analyze` (offline) and `live` both produce it.
 */
import type { Timestamp } from './time.js';
import type { CaptureFormat } from './capture/types.js';
import type { DetectedIncident, Finding, FrameRef } from './detect/types.js';
import type { Cause } from './correlate/types.js';
import type { LinkEvent, LinkLog } from './links/types.js';
import type { ErrorCode } from './errors.js';
import type { LiveRunInfo } from './live/run-info.js';

/**
 * An incident as reported: detection's grouping of findings plus the root cause correlation
 * returned for it (attached when the analysis is assembled; detection never sees causes).
 */
export interface Incident extends DetectedIncident {
  /** Root cause, once correlation ran. */
  cause?: Cause;
}

/** Per-capture facts (also the `stats` command's output). */
export interface CaptureSummary {
  /** Path as given (`-` for stdin, `live:IFACE` for live capture). */
  path: string;
  format: CaptureFormat;
  gzip: boolean;
  /** Distinct LINKTYPE_* values seen. */
  linkTypes: number[];
  /** pcapng interface names, where recorded. */
  interfaces: string[];
  packets: number;
  /** Sum of captured lengths, bytes. */
  bytes: number;
  first: Timestamp | null;
  last: Timestamp | null;
  arp: number;
  ndp: number;
  stp: number;
  ip: number;
  /** Frames carrying at least one 802.1Q/802.1ad tag. */
  vlanTagged: number;
  /** Malformed/truncated frames, by anomaly code. */
  anomalies: Record<string, number>;
  /** First few anomalies with frame numbers (for the user to open). */
  anomalyExamples: { frame: number; code: string; detail: string }[];
  /** Set when reading stopped on a fault; everything before it was analysed. */
  error?: { code: ErrorCode; message: string; offset?: number };
}

/** The complete result of an analysis. */
export interface Analysis {
  schema: 'bridgewatch/1';
  /** Tool version that produced it. */
  version: string;
  captures: CaptureSummary[];
  /**
   * Incidents, in start order (their ids, fixed when each opened, need not be); `findings` indexes
   * point into `findings` below.
   */
  incidents: Incident[];
  findings: Finding[];
  /** Link events used for correlation (from --links files or live rtnetlink), time order. */
  linkEvents: LinkEvent[];
  /** The link logs read, with their unparsed lines. */
  linkLogs: Omit<LinkLog, 'events' | 'bridgeMacs'>[];
  /**
   * One line per link log set aside because its times do not match the capture's (no overlap, or
   * only after a constant shift), naming the `--clock-offset` to try; absent when none was.
   */
  linkNotes?: string[];
  /**
   * TCP segments whose acknowledgement is missing from the capture (the peer went on without
   * retransmitting them): the capture is sparse or one-way, so unanswered TCP was not counted as an
   * outage. Absent when there were none. `frames`: the first few such segments.
   */
  acksNotCaptured?: { count: number; frames: FrameRef[] };
  /**
   * Findings counted but not kept because the `maxFindings` cap was reached (a flood); absent or 0
   * when every finding was kept.
   */
  findingsDropped?: number;
  /** Options that shaped detection (thresholds and windows), for the record. */
  options: Record<string, number | string | boolean>;
  /** The display filter (`--ip`, `--vlan`, `--mac`) that narrowed incidents and findings; absent when none. */
  filter?: DisplayFilter;
  /** Only from `live`: interface, filter, drop counters, files kept by --save (absent for files). */
  live?: LiveRunInfo;
}

/** What to keep. Empty lists (or absent) do not filter. */
export interface DisplayFilter {
  /** IPv4 or IPv6 addresses (any spelling; compared in canonical form). */
  ips?: string[];
  /** 802.1Q VLAN ids; 0 stands for untagged. */
  vlans?: number[];
  /** MACs (colon, dash or dot spelling). */
  macs?: string[];
}
