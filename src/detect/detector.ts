/**
 * The detection state machine. Consumes decoded events in time order (never buffers frames),
 * routes each frame to the rules it concerns and keeps, per (VLAN, IP), the binding to a MAC with
 * its history; the episode, gap or clash being measured on a binding belongs to its own module.
 * Findings are published as soon as they are known and incidents are announced through
 * `onIncident` (again on each update), so live capture can reuse the same object; `finish()`
 * closes what is still open at the end of the input.
 *
 * Rules, in short (docs/schema.md has the full text):
 * - Claims (ARP sender, NDP NS source / NA target) bind IP -> MAC; IP traffic only creates a
 *   binding (never changes one) because routed traffic carries the router's MAC.
 * - A change is bracketed by the last frame from the old MAC and the first claim from the new one.
 *   Changes within `flipWindowMs` fold into one `mac-change` finding (A->B->A is one flip)
 *   (src/detect/episodes.ts).
 * - Claims alternating A, B, A within `clashWindowMs` are an `ip-clash`, not moves (src/detect/clashes.ts).
 * - A `reply-gap` runs from the last frame from the IP to the first answer, when requests went
 *   unanswered for longer than `answerTimeoutMs` and the gap reaches `gapThresholdMs`. Only for
 *   IPs on this link (ARP/NDP seen for them) whose answers we have seen (vantage point), when
 *   someone kept depending on them (src/detect/gaps.ts).
 * - ARP frames whose sender MAC is not their Ethernet source, and MACs claiming other stations'
 *   addresses, are `arp-spoof` (src/detect/spoof.ts); forged frames bind nothing.
 * - Clashes of one MAC set over several addresses are one `arp-flux` incident (src/detect/flux.ts).
 */
import type { ArpEvent, DecodedEvent, IpEvent, NdpEvent } from '../decode/events.js';
import type { BindingSource, DetectedIncident, Finding } from './types.js';
import type { Timestamp } from '../time.js';
import type { Mac } from '../net/mac.js';
import { detectWindows, resolveDetectOptions, type DetectOptions, type DetectWindows } from './options.js';
import { BindingTable } from './binding-table.js';
import { ipv4Number } from '../net/ipv4.js';
import { ipKey } from './keys.js';
import { FrameDeduper } from './dedupe.js';
import { IncidentBook, type IncidentListener } from './incidents.js';
import { StormTracker } from './storm.js';
import { ClaimFloodTracker } from './flood.js';
import { classifyArp, ipAwaitsAnswer, isFhrpMac, isLinkLocal, isUnicastDst, naBinding } from './classify.js';
import { FrameMark, KeptSighting, type Binding } from './binding.js';
import { ReplyGaps, type AcksNotCaptured, type RequestKind } from './gaps.js';
import { SpoofTracker } from './spoof.js';
import { UnsolicitedReplies } from './unsolicited.js';
import { FluxGroups } from './flux.js';
import { BindingIncidents } from './binding-incidents.js';
import { ChangeEpisodes } from './episodes.js';
import { ClashTracker } from './clashes.js';
import { ClaimedAddresses } from './proxy-arp.js';

/** Sizes of the detector's bounded state (for tests and `--debug`). */
export interface DetectorState {
  bindings: number;
  trafficOnlyBindings: number;
  macRecords: number;
  bursts: number;
  probes: number;
  /** IPs requested but never seen answering yet. */
  unresolved: number;
  dedupeEntries: number;
  evictedBindings: number;
  duplicatesDropped: number;
  eventsSeen: number;
  /** Findings counted but not kept because `maxFindings` were already kept. */
  findingsDropped: number;
}

/** Capture seconds between sweeps of finished state (see Detector.sweep). */
const SWEEP_EVERY_S = 10;

/** How a frame from an IP relates to it. */
type FromKind = 'arp' | 'ndp' | 'ip';

/** A frame from an IP, as the binding rules read it (see Detector.observeFrom). */
interface FromFrame {
  vlan: number | null;
  ip: string;
  /** {@link ip} as an unsigned 32-bit number for IPv4, -1 for IPv6. */
  ipv4: number;
  /** The MAC the frame carries for the IP (ARP sender, NDP link-layer address, Ethernet source). */
  mac: Mac;
  kind: FromKind;
  /** It answers someone: an ARP reply, a solicited NA, unicast IP traffic. */
  answers: boolean;
  /** The IP it is sent to. */
  toIp: string;
  /** How the frame claims the binding (ARP/NDP); null when it is only activity of the IP. */
  source: BindingSource | null;
  /** The claim announces the address (gratuitous ARP, unsolicited NA with override). */
  announced: boolean;
}

