/**
 * Prometheus metrics of a `live` run, fed by the session's typed events (incident records, link
 * events, capture counters) and, at collection time, by sysfs (bridge pinned, STP port states).
 * Library level: no HTTP and no files here (server.ts and textfile.ts expose {@link LiveMetrics.registry}).
 *
 * Every series carries `iface` (the capture interface) or `bridge`, so several `live` instances on
 * one host (one per bridge) never export the same series: node_exporter's textfile collector
 * rejects duplicates. Names, labels and units: docs/metrics.md.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LinkEvent } from '../links/types.js';
import type { LiveCaptureStats } from '../live/capture.js';
import type { LiveIncidentRecord } from '../live/print.js';
import { readBridge, SYS_CLASS_NET, type BridgeReading } from './bridge-sysfs.js';

/** Headline kinds of incidents (src/detect `Incident.kind`), pre-set to 0 so `increase()` sees the first one. */
export const INCIDENT_KINDS = [
  'bridge-mac-flip', 'mac-change', 'ip-clash', 'outage', 'announced-move', 'arp-storm', 'claim-flood', 'arp-spoof', 'arp-flux',
] as const;
/** Incident severities. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;

/**
 * Outage histogram buckets, seconds: field outages last from a fraction of a second (a gratuitous
 * ARP repairs it) to about two minutes (neighbours' ARP/ND caches expiring), with a catch-all above.
 */
export const OUTAGE_BUCKETS_SECONDS = [0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180];

/** Incidents remembered to count each (kind, severity) once; beyond this the oldest are forgotten. */
export const MAX_TRACKED_INCIDENTS = 10_000;

/** Options of {@link LiveMetrics}. */
export interface LiveMetricsOptions {
  /** Capture interface (the `iface` label). */
  iface: string;
  /** Bridges whose MAC changes, pinning and STP port states are exported (see bridgesWatchedBy). */
  bridges: readonly string[];
  /** sysfs folder of network interfaces (default /sys/class/net; tests pass a fake tree). */
  sysNet?: string;
  /** Clock for the start-time gauge, ms since the epoch (default Date.now). */
  now?: () => number;
}

interface TrackedIncident {
  /** `kind|severity` pairs already counted. */
  counted: Set<string>;
  /** The outage was observed in the histogram. */
  outageObserved: boolean;
}

