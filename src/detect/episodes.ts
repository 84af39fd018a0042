/**
 * MAC change episodes. A change of a binding's MAC is held for `clashWindowMs` (it may turn out to
 * be the first half of a clash) and then published as a `mac-change` finding; further changes
 * within `flipWindowMs` fold into it (A->B->A is one flip). A silent change while the old MAC was
 * active opens an incident; an announced one, or one involving an FHRP or proxy ARP MAC, is only
 * recorded.
 */
import type { Mac } from '../net/mac.js';
import { diffMs } from '../time.js';
import type { Binding, Episode, FrameMark } from './binding.js';
import type { BindingIncidents } from './binding-incidents.js';
import { pushCapped, pushEvidence } from './evidence.js';
import type { IncidentBook } from './incidents.js';
import type { DetectOptions, DetectWindows } from './options.js';
import type { BindingSource, MacChangeStep } from './types.js';

/** What a change of a binding's MAC is, as {@link ChangeEpisodes.change} reads it. */
export interface MacChange {
  /** The MAC now claiming the address. */
  mac: Mac;
  source: BindingSource;
  /** The claim announces the address (gratuitous ARP, unsolicited NA with override). */
  announced: boolean;
  /** An FHRP or proxy ARP MAC is involved: recorded, never an incident on its own. */
  quiet: boolean;
}

export class ChangeEpisodes {
  /** Episodes held back until their `dueT`, oldest first (from `head` on). */
  private readonly held: { b: Binding; ep: Episode }[] = [];
  private head = 0;

  constructor(
    private readonly o: DetectOptions, private readonly w: DetectWindows, private readonly book: IncidentBook,
    private readonly incidents: BindingIncidents,
  ) {}

  /** `b.mac` changes to `c.mac` at frame `s` (the caller sets `b.mac` afterwards). */
  change(b: Binding, c: MacChange, s: FrameMark): void {
    const { mac, source, announced, quiet } = c;
    const from = b.mac;
    const lastOld = b.lastFromCurrentMac ?? b.lastFrom;
    const step: MacChangeStep = {
      fromMac: from, toMac: mac, lastOld: lastOld.ts, firstNew: s.ts, learnedBy: source, announced,
      frames: [lastOld.ref, s.ref],
    };
    const o = this.o;
    const ep = b.episode;
    if (ep && s.t - ep.lastChangeT <= this.w.flipWindowS) {
      const f = ep.finding;
      // Capped like evidence (first maxEvidenceFrames - 1 changes and the latest): a bridge that
      // flips all day must not grow one finding without bound.
      pushCapped(f.sequence, mac, o.maxEvidenceFrames);
      if (f.steps) pushCapped(f.steps, step, o.maxEvidenceFrames);
      f.end = s.ts;
      f.durationMs = diffMs(f.start, f.end);
      f.announced = f.announced && announced;
      f.learnedBy = source;
      pushEvidence(f.frames, lastOld.ref, o.maxEvidenceFrames);
      pushEvidence(f.frames, s.ref, o.maxEvidenceFrames);
      ep.lastChangeT = s.t;
      ep.previousMac = from;
      ep.quiet = ep.quiet || quiet;
      if (ep.index < 0) return;
      const silentWhileActive = !announced && !ep.quiet && s.t - lastOld.t <= this.w.reuseQuietS;
      this.incidents.link(b, ep.index, s.t, silentWhileActive);
      return;
    }
    this.publish(b, s.t);
    const next: Episode = {
      finding: {
        kind: 'mac-change', ip: b.ip, vlan: b.vlan, start: lastOld.ts, end: s.ts,
        durationMs: diffMs(lastOld.ts, s.ts), frames: [lastOld.ref, s.ref], fromMac: from, toMac: mac,
        announced, oldMacStillAnswers: false, newMacLower: mac < from, learnedBy: source,
        sequence: [from, mac], steps: [step],
      },
      lastChangeT: s.t,
      dueT: s.t + this.w.clashWindowS,
      index: -1,
      previousMac: from,
      quiet,
      oldActive: s.t - lastOld.t <= this.w.reuseQuietS,
    };
    b.episode = next;
    this.held.push({ b, ep: next });
  }

  /**
   * Traffic (not a claim) from `b.ip` carrying `mac`, not the binding's MAC: when it is the MAC the
   * latest change replaced, the old station still answers (`oldMacStillAnswers`). `t`: capture time, s.
   */
  trafficFromOtherMac(b: Binding, mac: Mac, t: number): void {
    const ep = b.episode;
    if (ep === null || mac !== ep.previousMac || ep.finding.oldMacStillAnswers) return;
    ep.finding.oldMacStillAnswers = true;
    if (b.incident && ep.index >= 0) this.book.refresh(b.incident, t);
  }

  /** A claim flood started on `vlan`: the changes still held there were part of it, not moves. */
  dropHeld(vlan: number | null): void {
    for (let i = this.head; i < this.held.length; i++) {
      const { b, ep } = this.held[i]!;
      if (b.vlan === vlan && b.episode === ep && ep.index < 0) b.episode = null;
    }
  }

  /**
   * Publishes the held episodes due by capture time `t` (s), each at `min(t, lastT)` (`lastT`: the
   * capture's latest frame so far).
   */
  publishDue(t: number, lastT: number): void {
    while (this.head < this.held.length) {
      const item = this.held[this.head]!;
      if (item.ep.dueT > t) break;
      this.head++;
      this.publishEpisode(item.b, item.ep, Math.min(t, lastT));
    }
    if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Publishes the binding's change still held back, if any, at capture time `t` (s). */
  publish(b: Binding, t: number): void {
    this.publishEpisode(b, b.episode, t);
  }

  private publishEpisode(b: Binding, ep: Episode | null, t: number): void {
    if (!ep || ep.index >= 0 || b.episode !== ep) return;
    ep.index = this.book.addFinding(ep.finding);
    const wantsIncident = !ep.quiet && !ep.finding.announced && ep.oldActive;
    this.incidents.link(b, ep.index, t, wantsIncident);
  }
}
