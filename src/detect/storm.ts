/**
 * ARP/NS storms: one requester asking for one IP over and over with short gaps (Wireshark's
 * optional storm check: more than 30 requests with gaps under 100 ms). Bursts are kept per
 * (VLAN, requester, target) in a capped LRU.
 */
import type { FrameRef, StormFinding } from './types.js';
import type { Timestamp } from '../time.js';
import { diffMs } from '../time.js';
import { LruMap } from './lru.js';
import type { IncidentBook, IncidentState } from './incidents.js';
import { pushEvidence } from './evidence.js';

interface Burst {
  count: number;
  start: Timestamp;
  lastT: number;
  bucketT: number;
  bucketCount: number;
  peak: number;
  frames: FrameRef[];
  finding: StormFinding | null;
  incident: IncidentState | null;
}

export class StormTracker {
  readonly bursts: LruMap<string, Burst>;

  constructor(
    private readonly book: IncidentBook,
    private readonly gapS: number,
    private readonly minRequests: number,
    private readonly maxFrames: number,
    cap: number,
  ) {
    this.bursts = new LruMap(cap);
  }

  /** Records one ARP/NS request from `requester` for `ip` at capture time `t` (s). */
  request(vlan: number | null, requester: string, ip: string, t: number, ts: Timestamp, ref: FrameRef): void {
    const key = `${vlan ?? ''}|${requester}|${ip}`;
    let b = this.bursts.get(key);
    if (!b || t - b.lastT > this.gapS) {
      b = { count: 0, start: ts, lastT: t, bucketT: t, bucketCount: 0, peak: 0, frames: [], finding: null, incident: null };
      this.bursts.set(key, b);
    }
    b.count++;
    b.lastT = t;
    if (t - b.bucketT >= 1) {
      b.bucketT = t;
      b.bucketCount = 0;
    }
    b.bucketCount++;
    b.peak = Math.max(b.peak, b.bucketCount);
    pushEvidence(b.frames, ref, this.maxFrames);
    if (b.count < this.minRequests) return;
    if (!b.finding) {
      b.finding = {
        kind: 'arp-storm', ip, vlan, start: b.start, end: ts, durationMs: diffMs(b.start, ts),
        frames: b.frames, requests: b.count, peakRate: b.peak,
      };
      b.incident = this.book.open([this.book.addFinding(b.finding)], t);
      return;
    }
    b.finding.end = ts;
    b.finding.durationMs = diffMs(b.start, ts);
    b.finding.requests = b.count;
    b.finding.peakRate = b.peak;
    // Refresh the incident at most once per 100 requests: a storm must not flood the listener.
    if (b.incident && b.count % 100 === 0) this.book.refresh(b.incident, t);
  }

  /**
   * Forgets bursts that ended (no request for `gapS` before `t`): the next request would start a
   * new one anyway. A burst that became a storm gives its incident a last refresh first.
   */
  expire(t: number): void {
    this.bursts.sweep((b) => {
      if (t - b.lastT <= this.gapS) return false;
      if (b.incident) this.book.refresh(b.incident, b.lastT);
      return true;
    });
  }

  /** Final refresh so incidents carry the storms' last counts. */
  finish(): void {
    for (const b of this.bursts.values()) if (b.incident) this.book.refresh(b.incident, b.lastT);
  }
}
