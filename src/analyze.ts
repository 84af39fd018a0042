/**
 * Offline analysis: reads captures (merged by time) and link logs and drives the
 * {@link AnalysisPipeline} with them. No console output; the CLI and other tools pick a reporter.
 */
import type { Analysis } from './analysis.js';
import type { LinkEvent, LinkLog } from './links/types.js';
import { readCaptures, type CaptureInput } from './capture/index.js';
import { inputPath } from './capture/source.js';
import type { DetectOptions } from './detect/options.js';
import { readLinkLogs, type LinkLogOptions } from './links/index.js';
import type { CorrelateOptions } from './correlate/index.js';
import { AnalysisPipeline, type PipelineIncidentListener } from './pipeline/index.js';

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
  /** Called as incidents open and change, while the captures are read (with their cause so far). */
  onIncident?: PipelineIncidentListener;
  /** Stops reading between chunks; the analysis then covers what was read. */
  signal?: AbortSignal;
  /** Called once per packet read (drives the CLI's progress line). */
  onPacket?: () => void;
}

/**
 * Analyses capture files (`-` = stdin). A fault in one capture does not throw: that capture's
 * summary carries `error` and everything read before the fault is analysed. Link logs that
 * cannot be read do throw (a BridgewatchError), before any capture is read.
 */
export async function analyzeCaptures(paths: Array<CaptureInput>, options: AnalyzeOptions = {}): Promise<Analysis> {
  const logs: LinkLog[] = options.linkLogs && options.linkLogs.length > 0
    ? (await readLinkLogs(options.linkLogs, options.linkLogOptions)).logs : [];
  const pipeline = new AnalysisPipeline({
    inputs: paths.map(inputPath),
    ...(options.detect ? { detect: options.detect } : {}),
    ...(options.correlate ? { correlate: options.correlate } : {}),
    ...(options.onIncident ? { onIncident: options.onIncident } : {}),
  });
  for (const e of options.links ?? []) pipeline.addLinkEvent(e);
  const onPacket = options.onPacket;
  const results = await readCaptures(paths, (packet) => {
    onPacket?.();
    pipeline.push(packet);
  }, options.signal ? { signal: options.signal } : {});
  return pipeline.finish({ captures: results, linkLogs: logs });
}
