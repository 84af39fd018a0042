/**
 * Reply gaps: requests for an IP that go unanswered. A gap opens at the first request (ARP/NS,
 * echo, a TCP segment awaiting an ACK) after the IP's last frame, becomes a `reply-gap` finding
 * once the first request went unanswered for `answerTimeoutMs` and the gap reached
 * `gapThresholdMs` (published at once, marked ongoing, so live capture can alert), and ends at the
 * IP's first answer or at the end of input.
 */
import type { Mac } from '../net/mac.js';
import { diffMs, type Timestamp } from '../time.js';
import type { ReplyGapFinding } from './types.js';
import type { DetectOptions } from './options.js';
import type { IncidentBook } from './incidents.js';
import type { Binding, GapState, Sighting } from './binding.js';
import { LruMap } from './lru.js';
import { pushEvidence } from './evidence.js';
import { isUnicastDst } from './classify.js';

/** What a frame toward an IP is: ARP request, NS, a request expecting an answer, other traffic. */
export type RequestKind = 'arp' | 'ns' | 'ip-request' | 'ip';

/** How gaps reach the rest of the detector. */
export interface GapHooks {
  /** Publishes the binding's change still held back (so it groups with this outage). */
  publishPendingChange(b: Binding, t: number): void;
  /** Adds a finding to the binding's incident, opening one if needed. */
  linkToIncident(b: Binding, index: number, t: number, wanted: boolean): void;
}

/** Requesters remembered per gap. */
const MAX_REQUESTERS_PER_GAP = 32;

export class ReplyGaps {
  /** ARP/NS requests for IPs never seen yet (a starting guest, a port not yet forwarding). */
  readonly unresolved: LruMap<string, GapState>;

  constructor(private readonly o: DetectOptions, private readonly book: IncidentBook, private readonly hooks: GapHooks) {
    this.unresolved = new LruMap(o.maxRequesters);
  }

  /** A frame toward `b.ip` from `requester`, sent to `dstMac`. */
  request(b: Binding, requester: string, dstMac: Mac | null, kind: RequestKind, s: Sighting): void {
    // Vantage point: without having seen the IP answer anyone, silence proves nothing.
    if (!b.repliesVisible) return;
    let g = b.gap;
    if (!g) {
      if (kind === 'ip') return;
      const lead = b.lastFrom && (s.t - b.lastFrom.t) * 1000 <= this.o.quietLeadMs ? b.lastFrom : s;
      g = b.gap = newGap(lead, s.t);
    }
    if (kind === 'arp' || kind === 'ns') { g.requests++; g.lastArpRequestT = s.t; }
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
    if (!g || (s.t - g.lastArpRequestT) * 1000 > this.o.quietLeadMs) {
      g = newGap(s, s.t);
      this.unresolved.set(key, g);
    }
    g.requests++;
    g.lastArpRequestT = s.t;
    addRequester(g, requester);
    pushEvidence(g.frames, s.ref, this.o.maxEvidenceFrames);
  }

  /**
   * Forgets unresolved requests with no request for `quietLeadMs` before `t`: a first answer after
   * that would not close them (see {@link firstAnswer}), and a new request starts afresh.
   */
  expireUnresolved(t: number): void {
    this.unresolved.sweep((g) => (t - g.lastArpRequestT) * 1000 > this.o.quietLeadMs);
  }

  /** A new binding `b` (key `key`) just answered for the first time: close its unresolved requests. */
  firstAnswer(b: Binding, key: string, mac: Mac, s: Sighting): void {
    const pending = this.unresolved.peek(key);
    if (!pending) return;
    this.unresolved.delete(key);
    b.onLink = true;
    if ((s.t - pending.lastArpRequestT) * 1000 <= this.o.quietLeadMs) this.answered(b, pending, mac, s);
  }

  /** The IP answered (`mac`): the gap, if long enough, becomes a finding ending here. */
  answered(b: Binding, g: GapState, mac: Mac, s: Sighting): void {
    b.gap = null;
    if (!g.finding && !this.qualifies(b, g, s.t)) return;
    pushEvidence(g.frames, s.ref, this.o.maxEvidenceFrames);
    // The request just before the answer was the one answered.
    if ((s.t - g.lastArpRequestT) * 1000 <= this.o.answerTimeoutMs) g.requests = Math.max(0, g.requests - 1);
    const f = this.fill(b, g, s.ts, false);
    f.answeredBy = mac;
    if (g.index < 0) this.publish(b, g, s.ts, s.t, false);
    else if (b.incident) this.book.refresh(b.incident, s.t);
  }

  /** End of input with requests still unanswered: an ongoing gap up to the last frame seen. */
  atEnd(b: Binding, g: GapState, lastT: number, lastTs: Timestamp): void {
    b.gap = null;
    if (!g.finding && !this.qualifies(b, g, lastT)) return;
    if (g.index < 0) this.publish(b, g, lastTs, lastT, true);
    else {
      this.fill(b, g, lastTs, true);
      if (b.incident) this.book.refresh(b.incident, lastT);
    }
  }

  private qualifies(b: Binding, g: GapState, t: number): boolean {
    return b.onLink && (t - g.firstRequestT) * 1000 > this.o.answerTimeoutMs && (t - g.start.t) * 1000 >= this.o.gapThresholdMs;
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
    this.hooks.publishPendingChange(b, t);
    g.index = this.book.addFinding(f);
    this.hooks.linkToIncident(b, g.index, t, true);
  }
}

function newGap(start: Sighting, t: number): GapState {
  return {
    start, firstRequestT: t, lastArpRequestT: -Infinity, requests: 0, framesToStaleMac: 0, staleMac: null,
    requesters: new Set(), frames: [], finding: null, index: -1, notifiedT: t,
  };
}

function addRequester(g: GapState, requester: string): void {
  if (requester !== '0.0.0.0' && requester !== '::' && g.requesters.size < MAX_REQUESTERS_PER_GAP) g.requesters.add(requester);
}
