/**
 * Detection thresholds, windows and state caps. Every value is a named option with a documented
 * default (also listed in docs/schema.md, "Detection options"). Times are milliseconds of capture
 * time (never wall-clock time), so results do not depend on how fast a file is read.
 */

/** Options that shape detection. All durations in milliseconds of capture time. */
export interface DetectOptions {
  /** A reply gap shorter than this is not reported (one lost ping is not an outage). */
  gapThresholdMs: number;
  /** A request counts as unanswered when no frame from the IP follows within this time. */
  answerTimeoutMs: number;
  /**
   * When the IP was quiet for longer than this before the first unanswered request, the gap
   * starts at that request instead of at the last frame from the IP (a host idle for an hour and
   * then unreachable for 3 s had a 3 s outage, not an hour-long one).
   */
  quietLeadMs: number;
  /**
   * An outage needs someone depending on the IP: more ARP/NS requests than this (one address
   * resolution tries 3 times: Linux mcast_solicit, RFC 1122 2.3.2.1), or a second echo request
   * (a new sequence number: ping retried), or `tcpMinSegments` TCP segments. Fewer, and the gap is a probe or a one-off lookup (a DHCP
   * server's conflict check, RFC 5227, a neighbour asking once for an address that left).
   */
  probeMaxRequests: number;
  /**
   * TCP segments awaiting an ACK, unanswered, that make a TCP-only gap an outage: a sender
   * retransmits (RFC 6298 backoff) when the peer is gone. One segment and then the peer talking
   * again means its ACK was sent but not captured (a sparse or one-directional capture).
   */
  tcpMinSegments: number;
  /** Gaps at least this long make an incident `critical` (else `warning`). */
  criticalOutageMs: number;
  /** MAC changes of one IP within this window of each other fold into one finding (A->B->A = a flip). */
  flipWindowMs: number;
  /** Claims alternating A, B, A within this window are a clash (two stations at once), not a move. */
  clashWindowMs: number;
  /**
   * Two MACs claiming an IP within this time of each other answer the same request (ARP flux, a
   * duplicate address). Seen twice within `flipWindowMs`, however far apart, it is a clash.
   */
  concurrentClaimMs: number;
  /** An RFC 5227 probe / IPv6 DAD answered by another MAC within this window is a conflict. */
  probeWindowMs: number;
  /**
   * A silent change is an incident only when the old MAC was seen for the IP within this time
   * before the change; after longer silence the address was most likely released and reused.
   */
  reuseQuietMs: number;
  /** The same frame seen again within this time (e.g. `tcpdump -i any`, one copy per interface) is dropped. */
  dedupeWindowMs: number;
  /** A MAC claiming at least this many IPv4 addresses is treated as a proxy ARP responder. */
  proxyArpMinIps: number;
  /** Requests for one IP from one requester with gaps below this belong to one burst. */
  stormGapMs: number;
  /** A burst of at least this many requests is an `arp-storm` (Wireshark uses 30 within 100 ms gaps). */
  stormMinRequests: number;
  /**
   * MAC changes of existing bindings on one VLAN within one second that start a `claim-flood`
   * (real moves come one at a time; even a router failing over a /24 moves 254).
   */
  claimFloodMinChanges: number;
  /** Cap on (VLAN, IP) bindings kept; the least recently used is evicted beyond it. */
  maxBindings: number;
  /** Cap on per-MAC records (proxy ARP detection) and on per-requester burst records, each. */
  maxRequesters: number;
  /** Cap on evidence frames stored per finding (the first ones and the closing frame are kept). */
  maxEvidenceFrames: number;
  /**
   * Cap on findings kept per analysis; beyond it findings are only counted (`findingsDropped`).
   * A flood of random IP/MAC pairs otherwise yields one `mac-change` per address (hundreds of
   * thousands) and memory grows with it.
   */
  maxFindings: number;
}

/** Defaults; see each field for the reasoning. */
export const DEFAULT_DETECT_OPTIONS: Readonly<DetectOptions> = Object.freeze({
  gapThresholdMs: 1000,
  answerTimeoutMs: 1000,
  quietLeadMs: 10_000,
  probeMaxRequests: 3,
  tcpMinSegments: 3,
  criticalOutageMs: 5000,
  flipWindowMs: 300_000,
  clashWindowMs: 3000,
  concurrentClaimMs: 100,
  probeWindowMs: 3000,
  reuseQuietMs: 10_000,
  dedupeWindowMs: 5,
  proxyArpMinIps: 4,
  stormGapMs: 100,
  stormMinRequests: 30,
  claimFloodMinChanges: 1000,
  maxBindings: 65_536,
  maxRequesters: 16_384,
  maxEvidenceFrames: 64,
  maxFindings: 10_000,
});

/** Merges user options over the defaults, rejecting negative or non-finite values. */
export function resolveDetectOptions(partial: Partial<DetectOptions> = {}): DetectOptions {
  const merged: DetectOptions = { ...DEFAULT_DETECT_OPTIONS };
  for (const [name, value] of Object.entries(partial) as [keyof DetectOptions, number | undefined][]) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_DETECT_OPTIONS)) throw new RangeError(`unknown detection option ${name}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`detection option ${name} must be a non-negative number (got ${String(value)})`);
    }
    merged[name] = value;
  }
  return merged;
}

/**
 * The time windows of {@link DetectOptions} in seconds, converted once: detection compares capture
 * times in seconds, so each rule reads `t - last <= w.flipWindowS` instead of converting per frame.
 */
export interface DetectWindows {
  gapThresholdS: number;
  answerTimeoutS: number;
  quietLeadS: number;
  flipWindowS: number;
  clashWindowS: number;
  concurrentClaimS: number;
  probeWindowS: number;
  reuseQuietS: number;
  stormGapS: number;
}

export function detectWindows(o: DetectOptions): DetectWindows {
  return {
    gapThresholdS: o.gapThresholdMs / 1000,
    answerTimeoutS: o.answerTimeoutMs / 1000,
    quietLeadS: o.quietLeadMs / 1000,
    flipWindowS: o.flipWindowMs / 1000,
    clashWindowS: o.clashWindowMs / 1000,
    concurrentClaimS: o.concurrentClaimMs / 1000,
    probeWindowS: o.probeWindowMs / 1000,
    reuseQuietS: o.reuseQuietMs / 1000,
    stormGapS: o.stormGapMs / 1000,
  };
}