export class Detector {
  readonly options: DetectOptions;
  /** The options' time windows in seconds. */
  private readonly w: DetectWindows;
  /** Called when an incident opens and whenever it changes. */
  onIncident?: IncidentListener;

  private readonly book: IncidentBook;
  /** Bindings with on-link evidence (ARP/NDP or link-local). */
  private readonly bindings: BindingTable;
  /** Bindings learned from IP traffic only (maybe behind a router); separate so they cannot evict the others. */
  private readonly trafficOnly: BindingTable;
  /** The IPv4 addresses each MAC claimed: proxy ARP detection, and a MAC's own addresses. */
  private readonly claimed: ClaimedAddresses;
  private readonly episodes: ChangeEpisodes;
  private readonly clashes: ClashTracker;
  private readonly gaps: ReplyGaps;
  private readonly storms: StormTracker;
  private readonly floods: ClaimFloodTracker;
  private readonly spoofs: SpoofTracker;
  private readonly unsolicited: UnsolicitedReplies;
  private readonly flux: FluxGroups;
  private readonly dedupe: FrameDeduper;
  /** The {@link FromFrame} of IP frames, filled in place (see onIp). */
  private readonly ipFrom: FromFrame = {
    vlan: null, ip: '', ipv4: -1, mac: 0, kind: 'ip', answers: false, toIp: '', source: null, announced: false,
  };
  /** The frame being handled, rewritten for each event. */
  private readonly current = new FrameMark();
  /** Capture time (s) of the latest event, and its exact timestamp (lastSec < 0 before any). */
  private lastT = 0;
  private lastSec = -1;
  private lastNsec = 0;
  /** Capture time (s) of the last sweep of finished state. */
  private sweptT = -Infinity;
  private events = 0;
  private finished = false;

  constructor(options: Partial<DetectOptions> = {}) {
    const o = (this.options = resolveDetectOptions(options));
    const w = (this.w = detectWindows(o));
    this.book = new IncidentBook(o.criticalOutageMs, () => this.onIncident, o.maxFindings);
    const incidents = new BindingIncidents(this.book, w.flipWindowS);
    const episodes = (this.episodes = new ChangeEpisodes(o, w, this.book, incidents));
    this.flux = new FluxGroups(w.flipWindowS, o.maxRequesters);
    this.clashes = new ClashTracker(o, w, this.book, incidents, this.flux);
    const evict = (b: Binding): void => episodes.publish(b, this.lastT);
    this.bindings = new BindingTable(o.maxBindings, evict);
    this.trafficOnly = new BindingTable(o.maxBindings, evict);
    this.claimed = new ClaimedAddresses(o.maxRequesters, o.proxyArpMinIps);
    this.gaps = new ReplyGaps(o, w, this.book, episodes, incidents);
    this.storms = new StormTracker(this.book, w.stormGapS, o.stormMinRequests, o.maxEvidenceFrames, o.maxRequesters);
    this.dedupe = new FrameDeduper(o.dedupeWindowMs, o.maxRequesters);
    this.floods = new ClaimFloodTracker(this.book, o.claimFloodMinChanges, o.maxEvidenceFrames, (vlan) => episodes.dropHeld(vlan));
    this.spoofs = new SpoofTracker(this.book, o, w);
    this.unsolicited = new UnsolicitedReplies(o.maxRequesters, w.answerTimeoutS);
  }

  /** Feeds one event (events must come in time order). */
  push(ev: DecodedEvent): void {
    if (this.finished) throw new Error('Detector.push after finish()');
    this.events++;
    const info = ev.info;
    const t = info.tsSec + info.tsNsec / 1e9;
    if (ev.kind === 'anomaly' || ev.kind === 'stp') {
      // Any frame moves the capture's end (an ongoing gap lasts until it).
      this.moveEnd(t, info.tsSec, info.tsNsec);
      return;
    }
    if (this.dedupe.isDuplicate(ev, t)) return;
    this.moveEnd(t, info.tsSec, info.tsNsec);
    this.episodes.publishDue(t, this.lastT);
    if (this.spoofs.hasPending()) this.spoofs.due(t, (vlan, mac) => this.claimed.of(vlan, mac));
    if (t - this.sweptT >= SWEEP_EVERY_S) this.sweep(t);
    const s = this.current;
    s.t = t;
    s.sec = info.tsSec;
    s.nsec = info.tsNsec;
    s.fileIndex = info.fileIndex;
    s.frame = info.frame;
    if (ev.kind === 'arp') this.onArp(ev, s);
    else if (ev.kind === 'ndp') this.onNdp(ev, s);
    else this.onIp(ev, s);
  }

