/**
 * ARP/NS storms: one requester asking for one IP over and over with short gaps (Wireshark's
 * optional storm check: more than 30 requests with gaps under 100 ms). Bursts are kept per
 * (VLAN, requester, target) in a capped LRU.
 *
 * One record per pair, reused: a request after the gap restarts the pair's burst in place, and a
 * pair is forgotten only after {@link FORGET_IDLE_S} of silence. Replacing the record on every
 * request and forgetting pairs 100 ms after their last request (at the next sweep) made every
 * ARP request of a long capture old-generation garbage: entries deleted from a Map stay
 * referenced from its table until the table is rebuilt, so the young-generation collector kept
 * the deleted bursts alive with their frames and promoted them, and the heap grew by tens of
 * MiB between full collections (issue 16).
 */
import type { FrameRef, StormFinding } from './types.js';
import type { Timestamp } from '../time.js';
import { diffMs } from '../time.js';
import { PairLru } from './pair-lru.js';
import { ipKey } from './keys.js';
import type { IncidentBook, IncidentState } from './incidents.js';
import { pushEvidence } from './evidence.js';

/**
 * Silence (s) after which a requester/target pair is forgotten. A host resolves each neighbour
 * it talks to again at least every minute or so (Linux: entries go stale after 15-45 s of
 * reachable time), so the pairs of a quiet network keep their record; only pairs that stopped
 * talking are dropped, and the LRU cap still bounds a scan of many targets.
 */
export const FORGET_IDLE_S = 60;

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
  /** Bursts by (target key: {@link ipKey} of VLAN and target, requester), capped. */
  readonly bursts: PairLru<string, string, Burst>;

  constructor(
    private readonly book: IncidentBook,
    private readonly gapS: number,
    private readonly minRequests: number,
    private readonly maxFrames: number,
    cap: number,
  ) {
    this.bursts = new PairLru(cap);
  }

  /** Records one ARP/NS request from `requester` for `ip` at capture time `t` (s). */
  request(vlan: number | null, requester: string, ip: string, t: number, ts: Timestamp, ref: FrameRef): void {
    const target = ipKey(vlan, ip);
    let b = this.bursts.get(target, requester);
    if (b !== undefined && b.finding === null && t - b.lastT > this.gapS) {
      // The pair's last burst ended without becoming a storm: start the next one in its record.
      restart(b, ts, t, ref);
    } else if (b === undefined || t - b.lastT > this.gapS) {
      // New pair, or the last burst was a storm (its finding keeps the record's frames).
      b = { count: 0, start: ts, lastT: t, bucketT: t, bucketCount: 0, peak: 0, frames: [], finding: null, incident: null };
      this.bursts.set(target, requester, b);
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
   * At capture time `t` (s): storms that ended (no request for `gapS`) give their incident a last
   * refresh and are dropped; other pairs are forgotten after {@link FORGET_IDLE_S} of silence.
   */
  expire(t: number): void {
    this.bursts.sweep((b) => {
      if (b.incident !== null) {
        if (t - b.lastT <= this.gapS) return false;
        this.book.refresh(b.incident, b.lastT);
        return true;
      }
      if (t - b.lastT <= FORGET_IDLE_S) return false;
      // The Map's table may still reference the dropped record for a while: let it hold no frames.
      if (b.finding === null) b.frames.length = 0;
      return true;
    });
  }

  /** Final refresh so incidents carry the storms' last counts. */
  finish(): void {
    for (const b of this.bursts.values()) if (b.incident) this.book.refresh(b.incident, b.lastT);
  }
}

/**
 * Starts a new burst with the request `ref` at capture time `t` in the record of one that ended
 * before becoming a storm. Its frame list is cut to that request's frame rather than emptied: V8
 * drops the storage of an array emptied by `length = 0`, and the next push allocated it again on
 * every request after a gap.
 */
function restart(b: Burst, ts: Timestamp, t: number, ref: FrameRef): void {
  b.count = 0;
  b.start = ts;
  b.lastT = t;
  b.bucketT = t;
  b.bucketCount = 0;
  b.peak = 0;
  b.frames.length = 1;
  b.frames[0] = ref;
}
