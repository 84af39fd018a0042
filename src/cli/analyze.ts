/**
 * `bridgewatch analyze <capture...>`: detect bridge MAC flips, clashes, outages and storms in
 * capture files (merged by time), explain them with optional link logs, print a table or the
 * `bridgewatch/1` JSON/NDJSON (docs/schema.md), and optionally write reports.
 * Exit: 0 no incident at/above --fail-on (default warning), 1 otherwise, 2 on an error (one line on
 * stderr naming file and byte offset; whatever was read before the fault is still analysed and
 * printed).
 */
import type { Command } from 'commander';
import { analyzeCaptures } from '../analyze.js';
import { BridgewatchError } from '../errors.js';
import { DEFAULT_DETECT_OPTIONS, type DetectOptions } from '../detect/options.js';
import type { CorrelateOptions } from '../correlate/index.js';
import { toJson } from '../report/json.js';
import { toNdjson } from '../report/ndjson.js';
import { renderTable, shouldUseColor } from '../report/table.js';
import { addReportOptions, emitReportOutputs, type ReportCliOptions } from './report-options.js';
import { ProgressBar, trackedInputs } from '../report/progress.js';
import { planFromAnalysis } from '../fixer/index.js';
import { addLinkLogOptions, linkLogOptionsFrom, type LinkCliOptions } from './links.js';

interface AnalyzeCliOptions extends ReportCliOptions, LinkCliOptions {
  format: string;
  links?: string[];
  tz?: string;
  set?: string[];
}

/** `--set` names that tune correlation rather than detection. */
const CORRELATE_SETTINGS = ['correlationWindowMs'] as const;

/** Parses `--set name=value` pairs into detection and correlation options (USAGE error on anything unknown). */
export function parseSettings(pairs: string[] = []): { detect: Partial<DetectOptions>; correlate: Partial<CorrelateOptions> } {
  const detect: Partial<DetectOptions> = {};
  const correlate: Partial<CorrelateOptions> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)=(\d+(?:\.\d+)?)$/.exec(pair.trim());
    if (m && (CORRELATE_SETTINGS as readonly string[]).includes(m[1]!)) {
      correlate[m[1] as (typeof CORRELATE_SETTINGS)[number]] = Number(m[2]);
      continue;
    }
    if (!m || !(m[1]! in DEFAULT_DETECT_OPTIONS)) {
      const names = [...Object.keys(DEFAULT_DETECT_OPTIONS), ...CORRELATE_SETTINGS].join(', ');
      throw new BridgewatchError('USAGE', `--set expects NAME=NUMBER with NAME one of ${names} (got "${pair}")`);
    }
    detect[m[1] as keyof DetectOptions] = Number(m[2]);
  }
  return { detect, correlate };
}

export function register(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('analyze')
    .description('find bridge MAC flips, IP clashes, reply-gap outages and ARP storms in captures')
    .argument('<capture...>', 'pcap/pcapng files (gzip ok, - for stdin), merged by time')
    .option('--format <format>', 'table, json or ndjson (bridgewatch/1, docs/schema.md)', 'table')
    .option('--links <file...>', 'link logs to explain incidents: ip -ts monitor link, bridge -timestamp monitor link, dmesg, journalctl, syslog')
    .option('--tz <zone>', 'time zone of link-log timestamps printed without one (default UTC)')
    .option('--set <name=value...>', 'detection option, e.g. gapThresholdMs=500 (see docs/schema.md)');
  addLinkLogOptions(cmd);
  addReportOptions(cmd).action(async (paths: string[], opts: AnalyzeCliOptions) => {
    if (opts.format !== 'table' && opts.format !== 'json' && opts.format !== 'ndjson') {
      throw new BridgewatchError('USAGE', `--format must be table, json or ndjson (got "${opts.format}")`);
    }
    // Progress on stderr (bytes, packets, rate; stdin too): TTY only, not in CI (src/report/progress.ts).
    const settings = parseSettings(opts.set);
    const progress = new ProgressBar('bridgewatch: reading');
    const analysis = await analyzeCaptures(progress.enabled ? trackedInputs(paths, progress) : paths, {
      detect: settings.detect,
      correlate: settings.correlate,
      ...(opts.links ? { linkLogs: opts.links } : {}),
      linkLogOptions: linkLogOptionsFrom(opts),
      ...(progress.enabled ? { onPacket: () => progress.packet() } : {}),
    }).finally(() => progress.done());
    const json = toJson(analysis);
    const outputs = await emitReportOutputs(analysis, paths, opts, { json, plan: planFromAnalysis(analysis) });
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    else if (opts.format === 'ndjson') process.stdout.write(toNdjson(analysis));
    else process.stdout.write(renderTable(analysis, { color: shouldUseColor(process.stdout) }));
    for (const path of outputs.written) process.stderr.write(`bridgewatch: wrote ${path}\n`);
    setExit(outputs.exitCode);
    for (const c of analysis.captures) {
      if (c.error) {
        process.stderr.write(`bridgewatch: ${c.error.message}\n`);
        setExit(2);
      }
    }
  });
}