  /** The capture's end so far: the latest frame of any kind. */
  private moveEnd(t: number, sec: number, nsec: number): void {
    if (t < this.lastT) return;
    this.lastT = t;
    this.lastSec = sec;
    this.lastNsec = nsec;
  }

  /**
   * Lets capture time pass without a frame (live capture on a quiet link): changes whose clash
   * hold (`clashWindowMs`) has expired by `now` are published and their incidents announced.
   * `now` is in the capture's clock (for live capture, the wall clock the frames are stamped with).
   */
  tick(now: Timestamp): void {
    if (!this.finished) this.episodes.publishDue(now.sec + now.nsec / 1e9, this.lastT);
  }

  /**
   * Closes what is still open and returns everything found, incidents in start order.
   * `captureEnd`: the capture's last frame of any kind (also frames no decoder turned into an
   * event); an ongoing gap lasts until then. Defaults to the last event seen.
   */
  finish(captureEnd?: Timestamp): { findings: Finding[]; incidents: DetectedIncident[] } {
    if (!this.finished) {
      this.finished = true;
      if (captureEnd && (this.lastSec < 0 || captureEnd.sec + captureEnd.nsec / 1e9 > this.lastT)) {
        this.lastT = captureEnd.sec + captureEnd.nsec / 1e9;
        this.lastSec = captureEnd.sec;
        this.lastNsec = captureEnd.nsec;
      }
      const lastTs: Timestamp | null = this.lastSec < 0 ? null : { sec: this.lastSec, nsec: this.lastNsec };
      this.episodes.publishDue(Infinity, this.lastT);
      this.spoofs.due(Infinity, (vlan, mac) => this.claimed.of(vlan, mac));
      for (const map of [this.bindings, this.trafficOnly]) {
        for (const b of map.values()) {
          const g = b.gap ?? this.gaps.openPending(b);
          if (g && lastTs) this.gaps.atEnd(b, g, this.lastT, lastTs);
        }
      }
      this.storms.finish();
      this.floods.finish();
    }
    return { findings: this.book.findings, incidents: this.book.finalIncidents() };
  }

  /**
   * TCP segments whose ACK is missing from the capture (the peer talked again without the sender
   * retransmitting): the capture is sparse or one-directional, so unanswered TCP proves nothing.
   */
  acksNotCaptured(): AcksNotCaptured {
    return this.gaps.acksNotCaptured;
  }

  /** Current sizes of the bounded state. */
  state(): DetectorState {
    return {
      bindings: this.bindings.size,
      trafficOnlyBindings: this.trafficOnly.size,
      macRecords: this.claimed.size,
      bursts: this.storms.bursts.size,
      probes: this.clashes.probeCount,
      unresolved: this.gaps.unresolved.size,
      dedupeEntries: this.dedupe.size,
      evictedBindings: this.bindings.evicted + this.trafficOnly.evicted,
      duplicatesDropped: this.dedupe.dropped,
      eventsSeen: this.events,
      findingsDropped: this.book.droppedFindings,
    };
  }

  // ---- frame handlers -------------------------------------------------------------------------

