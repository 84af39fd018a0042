/**
 * Reply gaps: requests for an IP that go unanswered. A gap opens at the first request (ARP/NS,
 * echo, a TCP segment awaiting an ACK) after the IP's last frame, becomes a `reply-gap` finding
 * once the first request went unanswered for `answerTimeoutMs` and the gap reached
 * `gapThresholdMs` (published at once, marked ongoing, so live capture can alert), and ends at the
 * IP's first answer (ARP/NDP, traffic to a requester, or any frame from the MAC the requests go
 * to: the detector decides) or at the capture's last frame.
 *
 * What makes a gap an outage (docs/schema.md, `reply-gap`): the IP answered before, from this
 * vantage point; someone kept depending on it (more requests than one address resolution, a
 * second numbered echo request, or TCP retransmissions, see `probeMaxRequests`/`tcpMinSegments`);
 * the address was not just vacated by a host that announced a new one. A gap closed by a bare ARP/NDP claim goes
 * on when requests go unanswered again before the IP sends anything else: a forged or
 * unsolicited reply answers nobody.
 */
import type { Mac } from '../net/mac.js';
import { diffMs, type Timestamp } from '../time.js';
import type { ReplyGapFinding } from './types.js';
import type { DetectOptions, DetectWindows } from './options.js';
import type { IncidentBook } from './incidents.js';
import { FrameMark, type Binding, type FirstRequest, type GapState, type KeptSighting, type Sighting } from './binding.js';
import type { FrameRef } from './types.js';
import { LruMap } from './lru.js';
import { pushEvidence } from './evidence.js';
import { isUnicastDst } from './classify.js';
import type { BindingIncidents } from './binding-incidents.js';
import type { ChangeEpisodes } from './episodes.js';

/** What a frame toward an IP is: ARP request, NS, an echo request, a TCP segment awaiting an ACK, other traffic. */
export type RequestKind = 'arp' | 'ns' | 'ip-request' | 'tcp' | 'ip';

/** TCP segments whose ACK was never captured (the peer talked again without a retransmission). */
export interface AcksNotCaptured {
  count: number;
  /** The first few such segments. */
  examples: FrameRef[];
}

/** Examples kept in {@link AcksNotCaptured}. */
const MAX_SPARSE_EXAMPLES = 5;

/** Requesters remembered per gap. */
const MAX_REQUESTERS_PER_GAP = 32;

export class ReplyGaps {
  /** ARP/NS requests for IPs never seen yet (a starting guest, a port not yet forwarding). */
  readonly unresolved: LruMap<string, GapState>;
  /** Evidence that the capture misses segments (see {@link AcksNotCaptured}). */
  readonly acksNotCaptured: AcksNotCaptured = { count: 0, examples: [] };

  constructor(
    private readonly o: DetectOptions, private readonly w: DetectWindows, private readonly book: IncidentBook,
    /** Where the binding's held MAC change is published first, so it groups with the outage. */
    private readonly episodes: ChangeEpisodes,
    private readonly incidents: BindingIncidents,
  ) {
    this.unresolved = new LruMap(o.maxRequesters);
  }

  /** A frame toward `b.ip` from `requester`, sent to `dstMac`; `echo`: an echo request's id * 65536 + sequence number. */
  request(b: Binding, requester: string, dstMac: Mac | null, kind: RequestKind, s: FrameMark, echo: number | null = null): void {
    // Vantage point: without having seen the IP answer anyone, silence proves nothing.
    // A host that announced a new address left this one: requests for it probe a vacated address.
    if (!b.repliesVisible || b.vacated) return;
    const g = b.gap ?? this.openPending(b);
    if (g === null) {
      if (kind === 'ip') return;
      const p = b.firstRequest ??= { active: false, lead: new FrameMark(), s: new FrameMark(), kind, requester, dstMac, echo };
      p.active = true;
      p.lead.copyFrom(s.t - b.lastFrom.t <= this.w.quietLeadS ? b.lastFrom : s);
      p.s.copyFrom(s);
      p.kind = kind;
      p.requester = requester;
      p.dstMac = dstMac;
      p.echo = echo;
      return;
    }
    this.add(b, g, requester, dstMac, kind, s, echo);
  }

