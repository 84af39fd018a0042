/**
 * `bridgewatch analyze <capture...>`: detect bridge MAC flips, clashes, outages and storms in
 * capture files (merged by time), explain them with optional link logs, print a table or the
 * `bridgewatch/1` JSON/NDJSON (docs/schema.md), and optionally write reports. `--ip`, `--vlan`,
 * `--mac` narrow what is reported (src/filter.ts), not what is detected.
 * Exit: 0 no incident at/above --fail-on (default warning), 1 otherwise, 2 on an error (one line on
 * stderr naming file and byte offset; whatever was read before the fault is still analysed and
 * printed; when nothing could be read, there is no verdict at all).
 */
import type { Command } from 'commander';
import { analyzeCaptures } from '../analyze.js';
import { BridgewatchError } from '../errors.js';
import { describeFilter, filterAnalysis, normalizeFilter, parseVlan } from '../filter.js';
import { parseSettings } from './settings.js';
import { capturesInOrder, checkCaptures, collect, rawArgsOf, splitLegacyLinkLogs } from './analyze-args.js';
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
    const raw = rawArgsOf(command);
    const legacy = splitLegacyLinkLogs(capturesInOrder(given, opts, raw), raw);
    const paths = legacy.captures;
    if (legacy.linkLogs.length > 0) {
      opts.links = [...opts.links, ...legacy.linkLogs];
      process.stderr.write(`bridgewatch: note: ${legacy.linkLogs.join(', ')} read as link log(s); give each with its own --links\n`);
    }
    checkCaptures(paths);
    const settings = parseSettings(opts.set);
    const filter = normalizeFilter({ ips: opts.ip, vlans: opts.vlan.map(parseVlan), macs: opts.mac });
    // Progress on stderr (bytes, packets, rate; stdin too): TTY only, not in CI (src/report/progress.ts).
    const progress = new ProgressBar('bridgewatch: reading');
    const full = await analyzeCaptures(progress.enabled ? trackedInputs(paths, progress) : paths, {
      detect: settings.detect,
      correlate: settings.correlate,
      ...(opts.links.length > 0 ? { linkLogs: opts.links } : {}),
      linkLogOptions: linkLogOptionsFrom(opts),
      ...(progress.enabled ? { onPacket: () => progress.packet() } : {}),
    }).finally(() => progress.done());
    const failed = full.captures.filter((c) => c.error);
    for (const c of failed) process.stderr.write(`bridgewatch: ${c.error!.message}\n`);
    if (failed.length > 0) setExit(2);
    // Nothing read at all: no verdict ("no incidents in 0 packets" would read as a clean bill).
    if (full.captures.every((c) => c.error && c.packets === 0)) return;
    if (failed.length > 0 && full.captures.length > 1) {
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
    if (analysis.filter && opts.format === 'table') {
      // The table does not say it was narrowed: a line on stderr, so "No incidents" is not misread.
      process.stderr.write(`bridgewatch: display filter ${describeFilter(analysis.filter)}: ` +
        `${analysis.incidents.length} of ${full.incidents.length} incident(s) shown\n`);
    }
    for (const path of outputs.written) process.stderr.write(`bridgewatch: wrote ${path}\n`);
    setExit(outputs.exitCode);
  });
}