  private onArp(ev: ArpEvent, s: FrameMark): void {
    const vlan = ev.info.vlan;
    const meaning = classifyArp(ev);
    if (meaning.type === 'probe') {
      // RFC 5227: "is anyone using targetIp?" Not a binding; an answer from another MAC is a conflict.
      this.clashes.probe(ipKey(vlan, ev.targetIp), ev.senderMac, s);
      return;
    }
    const src = ev.info.srcMac;
    if (src !== null && src !== ev.senderMac && !isFhrpMac(ev.senderMac) && !isFhrpMac(src)) {
      // The ARP sender is not who sent the frame: forged, it binds nothing and answers nobody.
      this.spoofs.senderMismatch(vlan, src, ev.senderMac, ev.senderIp, s);
    } else {
      this.observeFrom({
        vlan, ip: ev.senderIp, ipv4: ev.senderIpv4, mac: ev.senderMac, kind: 'arp', answers: ev.op === 2, toIp: ev.targetIp,
        source: meaning.source, announced: meaning.announced,
      }, s);
      // A reply addressed to another station (a gratuitous reply names the sender's own address
      // as target, often at the broadcast MAC: it addresses nobody).
      if (ev.op === 2 && ev.targetMac !== ev.senderMac && ev.targetIp !== ev.senderIp) {
        this.spoofs.addressed(vlan, ev.senderMac, ev.targetIp, ev.targetMac, s);
        if (isUnicastDst(ev.targetMac) && this.unsolicited.reply(vlan, ev.senderMac, ev.senderIp, ev.senderIpv4, ev.targetMac, s.t)) {
          this.spoofs.claimedByRepetition(vlan, ev.senderMac, ev.senderIp, this.claimed.of(vlan, ev.senderMac), s);
        }
      }
    }
    if (meaning.request) {
      this.unsolicited.request(vlan, ev.senderMac, ev.targetIp, ev.targetIpv4, s.t);
      const held = ev.senderIp === ev.targetIp ? undefined : this.lookup(vlan, ev.targetIp, ev.targetIpv4);
      if (held !== undefined && held.mac === ev.senderMac && !held.vacated && src === ev.senderMac) {
        // A MAC resolving an address it claims itself knows another station holds it.
        const run = held.runs.find((r) => r.mac === held.mac);
        const claim = run === undefined ? null
          : new KeptSighting(run.lastT, run.lastTs.sec, run.lastTs.nsec, run.ref.fileIndex, run.ref.frame);
        this.spoofs.resolvesOwnClaim(vlan, ev.senderMac, ev.targetIp, this.claimed.of(vlan, ev.senderMac), s, claim);
      }
      this.storms.request(vlan, ev.senderIp, ev.targetIp, s.t, s.ts, s.ref);
      this.towardIp(vlan, ev.targetIp, ev.targetIpv4, ev.senderIp, ev.info.dstMac, 'arp', s);
    }
  }

  private onNdp(ev: NdpEvent, s: FrameMark): void {
    const vlan = ev.info.vlan;
    if (ev.type === 'ns') {
      if (ev.targetIp === null) return;
      if (ev.srcIp === '::') {
        // RFC 4862 DAD probe: like an ARP probe, never a binding.
        if (ev.info.srcMac !== null) this.clashes.probe(ipKey(vlan, ev.targetIp), ev.info.srcMac, s);
        return;
      }
      const mac = ev.sourceLinkAddr ?? ev.info.srcMac;
      if (mac !== null) {
        this.observeFrom({
          vlan, ip: ev.srcIp, ipv4: ipv4Number(ev.srcIp), mac, kind: 'ndp', answers: false, toIp: ev.targetIp, source: 'ndp-ns',
          announced: false,
        }, s);
      }
      this.storms.request(vlan, ev.srcIp, ev.targetIp, s.t, s.ts, s.ref);
      this.towardIp(vlan, ev.targetIp, ipv4Number(ev.targetIp), ev.srcIp, ev.info.dstMac, 'ns', s);
      return;
    }
    if (ev.type === 'na') {
      const nb = naBinding(ev);
      if (nb === null) return;
      // RFC 4861 7.2.5: without a target link-layer address the NA changes no cached address (it
      // only confirms the one held), and without the override flag it does not replace a different
      // one (GLBP/anycast answers). Such an NA is activity of the IP, not a claim.
      const held = this.lookup(vlan, nb.ip, ipv4Number(nb.ip));
      const differs = held !== undefined && held.mac !== nb.mac;
      const binds = ev.targetLinkAddr === null ? held !== undefined && !differs : ev.override || !differs;
      if (!binds && held === undefined) return;
      this.observeFrom({
        vlan, ip: nb.ip, ipv4: ipv4Number(nb.ip), mac: nb.mac, kind: 'ndp', answers: ev.solicited, toIp: ev.dstIp,
        source: binds ? nb.source : null, announced: binds && nb.announced,
      }, s);
      return;
    }
    // RS/RA/redirect: activity from the source address, not a claim.
    if (ev.info.srcMac !== null && ev.srcIp !== '::') {
      this.observeFrom({
        vlan, ip: ev.srcIp, ipv4: ipv4Number(ev.srcIp), mac: ev.info.srcMac, kind: 'ndp', answers: false, toIp: ev.dstIp, source: null,
        announced: false,
      }, s);
    }
  }

