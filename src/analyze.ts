/**
 * The offline pipeline: read captures (merged by time) -> decode -> per-capture stats and the
 * Detector -> correlation with link events -> one {@link Analysis}. No console output; the CLI
 * and other tools pick a reporter.
 */
import { readFileSync } from 'node:fs';
import type { Analysis } from './analysis.js';
import type { LinkEvent, LinkLog } from './links/types.js';
import type { Timestamp } from './time.js';
import { readCaptures, CaptureStats, type CaptureInput } from './capture/index.js';
import { inputPath } from './capture/source.js';
import { decodePacket, REUSE_EVENTS } from './decode/index.js';
import { Detector } from './detect/detector.js';
import type { DetectOptions } from './detect/options.js';
import type { IncidentListener } from './detect/incidents.js';
import { readLinkLogs, mergeLinkEvents, type LinkLogOptions } from './links/index.js';
import { captureSpan, checkLinkTiming, correlate, DEFAULT_CORRELATE_OPTIONS, type CorrelateOptions } from './correlate/index.js';

/** Options for {@link analyzeCaptures}. */
export interface AnalyzeOptions {
  /** Detection thresholds and windows (defaults in src/detect/options.ts, docs/schema.md). */
  detect?: Partial<DetectOptions>;
  /** Link events already parsed (e.g. by the lab or live capture), in time order. */
  links?: LinkEvent[];
  /** Recorded link logs to parse (`ip -ts monitor link`, `bridge monitor`, kernel logs). */
  linkLogs?: string[];
  /** How to read timestamps in those logs (zone, boot time). */
  linkLogOptions?: LinkLogOptions;
  /** Correlation tolerances (`correlationWindowMs`, docs/schema.md). */
  correlate?: Partial<CorrelateOptions>;
  /** Called as incidents open and change, while the captures are read. */
  onIncident?: IncidentListener;
  /** Stops reading between chunks; the analysis then covers what was read. */
  signal?: AbortSignal;
  /** Called once per packet read (drives the CLI's progress line). */
  onPacket?: () => void;
}

let cachedVersion: string | null = null;

/** bridgewatch's version from package.json (src/ and dist/ both sit one level below it). */
export function toolVersion(): string {
  if (cachedVersion === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

/**
 * Analyses capture files (`-` = stdin). A fault in one capture does not throw: that capture's
 * summary carries `error` and everything read before the fault is analysed. Link logs that
 * cannot be read do throw (a BridgewatchError), before any capture is read.
 */
export async function analyzeCaptures(paths: Array<CaptureInput>, options: AnalyzeOptions = {}): Promise<Analysis> {
  let logs: LinkLog[] = [];
  const givenEvents: LinkEvent[] = options.links ?? [];
  let linkEvents = givenEvents;
  if (options.linkLogs && options.linkLogs.length > 0) {
    const read = await readLinkLogs(options.linkLogs, options.linkLogOptions);
    logs = read.logs;
    linkEvents = mergeLinkEvents([{ events: givenEvents }, ...read.logs]);
  }

  const detector = new Detector(options.detect);
  if (options.onIncident) detector.onIncident = options.onIncident;
  const stats = paths.map((p) => new CaptureStats(inputPath(p)));
  const onPacket = options.onPacket;
  // The capture's last frame of any kind (decoded or not): an ongoing reply gap lasts until it.
  let end: Timestamp | null = null;
  const results = await readCaptures(paths, (packet) => {
    onPacket?.();
    if (end === null || packet.tsSec > end.sec || (packet.tsSec === end.sec && packet.tsNsec > end.nsec)) {
      end = { sec: packet.tsSec, nsec: packet.tsNsec };
    }
    const ev = decodePacket(packet, REUSE_EVENTS);
    stats[packet.fileIndex]?.add(packet, ev);
    if (ev !== null) detector.push(ev);
  }, options.signal ? { signal: options.signal } : {});
  const captures = results.map((r, i) => stats[i]!.finish(r.info, r.error));
  const { findings, incidents } = detector.finish(end ?? undefined);
  const sparse = detector.acksNotCaptured();
  const correlateOptions = { ...DEFAULT_CORRELATE_OPTIONS, ...options.correlate };
  // Logs whose times do not match the capture's are set aside (one note each): their events
  // would otherwise explain incidents they have nothing to do with.
  const timing = checkLinkTiming(logs, givenEvents, captureSpan(captures), incidents, findings, correlateOptions.correlationWindowMs);
  const usable = timing.setAside.length === 0 ? linkEvents
    : mergeLinkEvents([{ events: givenEvents }, ...logs.filter((l) => !timing.setAside.includes(l.path))]);
  const causes = correlate(incidents, findings, usable, {
    ...correlateOptions, stpBpdusSeen: captures.some((c) => c.stp > 0), linkLogsGiven: logs.length > 0,
  });

  return {
    schema: 'bridgewatch/1',
    version: toolVersion(),
    captures,
    incidents: incidents.map((incident, k) => ({ ...incident, cause: causes[k]! })),
    findings,
    linkEvents,
    linkLogs: logs.map(({ events: _events, ...rest }) => rest),
    ...(timing.notes.length > 0 ? { linkNotes: timing.notes } : {}),
    options: { ...detector.options },
    ...(sparse.count > 0 ? { acksNotCaptured: { count: sparse.count, frames: [...sparse.examples] } } : {}),
    ...(detector.state().findingsDropped > 0 ? { findingsDropped: detector.state().findingsDropped } : {}),
  };
}
