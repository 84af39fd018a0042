/**
 * The one analysis pipeline: captured packets in, one {@link Analysis} out.
 *
 *   packet -> decode -> per-capture stats
 *                    -> detection (findings, incidents) -> correlation with link events -> Analysis
 *
 * It reads nothing itself: `analyzeCaptures` (files and stdin), `runLive` (a libpcap capture and
 * rtnetlink) and the fuzz harness (damaged bytes) drive it, so all three detect, correlate and
 * assemble the same way.
 */
import type { Analysis, Incident } from '../analysis.js';
import type { CaptureInfo, CapturePacket } from '../capture/types.js';
import { PacketDecoder } from '../decode/index.js';
import type { DecodedEvent } from '../decode/events.js';
import { Detector } from '../detect/detector.js';
import type { DetectOptions } from '../detect/options.js';
import type { DetectedIncident, Finding } from '../detect/types.js';
import { captureSpan, checkLinkTiming, correlate, DEFAULT_CORRELATE_OPTIONS, type CorrelateOptions } from '../correlate/index.js';
import type { Cause } from '../correlate/types.js';
import type { BridgewatchError } from '../errors.js';
import { mergeLinkEvents } from '../links/index.js';
import { BridgeMacSpans } from '../links/bridge-macs.js';
import type { LinkSnapshotEntry } from '../links/rtnl-tracker.js';
import type { BridgeMacRecord, LinkEvent, LinkLog } from '../links/types.js';
import { compareTs, type Timestamp } from '../time.js';
import { toolVersion } from '../version.js';
import { CaptureStats } from './capture-stats.js';

/**
 * Called when an incident opens or changes while packets are pushed: a copy of it with its cause
 * from the link events known so far. `findings` is indexed like the final analysis's (`incident.findings` point
 * into it); only the incident's own entries are set.
 */
export type PipelineIncidentListener = (incident: Incident, findings: readonly Finding[]) => void;

/** Options of {@link AnalysisPipeline}. */
export interface PipelineOptions {
  /** One name per input, in the order of `CapturePacket.fileIndex` (`-` for stdin, `live:IFACE`). */
  inputs: readonly string[];
  /** Detection thresholds and windows (defaults in src/detect/options.ts, docs/schema.md). */
  detect?: Partial<DetectOptions>;
  /** Correlation tolerances (`correlationWindowMs`). */
  correlate?: Partial<CorrelateOptions>;
  /** Incidents as they open and change (the live line printer, the journal). */
  onIncident?: PipelineIncidentListener;
  /** Problems that do not stop the analysis (a cause that could not be worked out while running). */
  onWarning?: (message: string) => void;
  /**
   * Decode into reused event objects (default true: detection copies what it keeps). The fuzz
   * harness turns it off to check every event on its own.
   */
  reuseEvents?: boolean;
  /**
   * Link events kept for correlation, the newest: between this and twice this many (a live run of
   * days on a host whose guests start and stop all day must keep memory flat). Default: all.
   */
  maxLinkEvents?: number;
}

/** What the driver knows when the input ends. */
export interface PipelineEnd {
  /** Per input, in `inputs` order: what the reader learnt about it, and the fault that ended it. */
  captures: readonly { info: CaptureInfo; error?: BridgewatchError | undefined }[];
  /**
   * Until when the input was listened to: an unanswered request is an outage up to here. Default:
   * the last frame read (a file); a live capture gives the time it stopped.
   */
  end?: Timestamp;
  /**
   * Link logs read from files. Their events join the ones added with {@link AnalysisPipeline.addLinkEvent},
   * except logs whose times do not match the capture's (set aside with a note).
   */
  linkLogs?: readonly LinkLog[];
  /** More facts recorded in `Analysis.options` (live's interface, filter and counters). */
  recordOptions?: Record<string, number | string | boolean>;
  /** Tool version written into the analysis (default: package.json's). */
  version?: string;
}

