/**
 * ARP spoofing as its own finding (`arp-spoof`, docs/schema.md). Two rules a network engineer
 * would write down:
 *
 * - **Forged sender**: an ARP frame whose sender MAC differs from its Ethernet source (Zeek's
 *   `weird-arp-sha`, Snort's arp_spoof "Ethernet/ARP mismatch"). Such a frame is not a claim at
 *   all; all of them on one VLAN, while they keep coming within `flipWindowMs`, make one finding
 *   (a DHCP-starvation or spoofing tool forging a hundred MACs is one incident, not a hundred).
 * - **Impersonation**: one MAC claims an address another station holds (the owner used it within
 *   `reuseQuietMs` and did not answer the same request within `concurrentClaimMs`: that would be
 *   ARP flux or a duplicate), and that MAC also claims an address of its own or of a second
 *   station. A two-way man in the middle (gateway and victim both claimed by the attacker) and a
 *   host claiming its own IP and the gateway's are both this; a bridge adopting a port's MAC takes
 *   the addresses of one station only and has none of its own, so it is not. The owner is also
 *   known when the claiming MAC itself addresses the address at another MAC (its forged reply to
 *   the gateway names the gateway's real MAC as target): the gateway may never claim anything.
 *   A suspect that announces a new address of its own has renumbered: what it took before no
 *   longer counts (a duplicate address fixed by giving the guest a new one is not a spoof).
 *
 * - **Claimed by repetition**: unsolicited unicast replies for one address to one neighbour,
 *   repeated faster than any ARP cache refresh (src/detect/unsolicited.ts), by a MAC that also
 *   claims an address of its own: the poisoner's rhythm, also when the real owner is never seen.
 *
 * State is touched only on forged frames, contested claims and ARP replies from a MAC already
 * suspected; the steady state costs one map size check per ARP reply.
 */
import type { Mac } from '../net/mac.js';
import { diffMs } from '../time.js';
import type { KeptSighting, Sighting } from './binding.js';
import { pushEvidence } from './evidence.js';
import type { IncidentBook, IncidentState } from './incidents.js';
import { LruMap } from './lru.js';
import { macKey } from './keys.js';
import type { ArpSpoofFinding } from './types.js';
import type { DetectOptions, DetectWindows } from './options.js';

/** Addresses and MACs listed per finding at most. */
const MAX_LISTED = 32;
/** Owner of an address a suspect resolved itself: another station, MAC not seen yet. */
const UNKNOWN_OWNER = -1;
/** Distinct forged sender MACs counted exactly; beyond it the count stops. */
const MAX_COUNTED_MACS = 4096;

interface Open { finding: ArpSpoofFinding; incident: IncidentState | null; lastT: number; senders: Set<Mac> }

/** What one suspected MAC claimed. */
interface Suspect {
  vlan: number | null;
  mac: Mac;
  /** Address -> the MAC that really holds it. */
  taken: Map<string, Mac>;
  /** Taken addresses set aside when it announced a new address of its own; claimed again, they count again. */
  dormant: Map<string, Mac>;
  /** Addresses it claimed that nobody else held. */
  own: Set<string>;
  open: Open | null;
}

/** A contested claim waiting `concurrentClaimMs` to see whether the owner answered too. */
interface PendingContest {
  vlan: number | null; mac: Mac; ip: string; owner: Mac; s: KeptSighting; dueT: number;
  /** True once the owner claimed the address within `concurrentClaimMs` of it. */
  concurrent: boolean;
}

export class SpoofTracker {
  private readonly forged = new Map<number, Open>();
  private readonly suspects: LruMap<string | number, Suspect>;
  private readonly pending: PendingContest[] = [];
  private pendingHead = 0;

  constructor(private readonly book: IncidentBook, private readonly o: DetectOptions, private readonly w: DetectWindows) {
    this.suspects = new LruMap(o.maxRequesters);
  }

  /** An ARP frame from Ethernet source `ethSrc` carrying sender `senderMac`/`senderIp`. */
  senderMismatch(vlan: number | null, ethSrc: Mac, senderMac: Mac, senderIp: string, s: Sighting): void {
    const key = vlan ?? -1;
    let open = this.forged.get(key);
    if (open === undefined || s.t - open.lastT > this.w.flipWindowS) {
      open = { finding: this.newFinding('forged-sender', vlan, senderIp, s), incident: null, lastT: s.t, senders: new Set() };
      this.forged.set(key, open);
    }
    const f = open.finding;
    if (!f.spooferMacs.includes(ethSrc) && f.spooferMacs.length < MAX_LISTED) f.spooferMacs.push(ethSrc);
    if (open.senders.size < MAX_COUNTED_MACS && !open.senders.has(senderMac)) {
      open.senders.add(senderMac);
      if (f.forgedMacs.length < MAX_LISTED) f.forgedMacs.push(senderMac);
    }
    f.distinctForgedMacs = open.senders.size;
    if (!f.claimedIps.includes(senderIp) && f.claimedIps.length < MAX_LISTED && senderIp !== '0.0.0.0') f.claimedIps.push(senderIp);
    this.grow(open, s);
  }