  /**
   * Opens the gap of the binding's first request, if one is pending, and returns it (null when
   * none is). The request is counted as if the gap had opened with it: nothing a single request
   * does to a new gap depends on what came after it.
   */
  openPending(b: Binding): GapState | null {
    const p = pending(b);
    if (p === null) return null;
    p.active = false;
    const g = (b.gap = newGap(p.lead.keep(), p.s.t));
    this.add(b, g, p.requester, p.dstMac, p.kind, p.s, p.echo);
    return b.gap;
  }

  /**
   * A frame from the binding's IP carrying `mac`, sent to `toIp`. It ends the gap when it answers:
   * an ARP/NDP claim (`byClaim`), traffic to a requester (or any traffic when no requester is
   * known), or anything from the MAC the requests went to (the IP is on the link and reachable
   * there). Traffic from another MAC while requests go to a stale one does not (a black hole).
   */
  fromIp(b: Binding, mac: Mac, toIp: string, byClaim: boolean, s: Sighting): void {
    const g = b.gap;
    if (g !== null) {
      const answers = byClaim || g.requesters.size === 0 || g.requesters.has(toIp) || mac === (g.staleMac ?? b.mac);
      if (answers) this.answered(b, g, mac, s, byClaim);
      return;
    }
    const p = pending(b);
    if (p === null) return;
    const staleMac = isUnicastDst(p.dstMac) ? p.dstMac : b.mac;
    const answers = byClaim || !countsAsRequester(p.requester) || p.requester === toIp || mac === staleMac;
    if (!answers) return;
    // Answered within answerTimeoutMs: the gap it would have opened could never become a finding.
    if (s.t - p.s.t <= this.w.answerTimeoutS) p.active = false;
    else this.answered(b, this.openPending(b)!, mac, s, byClaim);
  }

  /** Counts one frame toward `b.ip` into its open gap `g` (see {@link request}). */
  private add(b: Binding, g: GapState, requester: string, dstMac: Mac | null, kind: RequestKind, s: Sighting, echo: number | null): void {
    if (kind === 'arp' || kind === 'ns') { g.requests++; g.lastArpRequestT = s.t; }
    if (kind !== 'ip') {
      g.lastRequestT = s.t;
      if (kind === 'ip-request') countEcho(g, echo ?? -1);
      else if (kind === 'tcp' && g.tcpSegments++ === 0) g.firstTcpRef = s.ref;
    }
    addRequester(g, requester);
    if (isUnicastDst(dstMac)) {
      g.staleMac = dstMac;
      g.framesToStaleMac++;
    }
    pushEvidence(g.frames, s.ref, this.o.maxEvidenceFrames);
    if (g.finding) {
      this.fill(b, g, s.ts, true);
      // An outage grows with every unanswered ping: tell the listener about once a second.
      if (b.incident && s.t - g.notifiedT >= 1) {
        g.notifiedT = s.t;
        this.book.refresh(b.incident, s.t);
      }
    } else if (this.resumeAfterClaim(b, g, s.t)) {
      const resumed = b.gap!;
      this.fill(b, resumed, s.ts, true);
      if (b.incident) this.book.refresh(b.incident, s.t);
    } else if (this.qualifies(b, g, s.t)) {
      this.publish(b, g, s.ts, s.t, true);
    }
  }

  /**
   * An ARP/NS request for an IP never seen: remembered so that, when the IP first answers, the
   * time it was unreachable is a reply gap starting at the first request (a guest whose port is
   * still in STP listening/learning). Never reported while unanswered: nothing shows that the IP
   * exists at all.
   */
  requestUnresolved(key: string, requester: string, s: Sighting): void {
    let g = this.unresolved.get(key);
    if (!g || s.t - g.lastArpRequestT > this.w.quietLeadS) {
      g = newGap(s.keep(), s.t);
      this.unresolved.set(key, g);
    }
    g.requests++;
    g.lastArpRequestT = s.t;
    g.lastRequestT = s.t;
    addRequester(g, requester);
    pushEvidence(g.frames, s.ref, this.o.maxEvidenceFrames);
  }