/** Stats, detection, correlation and assembly of one analysis; push packets, then finish once. */
export class AnalysisPipeline {
  private readonly detector: Detector;
  private readonly stats: CaptureStats[];
  private readonly links: LinkEvent[] = [];
  private readonly decoder: PacketDecoder;
  private readonly correlateOptions: CorrelateOptions;
  private readonly maxLinkEvents: number;
  /** The latest cause of each incident reported while running (kept when a later correlation fails). */
  private readonly causesSoFar = new Map<string, Cause>();
  /**
   * Which MAC each bridge held, from a complete live feed since `since`, with the time of its
   * latest event (see {@link followBridgeMacs}); null without one.
   */
  private bridgeMacs: { spans: BridgeMacSpans; since: Timestamp; lastEvent: Timestamp } | null = null;
  private stpSeen = false;
  /** The latest time detection's clock was moved to without a packet ({@link tick}). */
  private lastTick: Timestamp | null = null;

  constructor(private readonly options: PipelineOptions) {
    this.detector = new Detector(options.detect);
    this.stats = options.inputs.map((name) => new CaptureStats(name));
    this.decoder = new PacketDecoder({ reuse: options.reuseEvents !== false });
    this.correlateOptions = { ...DEFAULT_CORRELATE_OPTIONS, ...options.correlate };
    this.maxLinkEvents = options.maxLinkEvents ?? Number.POSITIVE_INFINITY;
    const listener = options.onIncident;
    if (listener) {
      this.detector.onIncident = (incident, own) => {
        const findings = this.explainNow(incident, own);
        const cause = this.causesSoFar.get(incident.id);
        listener({ ...incident, ...(cause ? { cause } : {}) }, findings);
      };
    }
  }

  /** Decodes, counts and detects one packet; returns its decoded event (null when nothing of interest). */
  push(packet: CapturePacket): DecodedEvent | null {
    const ev = this.decoder.decode(packet);
    this.stats[packet.fileIndex]?.add(packet, ev);
    if (ev !== null) {
      if (ev.kind === 'stp') this.stpSeen = true;
      this.detector.push(ev);
    }
    return ev;
  }

  /**
   * The links when a complete feed of the host's link messages (rtnetlink) starts at `since`: from
   * then on its events passed to {@link addLinkEvent} say which MAC each bridge held, evidence
   * against a bridge flip the capture alone would suggest.
   */
  followBridgeMacs(links: readonly Pick<LinkSnapshotEntry, 'ifname' | 'mac' | 'isBridge' | 'master'>[], since: Timestamp): void {
    const spans = new BridgeMacSpans('rtnetlink');
    for (const l of links) {
      if (l.mac === null) continue;
      if (l.isBridge) spans.seen(l.ifname, l.mac, since, null);
      spans.link(l.ifname, l.mac, since, false);
    }
    this.bridgeMacs = { spans, since, lastEvent: since };
  }

  /** The live feed's record up to `until` (none without a feed, or before it started). */
  private liveBridgeMacs(until: Timestamp | null): BridgeMacRecord[] {
    const record = this.bridgeMacs?.spans.record(this.bridgeMacs.since, until) ?? null;
    return record && compareTs(record.last, record.first) >= 0 ? [record] : [];
  }

  /**
   * The feed given to {@link followBridgeMacs} broke: at `at` (a message that could not be read),
   * or, when the time is unknown (a socket error, reported after the fact), after its last event.
   * What it showed holds only up to there.
   */
  bridgeMacFeedLost(at?: Timestamp): void {
    const live = this.bridgeMacs;
    if (live) live.spans.stop(at ?? live.lastEvent);
  }

  /** A link event (rtnetlink, the lab's recorder, a caller's list), in time order. */
  addLinkEvent(event: LinkEvent): void {
    const live = this.bridgeMacs;
    if (live) {
      if (event.time !== null && compareTs(event.time, live.lastEvent) > 0) live.lastEvent = event.time;
      if (event.type === 'mac-change' && event.isBridge) live.spans.seen(event.ifname, event.newMac, event.time, null);
      // A new link may be a bridge (link events carry no kind): counted as one, it can keep a flip
      // from being ruled out, never rule one out (it was not seen before the move).
      else if (event.type === 'link-add' && event.mac !== null) live.spans.seen(event.ifname, event.mac, event.time, null);
      else if (event.type === 'link-del') live.spans.deleted(event.ifname, event.time);
      // Every link with a MAC is kept: one with the lower MAC keeps a flip from being ruled out.
      const mac = event.type === 'mac-change' ? event.newMac : event.type === 'link-add' || event.type === 'port-join' ? event.mac : null;
      if (mac !== null) live.spans.link(event.ifname, mac, event.time, false);
    }
    this.links.push(event);
    // Trimmed in batches (amortised O(1)).
    if (this.links.length >= 2 * this.maxLinkEvents) this.links.splice(0, this.links.length - this.maxLinkEvents);
  }