  private onIp(ev: IpEvent, s: FrameMark): void {
    const vlan = ev.info.vlan;
    const dstIsGroup = ev.dstGroup;
    if (ev.info.srcMac !== null && !ev.srcGroup) {
      // One record reused for every IP frame (the bulk of traffic): observeFrom keeps nothing of it.
      const f = this.ipFrom;
      f.vlan = vlan;
      f.ip = ev.srcIp;
      f.ipv4 = ev.srcIpv4;
      f.mac = ev.info.srcMac;
      f.answers = !dstIsGroup;
      f.toIp = ev.dstIp;
      this.observeFrom(f, s);
    }
    if (!dstIsGroup) {
      const kind = !ipAwaitsAnswer(ev) ? 'ip' : ev.echo !== null ? 'ip-request' : 'tcp';
      const echo = ev.echo === null ? null : ev.echo.id * 65536 + ev.echo.seq;
      this.towardIp(vlan, ev.dstIp, ev.dstIpv4, ev.srcIp, ev.info.dstMac, kind, s, echo);
    }
  }

  // ---- bindings ---------------------------------------------------------------------------------

  /** The binding of `ip` on `vlan` (`ipv4`: the address as a number, -1 for IPv6). */
  private lookup(vlan: number | null, ip: string, ipv4: number): Binding | undefined {
    const b = this.bindings.get(vlan, ip, ipv4);
    // ARP-only traffic (and every ARP flood) has no traffic-only bindings: skip the second lookup.
    return b !== undefined || this.trafficOnly.size === 0 ? b : this.trafficOnly.get(vlan, ip, ipv4);
  }

  /** Marks the binding on-link, moving it out of the traffic-only map. */
  private promote(b: Binding): void {
    if (b.onLink) return;
    b.onLink = true;
    this.trafficOnly.remove(b);
    this.bindings.add(b);
  }

  /** A frame from an IP: it creates, claims or keeps the IP's binding, and may answer its gap. `f` is not kept. */
  private observeFrom(f: FromFrame, s: FrameMark): void {
    const { vlan, ip, mac, kind, answers, toIp, source, announced } = f;
    let b = this.lookup(vlan, ip, f.ipv4);
    if (!b && (ip === '0.0.0.0' || ip === '::')) return;
    // Claims that would change a binding, or create one for a proxy ARP MAC, feed the flood check.
    if (source !== null && (!b || mac !== b.mac)
      && this.floods.claim(vlan, ip, mac, b !== undefined || this.claimed.isProxy(vlan, mac), s)) return;
    if (!b) {
      const onLink = source !== null || kind !== 'ip' || isLinkLocal(ip);
      const key = ipKey(vlan, ip);
      b = {
        key, ip, ipv4: f.ipv4, vlan, mac, source: source ?? 'ip-traffic',
        onLink, repliesVisible: answers, fhrp: source !== null && isFhrpMac(mac),
        lastFrom: s.clone(), lastFromCurrentMac: s.clone(), runs: [], lastConcurrentT: -Infinity, episode: null, gap: null,
        firstRequest: null,
        clash: null, incident: null, vacated: false, closedByClaim: null, closedByClaimT: -Infinity,
      };
      (onLink ? this.bindings : this.trafficOnly).add(b);
      if (source !== null) this.claim(b, mac, source, announced, s);
      this.gaps.firstAnswer(b, key, mac, s);
      return;
    }
    if (kind !== 'ip') this.promote(b);
    else b.closedByClaim = null; // the IP talks: the claim that closed its last gap was real
    if (b.vacated && mac === b.mac) b.vacated = false;
    // The IP answering a requester, or sending anything from the very MAC the requests went to (it
    // is on the link and reachable there: requests it ignores are its application's choice), ends
    // the gap. Traffic from another MAC while requests go to a stale one does not (a black hole).
    this.gaps.fromIp(b, mac, toIp, kind !== 'ip', s);
    if (answers) b.repliesVisible = true;
    if (source !== null) {
      this.claim(b, mac, source, announced, s);
    } else if (mac !== b.mac) {
      this.episodes.trafficFromOtherMac(b, mac, s.t);
    }
    b.lastFrom.copyFrom(s);
    if (mac === b.mac) {
      if (b.lastFromCurrentMac === null) b.lastFromCurrentMac = s.clone();
      else b.lastFromCurrentMac.copyFrom(s);
    }
  }

