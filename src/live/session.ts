/**
 * Live analysis: drives the {@link AnalysisPipeline} (the same decoding, detection and
 * correlation as `analyze`) with a libpcap capture and rtnetlink link events, hands each incident
 * to the sink the moment detection knows it, optionally saves frames (rotated pcapng), and at the
 * end returns one {@link Analysis} (the postmortem, fed to the same reporters as `analyze`).
 *
 * Times: frames are stamped by the capture process (wall clock at delivery, ns resolution; with
 * `capture: 'tcpdump'` libpcap's kernel stamps, kept in order) and
 * link events by the netlink watcher when received; both are the host's wall clock, so
 * correlation lines them up directly.
 */
import type { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import type { CaptureInfo, CapturePacket } from '../capture/types.js';
import type { DetectOptions } from '../detect/options.js';
import type { Finding } from '../detect/types.js';
import { watchLinks } from '../links/index.js';
import type { LinkEvent } from '../links/types.js';
import type { Analysis, Incident } from '../analysis.js';
import type { LiveRunInfo } from './run-info.js';
import { BridgewatchError, isBridgewatchError } from '../errors.js';
import { toIso, type Timestamp } from '../time.js';
import { AnalysisPipeline } from '../pipeline/index.js';
import { openLiveCapture, type LiveCapture, type LiveCaptureEnd, type LiveCaptureStats } from './capture.js';
import { openTcpdumpCapture, TCPDUMP_SNAPLEN, type CaptureBackend } from './tcpdump.js';
import { RotatingPcapngSaver, type SaveOptions } from './save.js';
import { incidentRecord, recordSignature, type LiveIncidentRecord } from './print.js';

export type { LiveRunInfo };

/** Options of {@link runLive}. */
export interface LiveOptions {
  iface: string;
  /** BPF filter; '' for every frame (`--all`). */
  filter: string;
  /** Stop after this many seconds; undefined runs until aborted. */
  durationSec?: number;
  /** Aborting stops the capture cleanly (SIGINT/SIGTERM in the CLI). */
  signal?: AbortSignal;
  /** Keep frames (`--save`). */
  save?: Omit<SaveOptions, 'iface'>;
  /** Drop-counter report interval, ms. Default 10 000. */
  statsIntervalMs?: number;
  /** libpcap ring size, bytes (default DEFAULT_CAPTURE_BUFFER_BYTES, 64 MiB). */
  bufferBytes?: number;
  /** Capture inside this named network namespace (`ip netns exec NS`); default: our own. */
  netns?: string;
  /** Capture backend: `cap` (default, the cap package in a child process) or `tcpdump` (tcpdump.ts). */
  capture?: CaptureBackend;
  /** Subscribe to rtnetlink link events (default true). */
  links?: boolean;
  detect?: Partial<DetectOptions>;
  /** Tool version written into the analysis (default: package.json's). */
  version?: string;
  /** Each `reopen` event starts a new --save file (SIGHUP in the CLI, for logrotate). */
  reopen?: Pick<EventEmitter, 'on' | 'off'>;
}

/** Callbacks fired while the capture runs (all optional). */
export interface LiveSink {
  /** Capture started: frames sent from now on are seen. */
  onStart?(info: { iface: string; linkType: number; filter: string; links: boolean }): void;
  /** An incident appeared or changed in a way worth a line (see recordSignature). */
  onIncident?(record: LiveIncidentRecord): void;
  onLinkEvent?(event: LinkEvent): void;
  onStats?(stats: LiveCaptureStats): void;
  /** Non-fatal problems (e.g. netlink unavailable: correlation falls back to the capture). */
  onWarning?(message: string): void;
}


export interface LiveResult {
  analysis: Analysis;
  run: LiveRunInfo;
  /**
   * The last line handed to the sink for each incident, in order of first print; at most
   * {@link MAX_PRINTED_KEPT} incidents (the oldest go first). Not every line: a flapping bridge
   * prints an update per flip for days, each as long as the incident's MAC changes, and the sink
   * already received them all.
   */
  printed: LiveIncidentRecord[];
  /** Set when the capture ended on a fault (e.g. LIVE_INTERFACE_GONE); the analysis holds what was seen. */
  error?: BridgewatchError;
}

/** The minimum a link watcher offers (src/links `watchLinks`). */
interface LinkSubscription {
  /** When the first message that could not be parsed arrived: from then on the link record has a hole. */
  readonly firstMalformedAt: Timestamp | null;
  on(event: 'event', listener: (e: LinkEvent) => void): unknown;
  on(event: 'error', listener: (e: BridgewatchError) => void): unknown;
  close(): unknown;
}

/** How often a live run moves detection's clock without a frame, ms. */
const TICK_EVERY_MS = 500;
/** How far that clock stays behind the wall clock, ms (frames in flight from the capture process). */
const TICK_LAG_MS = 1_000;

/**
 * Where detection's clock may move on a tick. While frames keep coming, no further than the latest
 * frame's stamp: under a storm they may arrive more than {@link TICK_LAG_MS} after they were
 * stamped (kernel ring, capture queue), and a clock ahead of frames still to come would publish a
 * held change before the frame that makes it a clash. After a tick interval without a frame
 * nothing is backed up: the wall clock (`wallMs`, ms since the epoch) less the lag.
 */
export function tickTime(framesSinceLastTick: boolean, lastFrame: Timestamp, wallMs: number): Timestamp {
  const lagged = wallMs - TICK_LAG_MS;
  if (framesSinceLastTick && lastFrame.sec * 1000 + lastFrame.nsec / 1e6 < lagged) return { sec: lastFrame.sec, nsec: lastFrame.nsec };
  return { sec: Math.floor(lagged / 1000), nsec: Math.round((lagged % 1000) * 1e6) };
}

/** Incidents whose last record {@link LiveResult.printed} keeps. */
export const MAX_PRINTED_KEPT = 10_000;

/**
 * Link events kept for correlation (between this and twice this many, the newest): a host whose
 * guests start and stop all day makes two or three per guest start/stop, and memory must stay flat.
 */
export const MAX_LINK_EVENTS_KEPT = 10_000;

/**
 * Runs a live capture until `durationSec`, `signal`, or a fault. Rejects only when the capture
 * cannot start (LIVE_CAP_MISSING, LIVE_PERMISSION_DENIED, LIVE_NO_SUCH_INTERFACE,
 * LIVE_CAPTURE_FAILED); faults after the start come back as `error` with everything seen so far.
 */
export async function runLive(options: LiveOptions, sink: LiveSink = {}): Promise<LiveResult> {
  const startedAt = new Date();
  const printed = new Map<string, LiveIncidentRecord>();
  const signatures = new Map<string, string>();

  const emit = (incident: Incident, findings: readonly Finding[], phase: 'open' | 'update' | 'final'): void => {
    const record = incidentRecord(incident, findings, phase);
    const sig = recordSignature(record);
    const before = signatures.get(incident.id);
    if (phase !== 'final' && before === sig) return;
    if (phase !== 'final') record.phase = before === undefined ? 'open' : 'update';
    signatures.set(incident.id, sig);
    printed.set(incident.id, record);
    if (printed.size > MAX_PRINTED_KEPT) printed.delete(printed.keys().next().value!);
    sink.onIncident?.(record);
  };

  const pipeline = new AnalysisPipeline({
    inputs: [`live:${options.iface}`],
    ...(options.detect ? { detect: options.detect } : {}),
    maxLinkEvents: MAX_LINK_EVENTS_KEPT,
    onIncident: (incident, findings) => emit(incident, findings, 'open'),
    onWarning: (message) => sink.onWarning?.(message),
  });

  // Link events first (snapshot of the bridges, then changes), so a port join that happens while
  // the capture starts is not missed.
  let watcher: LinkSubscription | null = null;
  if (options.links !== false) {
    try {
      const w = await watchLinks();
      watcher = w;
      // rtnetlink reports every MAC change: from the snapshot on, which MAC each bridge held is known.
      pipeline.followBridgeMacs(w.snapshot, w.snapshotTime);
      w.on('event', (e: LinkEvent) => {
        pipeline.addLinkEvent(e);
        sink.onLinkEvent?.(e);
      });
      // Without a listener an 'error' event would throw; netlink trouble must not stop the capture.
      w.on('error', (e: BridgewatchError) => {
        pipeline.bridgeMacFeedLost();
        sink.onWarning?.(`link events: ${e.message}`);
      });
    } catch (e) {
      sink.onWarning?.(`link events unavailable (${isBridgewatchError(e) ? e.message : (e as Error).message}); causes are inferred from the capture alone`);
    }
  }

  let saver: RotatingPcapngSaver | null = null;
  let capture: LiveCapture;
  const backend: CaptureBackend = options.capture ?? 'cap';
  try {
    if (options.save) saver = new RotatingPcapngSaver({ ...options.save, iface: options.iface });
    const open = backend === 'tcpdump' ? openTcpdumpCapture : openLiveCapture;
    capture = await open(
      {
        iface: options.iface,
        filter: options.filter,
        ...(options.netns !== undefined ? { netns: options.netns } : {}),
        ...(options.statsIntervalMs !== undefined ? { statsIntervalMs: options.statsIntervalMs } : {}),
        ...(options.bufferBytes !== undefined ? { bufferBytes: options.bufferBytes } : {}),
      },
      {
        onPacket: (p: CapturePacket) => {
          saver?.write(p);
          pipeline.push(p);
        },
        onStats: (s) => sink.onStats?.(s),
      },
    );
  } catch (e) {
    watcher?.close();
    // Nothing was captured: do not leave a header-only evidence file behind.
    if (saver) { saver.close(); rmSync(options.save!.path, { force: true }); }
    throw e;
  }
  sink.onStart?.({ iface: options.iface, linkType: capture.linkType, filter: options.filter, links: watcher !== null });
  // A quiet link still moves detection's clock: a change held for clashWindowMs is announced when
  // its hold ends, not when the next frame happens to come. The clock never overtakes frames still
  // on their way from the capture (tickTime).
  let packetsAtLastTick = 0;
  const ticker = setInterval(() => {
    const { packets, latest } = pipeline.progress();
    const now = tickTime(packets !== packetsAtLastTick, latest, Date.now());
    packetsAtLastTick = packets;
    // A link message that could not be read may have been a bridge's MAC change.
    if (watcher !== null && watcher.firstMalformedAt !== null) pipeline.bridgeMacFeedLost(watcher.firstMalformedAt);
    try {
      pipeline.tick(now);
    } catch (e) {
      sink.onWarning?.(`detection clock: ${(e as Error).message}`);
    }
  }, TICK_EVERY_MS);
  const onReopen = (): void => {
    try { saver?.reopen(); } catch (e) { sink.onWarning?.(`reopening ${options.save?.path ?? ''} failed: ${(e as Error).message}`); }
  };
  options.reopen?.on('reopen', onReopen);

  // Wait for the first of: duration, abort, capture fault.
  let stoppedBy: LiveRunInfo['stoppedBy'] = 'signal';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopRequested = new Promise<void>((resolve) => {
    if (options.durationSec !== undefined) {
      timer = setTimeout(() => { stoppedBy = 'duration'; resolve(); }, options.durationSec * 1000);
    }
    if (options.signal) {
      if (options.signal.aborted) resolve();
      onAbort = () => { stoppedBy = 'signal'; resolve(); };
      options.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  const end: LiveCaptureEnd = await Promise.race([capture.ended, stopRequested.then(() => capture.stop())]);
  // The capture listened until now: a reply gap still open lasts until the stop, not the last event.
  const stoppedAtMs = Date.now();
  if (timer) clearTimeout(timer);
  clearInterval(ticker);
  if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  if (end.error) stoppedBy = end.error.code === 'LIVE_INTERFACE_GONE' ? 'interface-gone' : 'error';
  options.reopen?.off('reopen', onReopen);
  watcher?.close();

  let savedFiles: string[] = [];
  let saveError: BridgewatchError | undefined;
  try {
    savedFiles = saver?.close() ?? [];
  } catch (e) {
    saveError = isBridgewatchError(e) ? e : new BridgewatchError('REPORT_WRITE_FAILED', (e as Error).message, { file: options.save?.path ?? '' });
  }

  const info: CaptureInfo = {
    path: `live:${options.iface}`,
    format: 'live',
    gzip: false,
    linkTypes: [capture.linkType],
    interfaceNames: [options.iface],
    snapLengths: [backend === 'tcpdump' ? TCPDUMP_SNAPLEN : 65535],
  };
  const error = end.error ?? saveError;
  const run: LiveRunInfo = {
    iface: options.iface,
    filter: options.filter,
    capture: backend,
    started: isoOfDate(startedAt),
    ended: isoOfDate(new Date()),
    stoppedBy,
    stats: end.stats,
    savedFiles,
    rotations: saver?.rotations ?? 0,
    linksWatched: watcher !== null,
  };
  // The postmortem: close detection, correlate everything with every link event.
  const analysis: Analysis = {
    ...pipeline.finish({
      captures: [{ info, error: end.error }],
      end: { sec: Math.floor(stoppedAtMs / 1000), nsec: (stoppedAtMs % 1000) * 1e6 },
      ...(options.version !== undefined ? { version: options.version } : {}),
      recordOptions: {
        'live.iface': options.iface,
        'live.capture': backend,
        'live.filter': options.filter === '' ? '(all frames)' : options.filter,
        'live.stoppedBy': stoppedBy,
        'live.framesCaptured': end.stats.captured,
        'live.queueDrops': end.stats.queueDrops,
        'live.kernelDropsEstimate': end.stats.kernelDropsEstimate ?? 'unknown (filtered capture)',
        ...(end.stats.kernelDropsFrom !== undefined ? { 'live.kernelDropsFrom': end.stats.kernelDropsFrom } : {}),
        'live.linksWatched': watcher !== null,
      },
    }),
    live: run,
  };
  for (const incident of analysis.incidents) emit(incident, analysis.findings, 'final');
  return { analysis, run, printed: [...printed.values()], ...(error ? { error } : {}) };
}

function isoOfDate(d: Date): string {
  const ms = d.getTime();
  return toIso({ sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 });
}
