/**
 * `live --metrics-listen` / `--metrics-textfile`: builds the metric set of the run, starts the
 * endpoint, writes the textfile at start, every --stats-interval and at exit. Kept out of live.ts
 * so that file stays about capture and printing.
 */
import type { LinkEvent } from '../links/types.js';
import type { LiveCaptureStats } from '../live/capture.js';
import type { LiveIncidentRecord } from '../live/print.js';
import {
  bridgesWatchedBy, LiveMetrics, parseListen, startMetricsServer, TextfileWriter, withProcessMetrics,
  type ListenAddress, type MetricsServer,
} from '../metrics/index.js';

/** The metric outputs of one run; every method is a no-op when neither output was asked for. */
export interface LiveMetricsOutputs {
  /** Scrape URL when --metrics-listen is on. */
  readonly url: string | null;
  onIncident(record: LiveIncidentRecord): void;
  onLinkEvent(event: LinkEvent): void;
  /** Periodic stats: also rewrites the textfile. */
  onStats(stats: LiveCaptureStats): void;
  /** Final counters, last textfile write, endpoint closed. */
  finish(stats: LiveCaptureStats | null): Promise<void>;
}

/** Parses the options early (USAGE errors before any capture starts). */
export function parseMetricsOptions(listen: string | undefined): ListenAddress | null {
  return listen === undefined ? null : parseListen(listen);
}

/**
 * Starts what was asked for. Throws (exit 2) when the endpoint cannot listen or the textfile
 * cannot be written: better now than a silent gap in the graphs.
 */
export async function startLiveMetrics(
  iface: string,
  listen: ListenAddress | null,
  textfile: string | undefined,
  warn: (message: string) => void,
): Promise<LiveMetricsOutputs> {
  if (listen === null && textfile === undefined) {
    return { url: null, onIncident() {}, onLinkEvent() {}, onStats() {}, finish: async () => {} };
  }
  const metrics = new LiveMetrics({ iface, bridges: bridgesWatchedBy(iface) });
  let server: MetricsServer | null = null;
  let writer: TextfileWriter | null = null;
  if (textfile !== undefined) {
    writer = new TextfileWriter(textfile, () => metrics.exposition());
    if (!writer.collectorReads) warn(`--metrics-textfile ${textfile}: node_exporter's textfile collector only reads files ending in .prom`);
    await writer.write();
  }
  if (listen !== null) {
    if (!listen.loopback) warn(`metrics endpoint on ${listen.host}:${listen.port} is reachable from the network (it names bridges and ports); use 127.0.0.1 unless a firewall guards it`);
    const registry = withProcessMetrics(metrics.registry);
    server = await startMetricsServer(listen, () => registry.metrics());
  }
  // Textfile writes after the first are best effort: a full disk must not stop the capture.
  let writing = false;
  const rewrite = async (): Promise<void> => {
    if (!writer || writing) return;
    writing = true;
    try {
      await writer.write();
    } catch (e) {
      warn(`metrics textfile: ${(e as Error).message}`);
    } finally {
      writing = false;
    }
  };
  return {
    url: server?.url ?? null,
    onIncident: (r) => metrics.onIncident(r),
    onLinkEvent: (e) => metrics.onLinkEvent(e),
    onStats: (s) => { metrics.onStats(s); void rewrite(); },
    finish: async (stats) => {
      if (stats) metrics.onStats(stats);
      while (writing) await new Promise((r) => setTimeout(r, 5));
      await rewrite();
      await server?.close();
    },
  };
}
