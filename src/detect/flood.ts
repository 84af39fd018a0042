/**
 * Claim floods: address claims (ARP replies, NAs) that rebind addresses to new MACs faster than a
 * real network ever moves them, or one proxy ARP MAC claiming new addresses as fast. Per VLAN,
 * MAC changes of existing bindings (and bindings a proxy ARP MAC creates) are counted in
 * one-second buckets; `minChanges` in one bucket starts a `claim-flood`. From then on every claim
 * on that VLAN that would change or create a binding is counted into the flood and skipped by the
 * binding logic, until a bucket holds fewer than `minChanges` such claims. A million random IP/MAC
 * pairs thus make one finding and one incident, at the cost of a counter per frame.
 */
import type { Mac } from '../net/mac.js';
import { diffMs } from '../time.js';
import type { Sighting } from './binding.js';
import { pushEvidence } from './evidence.js';
import type { IncidentBook, IncidentState } from './incidents.js';
import { FLOOD_DISTINCT_CAP, type ClaimFloodFinding } from './types.js';

/** MACs kept in a flood finding's `sampleMacs`. */
const SAMPLE_MACS = 8;
/** The incident listener hears of a running flood once per this many claims. */
const REFRESH_EVERY_CLAIMS = 1000;

interface VlanState {
  /** Capture time (s) the current one-second bucket started. */
  bucketT: number;
  /** Binding changes in the bucket (outside a flood). */
  changes: number;
  /** Claims counted into the flood in the bucket. */
  claims: number;
  flood: { finding: ClaimFloodFinding; incident: IncidentState; macs: Set<Mac>; ips: Set<string>; lastT: number } | null;
}

export class ClaimFloodTracker {
  private readonly vlans = new Map<number, VlanState>();

  /**
   * @param onStart called when a flood starts on `vlan` (the detector drops the changes it still
   *   holds for that VLAN: they are part of the flood).
   */
  constructor(
    private readonly book: IncidentBook,
    private readonly minChanges: number,
    private readonly maxFrames: number,
    private readonly onStart: (vlan: number | null) => void,
  ) {}

  /**
   * A claim of `ip` by `mac` that would change a binding (`changes`) or create one. True when the
   * VLAN is flooding: the claim was counted and the caller must not process it further.
   */
  claim(vlan: number | null, ip: string, mac: Mac, changes: boolean, s: Sighting): boolean {
    if (this.minChanges <= 0) return false;
    const key = vlan ?? -1;
    let v = this.vlans.get(key);
    if (v === undefined) {
      v = { bucketT: s.t, changes: 0, claims: 0, flood: null };
      this.vlans.set(key, v);
    }
    if (s.t - v.bucketT >= 1) {
      // A flood ends with a bucket below the threshold (or a whole bucket without claims).
      if (v.flood && (v.claims < this.minChanges || s.t - v.bucketT >= 2)) this.end(v);
      v.bucketT = s.t;
      v.changes = 0;
      v.claims = 0;
    }
    if (v.flood === null) {
      if (!changes || ++v.changes < this.minChanges) return false;
      this.start(v, vlan, ip, s);
    }
    this.count(v, ip, mac, s);
    return true;
  }

  private start(v: VlanState, vlan: number | null, ip: string, s: Sighting): void {
    const finding: ClaimFloodFinding = {
      kind: 'claim-flood', ip: '*', vlan, start: s.ts, end: s.ts, durationMs: 0, frames: [],
      claims: v.changes - 1, distinctMacs: 0, distinctIps: 0, peakRate: 0, sampleMacs: [],
    };
    v.claims = v.changes - 1;
    this.onStart(vlan);
    const incident = this.book.open([this.book.addFinding(finding)], s.t);
    v.flood = { finding, incident, macs: new Set(), ips: new Set([ip]), lastT: s.t };
  }

  private count(v: VlanState, ip: string, mac: Mac, s: Sighting): void {
    const flood = v.flood!;
    const f = flood.finding;
    f.claims++;
    v.claims++;
    if (v.claims > f.peakRate) f.peakRate = v.claims;
    if (flood.macs.size < FLOOD_DISTINCT_CAP && !flood.macs.has(mac)) {
      flood.macs.add(mac);
      if (f.sampleMacs.length < SAMPLE_MACS) f.sampleMacs.push(mac);
    }
    if (flood.ips.size < FLOOD_DISTINCT_CAP) flood.ips.add(ip);
    f.distinctMacs = flood.macs.size;
    f.distinctIps = flood.ips.size;
    f.end = s.ts;
    f.durationMs = diffMs(f.start, s.ts);
    pushEvidence(f.frames, s.ref, this.maxFrames);
    flood.lastT = s.t;
    if (f.claims % REFRESH_EVERY_CLAIMS === 0) this.book.refresh(flood.incident, s.t);
  }

  private end(v: VlanState): void {
    const flood = v.flood!;
    this.book.refresh(flood.incident, flood.lastT);
    v.flood = null;
  }

  /** Closes the floods still running (their findings keep the last claim as end). */
  finish(): void {
    for (const v of this.vlans.values()) if (v.flood) this.end(v);
  }
}