  /**
   * Forgets unresolved requests with no request for `quietLeadMs` before `t`: a first answer after
   * that would not close them (see {@link firstAnswer}), and a new request starts afresh.
   */
  expireUnresolved(t: number): void {
    this.unresolved.sweep((g) => t - g.lastArpRequestT > this.w.quietLeadS);
  }

  /** A new binding `b` (key `key`) just answered for the first time: close its unresolved requests. */
  firstAnswer(b: Binding, key: string, mac: Mac, s: Sighting): void {
    const pending = this.unresolved.peek(key);
    if (!pending) return;
    this.unresolved.delete(key);
    b.onLink = true;
    if (s.t - pending.lastArpRequestT <= this.w.quietLeadS) this.answered(b, pending, mac, s, false);
  }

  /**
   * The IP answered (`mac`): the gap, if long enough, becomes a finding ending here. `byClaim`:
   * the answer is an ARP/NDP claim only (see {@link resumeAfterClaim}).
   */
  answered(b: Binding, g: GapState, mac: Mac, s: Sighting, byClaim: boolean): void {
    b.gap = null;
    if (!g.finding && this.resumeAfterClaim(b, g, s.t)) g = b.gap!;
    b.gap = null;
    if (!g.finding && !this.qualifies(b, g, s.t)) {
      this.noteMissingAck(g, s.t);
      return;
    }
    if (byClaim) { b.closedByClaim = g; b.closedByClaimT = s.t; }
    pushEvidence(g.frames, s.ref, this.o.maxEvidenceFrames);
    // The request just before the answer was the one answered.
    if (s.t - g.lastArpRequestT <= this.w.answerTimeoutS) g.requests = Math.max(0, g.requests - 1);
    const f = this.fill(b, g, s.ts, false);
    f.answeredBy = mac;
    if (g.index < 0) this.publish(b, g, s.ts, s.t, false);
    else if (b.incident) this.book.refresh(b.incident, s.t);
  }

  /** End of input with requests still unanswered: an ongoing gap up to the capture's last frame. */
  atEnd(b: Binding, g: GapState, lastT: number, lastTs: Timestamp): void {
    b.gap = null;
    if (!g.finding && this.resumeAfterClaim(b, g, lastT)) g = b.gap!;
    b.gap = null;
    if (!g.finding && !this.qualifies(b, g, lastT)) return;
    if (g.index < 0) this.publish(b, g, lastTs, lastT, true);
    else {
      this.fill(b, g, lastTs, true);
      if (b.incident) this.book.refresh(b.incident, lastT);
    }
  }

  private qualifies(b: Binding, g: GapState, t: number): boolean {
    return b.onLink && t - g.firstRequestT > this.w.answerTimeoutS && t - g.start.t >= this.w.gapThresholdS &&
      this.depended(g);
  }

  /**
   * Someone kept depending on the IP: more address requests than one resolution attempt, an echo
   * request, or TCP segments retransmitted. A DHCP server's conflict probe, an RFC 5227 check or a
   * single lookup of an address that left asks at most once per resolution and then stops.
   */
  private depended(g: GapState): boolean {
    return g.requests > this.o.probeMaxRequests || g.echoRequests >= 2 || g.tcpSegments >= this.o.tcpMinSegments;
  }

  /**
   * A TCP-only gap the IP ended before `tcpMinSegments`: its peer sent data, got no ACK within
   * `answerTimeoutMs` and did not retransmit, so the ACK was sent but is missing from the capture.
   */
  private noteMissingAck(g: GapState, t: number): void {
    if (g.tcpSegments === 0 || g.requests > 0 || g.echoRequests > 0 || t - g.firstRequestT <= this.w.answerTimeoutS) return;
    const sparse = this.acksNotCaptured;
    sparse.count++;
    if (g.firstTcpRef && sparse.examples.length < MAX_SPARSE_EXAMPLES) sparse.examples.push(g.firstTcpRef);
  }

