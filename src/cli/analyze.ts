/**
 * `bridgewatch analyze <capture...>`: detect bridge MAC flips, clashes, outages and storms in
 * capture files (merged by time), explain them with optional link logs, print a table or the
 * `bridgewatch/1` JSON/NDJSON (docs/schema.md), and optionally write reports.
 * Exit: 0 no incident at/above --fail-on (default warning), 1 otherwise, 2 on an error (one line on
 * stderr naming file and byte offset; whatever was read before the fault is still analysed and
 * printed).
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { analyzeCaptures } from '../analyze.js';
import { BridgewatchError } from '../errors.js';
import { filterAnalysis, normalizeFilter, parseVlan } from '../filter.js';
import { parseSettings } from './settings.js';
import { toJson } from '../report/json.js';
import { toNdjson } from '../report/ndjson.js';
import { renderTable, shouldUseColor } from '../report/table.js';
import { addReportOptions, emitReportOutputs, type ReportCliOptions } from './report-options.js';
import { ProgressBar, trackedInputs } from '../report/progress.js';
import { planFromAnalysis } from '../fixer/index.js';
import { addLinkLogOptions, linkLogOptionsFrom, type LinkCliOptions } from './links.js';

interface AnalyzeCliOptions extends ReportCliOptions, LinkCliOptions {
  format: string;
  links: string[];
  tz?: string;
  set: string[];
  ip: string[];
  vlan: string[];
  mac: string[];
}

/** Commander collector for repeatable options: each use takes exactly one value. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The captures in command-line order. `--report [DIR]` takes the next word as its folder, so
 * `analyze --report x.pcap` would eat the capture: a value that names an existing file (not a
 * folder) is given back to the captures, in its place, and the report goes to the default folder.
 */
export function capturesInOrder(paths: string[], opts: ReportCliOptions, rawArgs: readonly string[]): string[] {
  if (typeof opts.report !== 'string' || !isExistingFile(opts.report)) return paths;
  const eaten = opts.report;
  opts.report = true;
  const words = new Set([...paths, eaten]);
  const ordered = rawArgs.filter((a) => words.has(a));
  return ordered.length === paths.length + 1 ? ordered : [eaten, ...paths];
}

/** The words the program was started with (commander keeps them on the root command, untyped). */
function rawArgsOf(command: Command): readonly string[] {
  let root: Command = command;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: unknown }).rawArgs;
  return Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : [];
}

function isExistingFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Checks the capture list: at least one, stdin at most once (one line USAGE error). */
function checkCaptures(paths: string[]): void {
  if (paths.length === 0) throw new BridgewatchError('USAGE', 'analyze: give at least one capture file (- for stdin)');
  if (paths.filter((p) => p === '-').length > 1) {
    throw new BridgewatchError('USAGE', 'analyze: stdin (-) can be read only once; give it a single time');
  }
}

export function register(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('analyze')
    .description('find bridge MAC flips, IP clashes, reply-gap outages and ARP storms in captures')
    .argument('[capture...]', 'pcap/pcapng files (gzip ok, - for stdin), merged by time')
    .option('--format <format>', 'table, json or ndjson (bridgewatch/1, docs/schema.md)', 'table')
    .option('--links <file>', 'a link log to explain incidents (repeat for several): ip -ts monitor link, ' +
      'bridge -timestamp monitor link, dmesg, journalctl, syslog', collect, [])
    .option('--tz <zone>', 'time zone of link-log timestamps printed without one (default UTC)')
    .option('--set <name=value>', 'detection option (repeatable), e.g. gapThresholdMs=500 (see docs/schema.md)', collect, [])
    .option('--ip <addr>', 'report only incidents and findings involving this IP (repeatable)', collect, [])
    .option('--vlan <id>', 'report only incidents and findings on this VLAN, 0 = untagged (repeatable)', collect, [])
    .option('--mac <mac>', 'report only incidents and findings involving this MAC (repeatable)', collect, []);
  addLinkLogOptions(cmd);
  addReportOptions(cmd).action(async (given: string[], opts: AnalyzeCliOptions, command: Command) => {
    if (opts.format !== 'table' && opts.format !== 'json' && opts.format !== 'ndjson') {
      throw new BridgewatchError('USAGE', `--format must be table, json or ndjson (got "${opts.format}")`);
    }
    const paths = capturesInOrder(given, opts, rawArgsOf(command));
    checkCaptures(paths);
    const settings = parseSettings(opts.set);
    const filter = normalizeFilter({ ips: opts.ip, vlans: opts.vlan.map(parseVlan), macs: opts.mac });
    // Progress on stderr for long captures: TTY only, not in CI (src/report/progress.ts).
    const progress = new ProgressBar('bridgewatch: reading');
    const full = await analyzeCaptures(progress.enabled ? trackedInputs(paths, progress) : paths, {
      detect: settings.detect,
      correlate: settings.correlate,
      ...(opts.links.length > 0 ? { linkLogs: opts.links } : {}),
      linkLogOptions: linkLogOptionsFrom(opts),
    }).finally(() => progress.done());
    const failed = full.captures.filter((c) => c.error);
    for (const c of failed) process.stderr.write(`bridgewatch: ${c.error!.message}\n`);
    if (failed.length > 0) setExit(2);
    // Nothing read at all: no verdict ("no incidents in 0 packets" would read as a clean bill).
    if (full.captures.every((c) => c.error && c.packets === 0)) return;
    if (failed.length > 0) {
      const read = full.captures.filter((c) => c.packets > 0).map((c) => `${c.path} (${c.packets} packets)`);
      process.stderr.write(`bridgewatch: results cover only what was read: ${read.join(', ')}; ` +
        `failed: ${failed.map((c) => c.path).join(', ')}\n`);
    }
    const analysis = filterAnalysis(full, filter);
    const json = toJson(analysis);
    const outputs = await emitReportOutputs(analysis, paths, opts, { json, plan: planFromAnalysis(analysis) });
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    else if (opts.format === 'ndjson') process.stdout.write(toNdjson(analysis));
    else process.stdout.write(renderTable(analysis, { color: shouldUseColor(process.stdout) }));
    for (const path of outputs.written) process.stderr.write(`bridgewatch: wrote ${path}\n`);
    setExit(outputs.exitCode);
  });
}
