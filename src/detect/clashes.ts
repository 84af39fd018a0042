/**
 * Address clashes: two stations answering for one IP. Claims of a binding are kept as runs of one
 * MAC (the last four); claims alternating A, B, A within `clashWindowMs`, or two stations answering
 * one request twice within the flip window, are an `ip-clash`, not moves. A claim by another MAC
 * of an address someone just probed for (RFC 5227 ARP probe, RFC 4862 DAD) is a clash too.
 * The same MACs clashing over several addresses are one `arp-flux` incident (src/detect/flux.ts).
 */
import type { Mac } from '../net/mac.js';
import { diffMs, type Timestamp } from '../time.js';
import type { Binding, FrameMark } from './binding.js';
import type { BindingIncidents } from './binding-incidents.js';
import { isFhrpMac } from './classify.js';
import { pushCapped, pushEvidence } from './evidence.js';
import type { FluxGroups } from './flux.js';
import type { IncidentBook } from './incidents.js';
import { LruMap } from './lru.js';
import type { DetectOptions, DetectWindows } from './options.js';
import type { FrameRef, IpClashFinding } from './types.js';

/** An address probe: who asked whether the address is free, and when (capture time, s). */
interface Probe { mac: Mac; t: number; ts: Timestamp; ref: FrameRef }

/** Claim runs kept per binding. */
const MAX_RUNS = 4;

export class ClashTracker {
  /** `ipKey(vlan, ip)` -> the latest probe for it. */
  private readonly probes: LruMap<string, Probe>;

  constructor(
    private readonly o: DetectOptions, private readonly w: DetectWindows, private readonly book: IncidentBook,
    private readonly incidents: BindingIncidents, private readonly flux: FluxGroups,
  ) {
    this.probes = new LruMap(o.maxRequesters);
  }

  /** Probes remembered. */
  get probeCount(): number {
    return this.probes.size;
  }

  /** `mac` probed whether the address keyed `key` (`ipKey(vlan, ip)`) is free. */
  probe(key: string, mac: Mac, s: FrameMark): void {
    this.probes.set(key, { mac, t: s.t, ts: s.ts, ref: s.ref });
  }

  /** Forgets probes older than `probeWindowMs` at capture time `t` (s). */
  sweep(t: number): void {
    this.probes.sweep((p) => t - p.t > this.w.probeWindowS);
  }

  /** A claim of `b.ip` by `mac`: another MAC than the one that probed for it is an address conflict. */
  probeAnswer(b: Binding, mac: Mac, s: FrameMark): void {
    const key = b.key;
    const p = this.probes.peek(key);
    if (!p) return;
    this.probes.delete(key);
    if (p.mac === mac || s.t - p.t > this.w.probeWindowS || isFhrpMac(mac)) return;
    const finding: IpClashFinding = {
      kind: 'ip-clash', ip: b.ip, vlan: b.vlan, start: p.ts, end: s.ts, durationMs: diffMs(p.ts, s.ts),
      frames: [p.ref, s.ref], macs: [mac, p.mac], probeConflict: true,
    };
    this.incidents.link(b, this.book.addFinding(finding), s.t, true);
  }

  /** Records a claim of `b.ip` by `mac` into the binding's runs (the last {@link MAX_RUNS} are kept). */
  noteRun(b: Binding, mac: Mac, s: FrameMark): void {
    const last = b.runs[b.runs.length - 1];
    if (last && last.mac === mac) { last.lastT = s.t; last.lastTs = s.ts; last.ref = s.ref; return; }
    const run = { mac, firstT: s.t, lastT: s.t, lastTs: s.ts, ref: s.ref };
    // A one-element literal: pushing onto [] would reserve 17 slots for every binding ever made.
    if (last === undefined) { b.runs = [run]; return; }
    b.runs.push(run);
    if (b.runs.length > MAX_RUNS) b.runs.shift();
  }

  /**
   * The claim just noted (a MAC other than `b.mac`, at capture time `t`, s) makes the binding's
   * claims a clash: A, B, A runs, a repeated concurrent answer, or the binding clashed within the
   * flip window already.
   */
  isClash(b: Binding, t: number): boolean {
    return this.interleaved(b) || this.repeatedConcurrent(b, t) || (b.clash !== null && t - b.clash.lastT <= this.w.flipWindowS);
  }

  /** A, B, A claim runs with A's two runs within the clash window: both stations are up. */
  private interleaved(b: Binding): boolean {
    const n = b.runs.length;
    if (n < 3) return false;
    const a2 = b.runs[n - 1]!;
    const a1 = b.runs[n - 3]!;
    return a1.mac === a2.mac && a2.firstT - a1.lastT <= this.w.clashWindowS;
  }

  /**
   * The new claim came within concurrentClaimMs of the holder's last claim (two answers to one
   * request), and that already happened once within the flip window: ARP flux or a duplicate
   * address answering on every request, however rarely requests come. Notes the time.
   */
  private repeatedConcurrent(b: Binding, t: number): boolean {
    const holder = b.runs[b.runs.length - 2];
    if (!holder || holder.mac !== b.mac || t - holder.lastT > this.w.concurrentClaimS) return false;
    const repeated = t - b.lastConcurrentT <= this.w.flipWindowS;
    b.lastConcurrentT = t;
    return repeated;
  }

  /** `mac` clashes with `b.mac` over `b.ip` at frame `s`: a new `ip-clash` finding, or the ongoing one grows. */
  clash(b: Binding, mac: Mac, s: FrameMark): void {
    const o = this.o;
    // The alternations were not moves: drop the unpublished change they started.
    if (b.episode && b.episode.index < 0) b.episode = null;
    const c = b.clash;
    if (c && s.t - c.lastT <= this.w.flipWindowS) {
      if (!c.finding.macs.includes(mac)) pushCapped(c.finding.macs, mac, o.maxEvidenceFrames);
      c.finding.end = s.ts;
      c.finding.durationMs = diffMs(c.finding.start, s.ts);
      pushEvidence(c.finding.frames, s.ref, o.maxEvidenceFrames);
      c.lastT = s.t;
      if (b.incident) this.book.refresh(b.incident, s.t);
      return;
    }
    const n = b.runs.length;
    const first = b.runs[n - 3]!;
    const start = first.lastTs;
    const frames: FrameRef[] = [];
    for (const r of b.runs.slice(n - 3)) pushEvidence(frames, r.ref, o.maxEvidenceFrames);
    const finding: IpClashFinding = {
      kind: 'ip-clash', ip: b.ip, vlan: b.vlan, start, end: s.ts, durationMs: diffMs(start, s.ts), frames,
      macs: [b.mac, mac].filter((m, i, all) => all.indexOf(m) === i), probeConflict: false,
    };
    b.clash = { finding, lastT: s.t };
    const index = this.book.addFinding(finding);
    const open = b.incident;
    const sameIpOpen = open !== null && s.t - open.lastT <= this.w.flipWindowS;
    const host = this.flux.incidentOf(b.vlan, finding.macs, s.t);
    if (host !== null && host !== open && index >= 0) {
      // The same MACs clash over another address: one multi-homed host (ARP flux), one incident;
      // what this address had open (the first answer taken for a MAC change) joins it.
      if (open !== null && sameIpOpen) this.book.merge(host, open, s.t);
      b.incident = host;
      this.book.attach(host, index, s.t);
    } else {
      this.incidents.link(b, index, s.t, true);
    }
    if (b.incident) this.flux.remember(b.vlan, finding.macs, b.incident, s.t);
  }
}