  /** Packets pushed so far from input `fileIndex`, and the latest timestamp among them. */
  progress(fileIndex = 0): { packets: number; latest: Timestamp } {
    return this.stats[fileIndex]!.progress();
  }

  /** Moves detection's clock without a packet (a quiet live interface still ends reply gaps). */
  tick(now: Timestamp): void {
    this.lastTick = now;
    this.detector.tick(now);
  }

  /** The latest packet time or tick so far (null before either). */
  private latestSeen(): Timestamp | null {
    let latest = this.lastTick;
    for (const s of this.stats) {
      const { packets, latest: t } = s.progress();
      if (packets > 0 && (latest === null || compareTs(t, latest) > 0)) latest = t;
    }
    return latest;
  }

  /** Closes detection, correlates every incident with every usable link event and assembles the analysis. */
  finish(end: PipelineEnd): Analysis {
    const captures = end.captures.map((c, i) => this.stats[i]!.finish(c.info, c.error));
    const span = captureSpan(captures);
    // Without a stop time, an ongoing reply gap lasts until the last frame of any kind (decoded or not).
    const { findings, incidents } = this.detector.finish(end.end ?? span?.last);
    const sparse = this.detector.acksNotCaptured();
    const given = [...this.links].sort((a, b) => (a.time && b.time ? compareTs(a.time, b.time) : 0));
    const logs = end.linkLogs ?? [];
    // Logs whose times do not match the capture's are set aside (one note each): their events
    // would otherwise explain incidents they have nothing to do with.
    const timing = checkLinkTiming(logs, given, span, incidents, findings, this.correlateOptions.correlationWindowMs);
    const usable = logs.filter((l) => !timing.setAside.includes(l.path));
    const linkEvents = logs.length === 0 ? given : mergeLinkEvents([{ events: given }, ...logs]);
    const correlated = usable.length === logs.length ? linkEvents : mergeLinkEvents([{ events: given }, ...usable]);
    const live = this.liveBridgeMacs(end.end ?? span?.last ?? null);
    const causes = correlate(incidents, findings, correlated, {
      ...this.correlateOptions, stpBpdusSeen: this.stpSeen, linkLogsGiven: logs.length > 0,
      bridgeMacs: [...live, ...usable.flatMap((l) => (l.bridgeMacs ? [l.bridgeMacs] : []))],
    });
    const dropped = this.detector.state().findingsDropped;
    return {
      schema: 'bridgewatch/1',
      version: end.version ?? toolVersion(),
      captures,
      incidents: incidents.map((incident, k): Incident => ({ ...incident, cause: causes[k]! })),
      findings,
      linkEvents,
      linkLogs: logs.map(({ events: _events, bridgeMacs: _held, ...rest }) => rest),
      ...(timing.notes.length > 0 ? { linkNotes: timing.notes } : {}),
      options: { ...this.detector.options, ...end.recordOptions },
      ...(sparse.count > 0 ? { acksNotCaptured: { count: sparse.count, frames: [...sparse.examples] } } : {}),
      ...(dropped > 0 ? { findingsDropped: dropped } : {}),
    };
  }

  /**
   * The incident's own findings at their analysis indexes, after working out its cause from the
   * link events so far (a later change, or the final correlation, may refine it).
   */
  private explainNow(incident: DetectedIncident, own: readonly Finding[]): Finding[] {
    const findings: Finding[] = [];
    incident.findings.forEach((index, k) => { const f = own[k]; if (f) findings[index] = f; });
    try {
      const options = { ...this.correlateOptions, stpBpdusSeen: this.stpSeen, bridgeMacs: this.liveBridgeMacs(this.latestSeen()) };
      const [cause] = correlate([incident], findings, this.links, options);
      if (cause) this.causesSoFar.set(incident.id, cause);
    } catch (e) {
      this.options.onWarning?.(`correlation failed for ${incident.id}: ${(e as Error).message}`);
    }
    return findings;
  }
}