  /**
   * `mac` claimed `ip` while `owner` held it (used within `reuseQuietMs`). Decided once
   * `concurrentClaimMs` passed (see {@link due}).
   */
  contested(vlan: number | null, mac: Mac, ip: string, owner: Mac, s: Sighting): void {
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const p = this.pending[i]!;
      // The owner answering the same request right after: flux or a duplicate, not a spoof.
      if (p.ip === ip && p.vlan === vlan && p.mac === owner && p.owner === mac) p.concurrent = true;
    }
    this.pending.push({ vlan, mac, ip, owner, s: s.keep(), dueT: s.t + this.w.concurrentClaimS, concurrent: false });
  }

  /**
   * `mac` announced `ip` (gratuitous ARP, unsolicited NA). When `ip` is not one it took from
   * another station, the station renumbered (a guest whose duplicate address was fixed announces
   * its new one): what it claimed of others before is set aside, not an ongoing impersonation. A
   * poisoner keeps re-claiming (its poison lapses with the victims' ARP caches otherwise), and a
   * claim of a set-aside address makes it count again.
   */
  announced(vlan: number | null, mac: Mac, ip: string): void {
    if (this.suspects.size === 0) return;
    const sus = this.suspects.peek(macKey(vlan, mac));
    if (sus === undefined || sus.taken.has(ip)) return;
    for (const [taken, owner] of sus.taken) sus.dormant.set(taken, owner);
    sus.taken.clear();
  }

  /** `mac` claimed `ip` and held it (nobody else did). */
  ownClaim(vlan: number | null, mac: Mac, ip: string, s: Sighting): void {
    if (this.suspects.size === 0) return;
    const sus = this.suspects.peek(macKey(vlan, mac));
    if (sus === undefined || sus.taken.has(ip) || sus.own.has(ip)) return;
    const owner = sus.dormant.get(ip);
    if (owner !== undefined) {
      sus.dormant.delete(ip);
      sus.taken.set(ip, owner);
    } else if (sus.own.size < MAX_LISTED) {
      sus.own.add(ip);
    } else {
      return;
    }
    this.judge(sus, s);
  }

  /**
   * An ARP frame from `mac` that addresses `targetIp` at `targetMac` (a reply's target): if `mac`
   * itself claims `targetIp`, it knows the real owner and impersonates it.
   */
  addressed(vlan: number | null, mac: Mac, targetIp: string, targetMac: Mac, s: Sighting): void {
    if (this.suspects.size === 0) return;
    const sus = this.suspects.peek(macKey(vlan, mac));
    if (sus === undefined || !sus.own.has(targetIp)) return;
    sus.own.delete(targetIp);
    sus.taken.set(targetIp, targetMac);
    this.judge(sus, s);
  }

  /**
   * `mac` asks who has `ip`, an address it claimed itself and still holds: a station never
   * resolves its own address, so it knows another station holds `ip` and impersonates it (an
   * ARP poisoner resolving the real gateway to forward what it intercepts). `ownIps`: the IPv4
   * addresses `mac` claimed.
   */
  resolvesOwnClaim(vlan: number | null, mac: Mac, ip: string, ownIps: Iterable<string>, s: Sighting, claim: Sighting | null): void {
    const key = macKey(vlan, mac);
    let sus = this.suspects.get(key);
    if (sus === undefined) {
      sus = { vlan, mac, taken: new Map(), dormant: new Map(), own: new Set(), open: null };
      this.suspects.set(key, sus);
    }
    if (!sus.taken.has(ip) && sus.taken.size < MAX_LISTED) sus.taken.set(ip, UNKNOWN_OWNER);
    sus.dormant.delete(ip);
    sus.own.delete(ip);
    for (const own of ownIps) if (own !== ip && !sus.taken.has(own) && sus.own.size < MAX_LISTED) sus.own.add(own);
    this.judge(sus, s, true, claim);
  }

  /**
   * `mac` keeps telling a neighbour, unasked, that `ip` is at its MAC, faster than any ARP cache
   * refreshes (src/detect/unsolicited.ts): it claims `ip` the way a poisoner must. With another
   * address of its own (`ownIps`: the IPv4 addresses `mac` claimed), that is impersonation.
   */
  claimedByRepetition(vlan: number | null, mac: Mac, ip: string, ownIps: Iterable<string>, s: Sighting): void {
    const key = macKey(vlan, mac);
    let sus = this.suspects.get(key);
    if (sus === undefined) {
      sus = { vlan, mac, taken: new Map(), dormant: new Map(), own: new Set(), open: null };
      this.suspects.set(key, sus);
    }
    if (!sus.taken.has(ip)) {
      if (sus.taken.size >= MAX_LISTED) return;
      sus.taken.set(ip, sus.dormant.get(ip) ?? UNKNOWN_OWNER);
    }
    sus.dormant.delete(ip);
    sus.own.delete(ip);
    for (const own of ownIps) if (own !== ip && !sus.taken.has(own) && sus.own.size < MAX_LISTED) sus.own.add(own);
    this.judge(sus, s);
  }

  /** True when a claim within the last `concurrentClaimMs` awaits its decision (cheap check per frame). */
  hasPending(): boolean {
    return this.pendingHead < this.pending.length;
  }

  /**
   * Decides contests older than `concurrentClaimMs` at capture time `t`. `ownIps` lists the IPv4
   * addresses a MAC claimed (the detector's per-MAC record).
   */
  due(t: number, ownIps: (vlan: number | null, mac: Mac) => Iterable<string>): void {
    while (this.pendingHead < this.pending.length) {
      const p = this.pending[this.pendingHead]!;
      if (p.dueT > t) break;
      this.pendingHead++;
      if (p.concurrent) continue;
      const key = macKey(p.vlan, p.mac);
      let sus = this.suspects.get(key);
      if (sus === undefined) {
        sus = { vlan: p.vlan, mac: p.mac, taken: new Map(), dormant: new Map(), own: new Set(), open: null };
        this.suspects.set(key, sus);
      }
      if (sus.taken.size < MAX_LISTED) sus.taken.set(p.ip, p.owner);
      sus.dormant.delete(p.ip);
      sus.own.delete(p.ip);
      for (const ip of ownIps(p.vlan, p.mac)) if (!sus.taken.has(ip) && sus.own.size < MAX_LISTED) sus.own.add(ip);
      this.judge(sus, p.s);
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
  }

  /**
   * Reports the suspect once it claims addresses of two stations, or of one and its own, or
   * resolved an address it claims (`selfResolved`).
   */
  private judge(sus: Suspect, s: Sighting, selfResolved = false, since: Sighting | null = null): void {
    const owners = new Set(sus.taken.values());
    owners.delete(UNKNOWN_OWNER);
    if (sus.taken.size === 0 || (!selfResolved && owners.size < 2 && sus.own.size === 0)) return;
    let open = sus.open;
    if (open === null || s.t - open.lastT > this.w.flipWindowS) {
      const first = sus.taken.keys().next().value as string;
      // The finding starts at the claim that made the case (`since`), when it came first.
      const finding = this.newFinding('impersonation', sus.vlan, first, since !== null && since.t < s.t ? since : s);
      if (since !== null && since.t < s.t) pushEvidence(finding.frames, since.ref, this.o.maxEvidenceFrames);
      open = sus.open = { finding, incident: null, lastT: s.t, senders: new Set() };
      open.finding.spooferMacs.push(sus.mac);
    }
    const f = open.finding;
    f.claimedIps = [...sus.taken.keys()].slice(0, MAX_LISTED);
    f.ownerMacs = [...owners].slice(0, MAX_LISTED);
    f.ownIps = [...sus.own].slice(0, MAX_LISTED);
    this.grow(open, s);
  }

  private newFinding(reason: ArpSpoofFinding['reason'], vlan: number | null, ip: string, s: Sighting): ArpSpoofFinding {
    return {
      kind: 'arp-spoof', reason, ip, vlan, start: s.ts, end: s.ts, durationMs: 0, frames: [],
      spooferMacs: [], claimedIps: [], ownerMacs: [], ownIps: [], forgedMacs: [], distinctForgedMacs: 0, frameCount: 0,
    };
  }

  private grow(open: Open, s: Sighting): void {
    const f = open.finding;
    f.frameCount++;
    f.end = s.ts;
    f.durationMs = diffMs(f.start, s.ts);
    pushEvidence(f.frames, s.ref, this.o.maxEvidenceFrames);
    open.lastT = s.t;
    if (open.incident === null) {
      open.incident = this.book.open([this.book.addFinding(f)], s.t);
    } else if (f.frameCount % 100 === 1 || f.frameCount < 100) {
      this.book.refresh(open.incident, s.t);
    }
  }
}