/** Seconds since the epoch of an ISO 8601 UTC time with up to 9 fractional digits (as live prints). */
export function isoToEpochSeconds(iso: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}Z`) / 1000 + (m[2] ? Number(`0.${m[2]}`) : 0);
}

/** The metric set of one live run. */
export class LiveMetrics {
  /** Registry holding only bridgewatch_* series (no process metrics: safe for the textfile collector). */
  readonly registry = new Registry();
  private readonly iface: string;
  private readonly bridges: Set<string>;
  private readonly sysNet: string;
  private readonly incidents: Counter<'iface' | 'kind' | 'severity'>;
  private readonly outage: Histogram<'iface'>;
  private readonly outagesOngoing: Gauge<'iface'>;
  private readonly lastIncident: Gauge<'iface'>;
  private readonly bridgeMacChanges: Counter<'bridge'>;
  private readonly framesCaptured: Counter<'iface'>;
  private readonly framesDropped: Counter<'iface' | 'reason'>;
  private readonly tracked = new Map<string, TrackedIncident>();
  private readonly ongoing = new Set<string>();
  private last: LiveCaptureStats | null = null;
  /** Highest kernel-drop estimate counted so far. */
  private kernelHigh = 0;
  private lastIncidentValue = 0;

  constructor(options: LiveMetricsOptions) {
    this.iface = options.iface;
    this.bridges = new Set(options.bridges);
    this.sysNet = options.sysNet ?? SYS_CLASS_NET;
    const registers = [this.registry];
    const iface = { iface: this.iface };

    this.incidents = new Counter({
      name: 'bridgewatch_incidents_total',
      help: 'Incidents detected, counted once per kind and severity each incident reaches (an incident escalating warning->critical counts in both).',
      labelNames: ['iface', 'kind', 'severity'] as const,
      registers,
    });
    for (const kind of INCIDENT_KINDS) for (const severity of SEVERITIES) this.incidents.inc({ ...iface, kind, severity }, 0);

    this.outage = new Histogram({
      name: 'bridgewatch_outage_seconds',
      help: 'Outages (neighbours left unanswered after a MAC change), seconds, observed once per incident when its outage ends.',
      labelNames: ['iface'] as const,
      buckets: OUTAGE_BUCKETS_SECONDS,
      registers,
    });
    this.outage.zero(iface);

    this.outagesOngoing = new Gauge({
      name: 'bridgewatch_outages_ongoing',
      help: 'Incidents whose outage is still open (no answer yet).',
      labelNames: ['iface'] as const,
      registers,
    });
    this.outagesOngoing.set(iface, 0);

    this.lastIncident = new Gauge({
      name: 'bridgewatch_last_incident_timestamp_seconds',
      help: 'Start of the most recent incident, seconds since the epoch; 0 when none since live started.',
      labelNames: ['iface'] as const,
      registers,
    });
    this.lastIncident.set(iface, 0);

    const started = new Gauge({
      name: 'bridgewatch_live_start_time_seconds',
      help: 'When this live run started, seconds since the epoch.',
      labelNames: ['iface'] as const,
      registers,
    });
    started.set(iface, (options.now ?? Date.now)() / 1000);

    this.bridgeMacChanges = new Counter({
      name: 'bridgewatch_bridge_mac_changes_total',
      help: 'Changes of the bridge MAC address seen through rtnetlink (the lowest-port-MAC rule at work when not pinned).',
      labelNames: ['bridge'] as const,
      registers,
    });
    for (const bridge of this.bridges) this.bridgeMacChanges.inc({ bridge }, 0);

    this.framesCaptured = new Counter({
      name: 'bridgewatch_frames_captured_total',
      help: 'Frames the capture received (after the BPF filter).',
      labelNames: ['iface'] as const,
      registers,
    });
    this.framesCaptured.inc(iface, 0);

    this.framesDropped = new Counter({
      name: 'bridgewatch_frames_dropped_total',
      help: 'Frames lost: reason="queue" dropped by bridgewatch (analysis behind), reason="kernel" estimated kernel ring drops (only with --all).',
      labelNames: ['iface', 'reason'] as const,
      registers,
    });
    this.framesDropped.inc({ ...iface, reason: 'queue' }, 0);

    // Read at collection time (each scrape / textfile write), so they show the bridge as it is now.
    const readBridges = (): ReturnType<typeof this.readBridges> => this.readBridges();
    new Gauge({
      name: 'bridgewatch_bridge_mac_pinned',
      help: 'Whether the bridge MAC is pinned (sysfs addr_assign_type 3): 1 pinned, 0 follows the lowest port MAC.',
      labelNames: ['bridge'] as const,
      registers,
      collect() {
        this.reset();
        for (const b of readBridges()) this.set({ bridge: b.bridge }, b.pinned ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bridgewatch_stp_port_state',
      help: 'STP state of each bridge port (sysfs brif/PORT/state): 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking.',
      labelNames: ['bridge', 'port'] as const,
      registers,
      collect() {
        this.reset();
        for (const b of readBridges()) for (const p of b.ports) this.set({ bridge: b.bridge, port: p.port }, p.stpState);
      },
    });
  }

  /** Feeds one incident record (every phase; counting rules in the metric help texts). */
  onIncident(record: LiveIncidentRecord): void {
    let t = this.tracked.get(record.id);
    if (!t) {
      t = { counted: new Set(), outageObserved: false };
      this.tracked.set(record.id, t);
      if (this.tracked.size > MAX_TRACKED_INCIDENTS) this.tracked.delete(this.tracked.keys().next().value!);
      const start = isoToEpochSeconds(record.start);
      if (Number.isFinite(start) && start > this.lastIncidentValue) this.setLastIncident(start);
    }
    const key = `${record.kind}|${record.severity}`;
    if (!t.counted.has(key)) {
      t.counted.add(key);
      this.incidents.inc({ iface: this.iface, kind: record.kind, severity: record.severity });
    }
    if (record.outageMs > 0 && !record.outageOngoing && !t.outageObserved) {
      t.outageObserved = true;
      this.outage.observe({ iface: this.iface }, record.outageMs / 1000);
    }
    if (record.outageOngoing && record.phase !== 'final') this.ongoing.add(record.id);
    else this.ongoing.delete(record.id);
    this.outagesOngoing.set({ iface: this.iface }, this.ongoing.size);
  }

  /** Feeds one link event: bridge MAC changes of the watched bridges are counted. */
  onLinkEvent(event: LinkEvent): void {
    if (event.type === 'mac-change' && event.isBridge && this.bridges.has(event.ifname)) {
      this.bridgeMacChanges.inc({ bridge: event.ifname });
    }
  }

  /** Feeds cumulative capture counters (the session's periodic and final stats). */
  onStats(stats: LiveCaptureStats): void {
    const before = this.last;
    const grow = (now: number, was: number | null | undefined): number => Math.max(0, now - (was ?? 0));
    this.framesCaptured.inc({ iface: this.iface }, grow(stats.captured, before?.captured));
    this.framesDropped.inc({ iface: this.iface, reason: 'queue' }, grow(stats.queueDrops, before?.queueDrops));
    if (stats.kernelDropsEstimate !== null) {
      // An estimate may dip: count only growth beyond the highest value seen.
      this.framesDropped.inc({ iface: this.iface, reason: 'kernel' }, grow(stats.kernelDropsEstimate, this.kernelHigh));
      this.kernelHigh = Math.max(this.kernelHigh, stats.kernelDropsEstimate);
    }
    this.last = stats;
  }

  /** The exposition (Prometheus text format 0.0.4) of every bridgewatch_* series. */
  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  private setLastIncident(seconds: number): void {
    this.lastIncidentValue = seconds;
    this.lastIncident.set({ iface: this.iface }, seconds);
  }

  private readBridges(): BridgeReading[] {
    const out: BridgeReading[] = [];
    for (const name of this.bridges) {
      const b = readBridge(name, this.sysNet);
      if (b) out.push(b);
    }
    return out;
  }
}