  /** An ARP/NDP claim of `b.ip` by `mac`. */
  private claim(b: Binding, mac: Mac, source: BindingSource, announced: boolean, s: FrameMark): void {
    this.clashes.probeAnswer(b, mac, s);
    const macIsFhrp = isFhrpMac(mac);
    if (macIsFhrp) b.fhrp = true;
    const macIsProxy = !b.ip.includes(':') && this.claimed.note(b.vlan, mac, b.ip);
    if (announced) {
      this.vacateOthers(b, mac, s);
      this.spoofs.announced(b.vlan, mac, b.ip);
    }
    if (mac === b.mac) {
      b.source = source;
      this.clashes.noteRun(b, mac, s);
      this.spoofs.ownClaim(b.vlan, mac, b.ip, s);
      return;
    }
    // Another MAC claims an address its holder used lately: a spoofing suspect, unless the holder
    // claimed it within `concurrentClaimMs` too (both answering one request: proxy ARP, ARP flux).
    const holderSeen = b.lastFromCurrentMac ?? b.lastFrom;
    const concurrent = b.runs.some((r) => r.mac === b.mac && s.t - r.lastT <= this.w.concurrentClaimS);
    if (!macIsFhrp && !b.fhrp && !concurrent && s.t - holderSeen.t <= this.w.reuseQuietS) {
      this.spoofs.contested(b.vlan, mac, b.ip, b.mac, s);
    }
    // A router's own MAC answering for its virtual IP, or a proxy ARP answer while the real owner
    // holds the address: expected, not a move.
    if (b.fhrp && !macIsFhrp) return;
    const holderIsProxy = this.claimed.isProxy(b.vlan, b.mac);
    if (macIsProxy && !holderIsProxy) return;
    this.clashes.noteRun(b, mac, s);
    const quiet = holderIsProxy || macIsFhrp || isFhrpMac(b.mac);
    if (!quiet && this.clashes.isClash(b, s.t)) {
      this.clashes.clash(b, mac, s);
    } else {
      this.episodes.change(b, { mac, source, announced, quiet }, s);
    }
    b.mac = mac;
    b.source = source;
    b.lastFromCurrentMac = null;
  }

  /**
   * `mac` announced `b.ip`: the other IPv4 addresses it held and has not used for
   * `answerTimeoutMs` are vacated (a host that renumbered); requests for them are not outages.
   * A proxy ARP responder (`proxyArpMinIps` addresses) announcing its own address leaves nothing.
   */
  private vacateOthers(b: Binding, mac: Mac, s: FrameMark): void {
    const ips = this.claimed.of(b.vlan, mac);
    if (ips.size < 2 || ips.size >= this.options.proxyArpMinIps) return;
    for (const ip of ips) {
      if (ip === b.ip) continue;
      const other = this.lookup(b.vlan, ip, ipv4Number(ip));
      if (other === undefined || other.mac !== mac) continue;
      const last = other.lastFromCurrentMac ?? other.lastFrom;
      if (s.t - last.t > this.w.answerTimeoutS) other.vacated = true;
    }
  }

  /**
   * Drops state that can no longer matter at capture time `t`: ended request bursts, probes past
   * `probeWindowMs`, unresolved requests past `quietLeadMs`. The caps bound memory under a flood;
   * this keeps those maps to what is still live on a long run instead of letting them fill up.
   */
  private sweep(t: number): void {
    this.sweptT = t;
    this.storms.expire(t);
    this.clashes.sweep(t);
    this.gaps.expireUnresolved(t);
  }

  // ---- reply gaps (src/detect/gaps.ts) ----------------------------------------------------------

  /** A frame toward `ip`: an ARP/NS request, a request expecting an answer, or other traffic. */
  private towardIp(
    vlan: number | null, ip: string, ipv4: number, requester: string, dstMac: Mac | null, kind: RequestKind, s: FrameMark,
    echo: number | null = null,
  ): void {
    const b = this.lookup(vlan, ip, ipv4);
    if (!b) {
      if (kind === 'arp' || kind === 'ns') this.gaps.requestUnresolved(ipKey(vlan, ip), requester, s);
      return;
    }
    if (kind === 'arp' || kind === 'ns') this.promote(b);
    this.gaps.request(b, requester, dstMac, kind, s, echo);
  }
}