  /**
   * Requests of `g` went unanswered again soon after the binding's previous gap was closed by a
   * bare ARP/NDP claim, with no other frame from the IP since: that claim answered nobody (forged
   * or unsolicited), so the previous gap goes on and absorbs `g`. True when it did (`b.gap` is
   * then the resumed gap).
   */
  private resumeAfterClaim(b: Binding, g: GapState, t: number): boolean {
    const prev = b.closedByClaim;
    if (prev === null || prev === g || prev.finding === null) return false;
    if (t - g.firstRequestT <= this.w.answerTimeoutS) return false;
    b.closedByClaim = null;
    if (g.firstRequestT - b.closedByClaimT > this.w.quietLeadS) return false;
    prev.requests += g.requests;
    prev.echoRequests += g.echoRequests;
    prev.tcpSegments += g.tcpSegments;
    prev.framesToStaleMac += g.framesToStaleMac;
    prev.lastArpRequestT = Math.max(prev.lastArpRequestT, g.lastArpRequestT);
    prev.lastRequestT = Math.max(prev.lastRequestT, g.lastRequestT);
    if (g.staleMac !== null) prev.staleMac = g.staleMac;
    for (const r of g.requesters) addRequester(prev, r);
    for (const f of g.frames) pushEvidence(prev.frames, f, this.o.maxEvidenceFrames);
    prev.finding!.answeredBy = null;
    b.gap = prev;
    return true;
  }

  private fill(b: Binding, g: GapState, end: Timestamp, ongoing: boolean): ReplyGapFinding {
    const f: ReplyGapFinding = g.finding ?? {
      kind: 'reply-gap', ip: b.ip, vlan: b.vlan, start: g.start.ts, end, durationMs: 0, frames: g.frames,
      staleMac: null, answeredBy: null, requesters: [], unansweredRequests: 0, framesToStaleMac: 0, ongoing,
    };
    f.end = end;
    f.durationMs = diffMs(f.start, end);
    f.staleMac = g.staleMac;
    f.requesters = [...g.requesters];
    f.unansweredRequests = g.requests;
    f.framesToStaleMac = g.framesToStaleMac;
    f.ongoing = ongoing;
    g.finding = f;
    return f;
  }

  private publish(b: Binding, g: GapState, end: Timestamp, t: number, ongoing: boolean): void {
    const f = this.fill(b, g, end, ongoing);
    this.episodes.publish(b, t);
    g.index = this.book.addFinding(f);
    this.incidents.link(b, g.index, t, true);
  }
}

/**
 * Counts an echo request: the first, then every one numbered differently from it. An outage
 * needs a second number (a pinger that asked again); one request, or one id/seq sent over and
 * over (an ICMP tunnel carrying data), is not someone checking that the IP answers.
 */
function countEcho(g: GapState, echo: number): void {
  if (g.echoRequests === 0) { g.firstEcho = echo; g.echoRequests = 1; } else if (echo !== g.firstEcho) g.echoRequests++;
}

/** The binding's first request still awaiting its answer, or null. */
function pending(b: Binding): FirstRequest | null {
  const p = b.firstRequest;
  return p !== null && p.active ? p : null;
}

function newGap(start: KeptSighting, t: number): GapState {
  return {
    start, firstRequestT: t, lastArpRequestT: -Infinity, requests: 0, framesToStaleMac: 0, staleMac: null,
    requesters: new Set(), frames: [], finding: null, index: -1, notifiedT: t,
    lastRequestT: t, echoRequests: 0, firstEcho: -1, tcpSegments: 0, firstTcpRef: null,
  };
}

function addRequester(g: GapState, requester: string): void {
  if (countsAsRequester(requester) && g.requesters.size < MAX_REQUESTERS_PER_GAP) g.requesters.add(requester);
}

/** An unspecified source (a DHCP client, a DAD probe) names no one the IP could answer. */
function countsAsRequester(requester: string): boolean {
  return requester !== '0.0.0.0' && requester !== '::';
}
