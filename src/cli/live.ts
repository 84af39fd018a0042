/**
 * `bridgewatch live [-i IFACE] [--bpf FILTER] [--all] [--duration S] [--format table|ndjson]
 * [--report DIR] [--save FILE.pcapng --save-max-mb N --save-files K] [--fail-on LEVEL]
 * [--metrics-listen ADDR] [--metrics-textfile FILE]`: capture on the host, print each incident the
 * moment it is known, and write the postmortem when stopped (duration, SIGINT, SIGTERM, or the
 * interface vanishing). Exit 0; 1 when an incident at or above --fail-on happened (default never,
 * so a service stopped by SIGTERM exits 0); 2 on an error (one line on stderr; the report of what
 * was seen is still written).
 */
import { Option, type Command } from 'commander';
import { BridgewatchError } from '../errors.js';
import { DEFAULT_BPF } from '../live/capture.js';
import { CAPTURE_BACKENDS, TCPDUMP_SNAPLEN, type CaptureBackend } from '../live/tcpdump.js';
import { defaultInterface } from '../live/default-iface.js';
import { runLive, type LiveResult, type LiveRunInfo, type LiveSink } from '../live/session.js';
import { filterAnalysis, incidentLineMatches, isFilterActive, normalizeFilter, parseVlan, type DisplayFilter } from '../filter.js';
import { collect } from './analyze-args.js';
import { incidentRow, kernelDropAdvice, linkLine, linkRecord, statsLine, TABLE_HEADER } from '../live/print.js';
import { planOnHost } from '../fixer/index.js';
import { writeReports } from '../report/write.js';
import { SCHEMA, toJson } from '../report/json.js';
import { linkEventRecord } from '../report/ndjson.js';
import { vendorOf } from '../net/oui.js';
import { exitCodeFor, type FailOn } from '../report/exit.js';
import { failOnOption } from './fail-on.js';
import { resolveLogTarget, SystemLog, systemLogSink, teeSinks } from '../journal/index.js';
import { pruneReports, stampedReportName } from '../service/reports.js';
import { EventEmitter } from 'node:events';

interface LiveCliOptions {
  interface?: string;
  bpf?: string;
  all?: boolean;
  duration?: string;
  format: string;
  report?: string;
  name?: string;
  force?: boolean;
  save?: string;
  saveMaxMb: string;
  saveFiles: string;
  statsInterval: string;
  bufferMb: string;
  /** Checked by commander (choices). */
  capture: CaptureBackend;
  links: boolean;
  failOn: FailOn;
  metricsListen?: string;
  metricsTextfile?: string;
  log: string;
  keepReports?: string;
  maxReportAge?: string;
  ip: string[];
  vlan: string[];
  mac: string[];
}

function positive(value: string, what: string, integer = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new BridgewatchError('USAGE', `${what} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return n;
}

/** JSON form of the run facts (MAC-free; counters and files). */
function runJson(run: LiveRunInfo): object {
  return { ...run };
}

/** The sink with incident lines outside the display filter (--ip, --vlan, --mac) left out. */
function onlyMatching(filter: DisplayFilter, sink: LiveSink): LiveSink {
  if (!isFilterActive(filter)) return sink;
  return { ...sink, onIncident: (record) => { if (incidentLineMatches(record, filter)) sink.onIncident?.(record); } };
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('live')
    .description('capture on a bridge and report incidents as they happen (needs root or CAP_NET_RAW)')
    .option('-i, --interface <iface>', 'interface to capture on (default: the bridge carrying the default route, else br0)')
    .option('--bpf <filter>', `BPF capture filter (default: ${DEFAULT_BPF})`)
    .option('--all', 'capture every frame (needed to see traffic sent to a stale MAC)')
    .option('--duration <seconds>', 'stop after this many seconds (default: until SIGINT/SIGTERM)')
    .option('--format <format>', 'table or ndjson (one JSON object per line)', 'table')
    .option('--report <dir>', 'write the postmortem (Markdown, HTML, JSON) into this folder when stopped')
    .option('--name <name>', 'base name of the report files (default: live-IFACE)')
    .option('--force', 'overwrite existing report files')
    .option('--save <file>', 'keep the captured frames in this pcapng file (rotated)')
    .option('--save-max-mb <mb>', 'rotate --save files at this size, MiB', '100')
    .option('--save-files <k>', 'number of --save files kept, including the current one', '5')
    .option('--stats-interval <seconds>', 'how often to report drop counters', '10')
    .option('--buffer-mb <mb>',
      'libpcap ring size, MiB (cap captures frames whole: 64 MiB is ~1000 slots of 128 KiB, ~10 ms at 100k frames/s; ' +
      `tcpdump keeps ${TCPDUMP_SNAPLEN} bytes a frame: 64 MiB is ~100 000 slots, ~1 s)`, '64')
    .addOption(new Option('--capture <backend>',
      `capture backend: cap (the cap package) or tcpdump (runs tcpdump -s ${TCPDUMP_SNAPLEN}: small ring slots, exact kernel drop counts; needs tcpdump installed)`)
      .choices(CAPTURE_BACKENDS).default('cap'))
    .option('--no-links', 'do not subscribe to rtnetlink link events')
    .addOption(failOnOption('an incident that happened', 'never'))
    .option('--metrics-listen <addr>', 'serve Prometheus metrics on http://ADDR/metrics (PORT, HOST:PORT or [IPV6]:PORT; a bare port is 127.0.0.1)')
    .option('--metrics-textfile <file>', 'write Prometheus metrics to this file (node_exporter textfile collector, *.prom) every --stats-interval and at exit')
    .option('--log <target>', 'also send incidents and link events to the system log: none, auto, journald, syslog, syslog:SOCKET, udp://HOST:PORT', 'none')
    .option('--keep-reports <n>', 'stamp each --report with the stop time and keep the newest N runs')
    .option('--max-report-age <days>', 'stamp each --report with the stop time and remove runs older than this')
    .option('--ip <addr>', 'report only incidents involving this IP (repeatable)', collect, [])
    .option('--vlan <id>', 'report only incidents on this VLAN, 0 = untagged (repeatable)', collect, [])
    .option('--mac <mac>', 'report only incidents involving this MAC (repeatable)', collect, [])
    .action(async (opts: LiveCliOptions) => {
      if (opts.format !== 'table' && opts.format !== 'ndjson') {
        throw new BridgewatchError('USAGE', `--format must be table or ndjson, got "${opts.format}"`);
      }
      if (opts.all && opts.bpf !== undefined) throw new BridgewatchError('USAGE', '--all and --bpf exclude each other');
      const capture = opts.capture;
      const ndjson = opts.format === 'ndjson';
      const displayFilter = normalizeFilter({ ips: opts.ip, vlans: opts.vlan.map(parseVlan), macs: opts.mac });
      const failOn = opts.failOn;
      // Loaded here, not at the top: it pulls prom-client (~35 ms CPU), which no other command needs.
      const { parseMetricsOptions, startLiveMetrics } = await import('./live-metrics.js');
      const metricsListen = parseMetricsOptions(opts.metricsListen);
      const iface = opts.interface ?? defaultInterface();
      const filter = opts.all ? '' : (opts.bpf ?? DEFAULT_BPF);
      const durationSec = opts.duration === undefined ? undefined : positive(opts.duration, '--duration');
      const statsIntervalMs = positive(opts.statsInterval, '--stats-interval') * 1000;
      const bufferBytes = Math.round(positive(opts.bufferMb, '--buffer-mb') * 1024 * 1024);
      if (bufferBytes >= 2 ** 31) throw new BridgewatchError('USAGE', `--buffer-mb must be below 2048, got "${opts.bufferMb}"`);
      const save = opts.save === undefined ? undefined : {
        path: opts.save,
        maxBytes: positive(opts.saveMaxMb, '--save-max-mb') * 1024 * 1024,
        files: positive(opts.saveFiles, '--save-files', true),
      };

      const keepReports = opts.keepReports === undefined ? undefined : positive(opts.keepReports, '--keep-reports', true);
      const maxReportAgeDays = opts.maxReportAge === undefined ? undefined : positive(opts.maxReportAge, '--max-report-age');
      const logTarget = resolveLogTarget(opts.log);
      const systemLog = logTarget ? new SystemLog(logTarget, (m) => process.stderr.write(`bridgewatch: warning: ${m}\n`)) : null;

      const warn = (message: string): void => {
        if (ndjson) write(JSON.stringify({ schema: SCHEMA, type: 'warning', time: new Date().toISOString(), message }));
        else process.stderr.write(`bridgewatch: warning: ${message}\n`);
      };
      const metrics = await startLiveMetrics(iface, metricsListen, opts.metricsTextfile, warn);
      if (metrics.url !== null && !ndjson) process.stderr.write(`bridgewatch: metrics on ${metrics.url}\n`);

      // SIGINT/SIGTERM stop the capture cleanly; the postmortem is then written. SIGHUP starts a
      // new --save file (logrotate) instead of killing the process.
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      const reopen = new EventEmitter();
      const hangup = (): void => { reopen.emit('reopen'); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.on('SIGHUP', hangup);
      let result: LiveResult;
      try {
        result = await runLive(
          {
            iface, filter, signal: controller.signal, statsIntervalMs, bufferBytes, capture, links: opts.links,
            ...(durationSec !== undefined ? { durationSec } : {}),
            ...(save ? { save } : {}),
            reopen,
          },
          onlyMatching(displayFilter, teeSinks({
            onStart: (info) => {
              if (ndjson) {
                write(JSON.stringify({
                  schema: SCHEMA, type: 'start', time: new Date().toISOString(), iface: info.iface, filter: info.filter, linkType: info.linkType, links: info.links,
                  ...(metrics.url !== null ? { metrics: metrics.url } : {}),
                }));
              } else {
                process.stderr.write(`bridgewatch: live on ${info.iface} (${info.filter === '' ? 'all frames' : `filter: ${info.filter}`}); stop with Ctrl-C\n`);
                if (process.stdout.isTTY) write(TABLE_HEADER);
              }
            },
            onIncident: (record) => {
              metrics.onIncident(record);
              write(ndjson ? JSON.stringify(record) : incidentRow(record));
            },
            onLinkEvent: (event) => {
              metrics.onLinkEvent(event);
              // Only joins, leaves and MAC changes get a line; every event feeds correlation.
              const r = linkRecord(event);
              if (r) write(ndjson ? JSON.stringify(linkEventRecord(event)) : linkLine(r));
            },
            onStats: (s) => {
              metrics.onStats(s);
              if (ndjson) write(JSON.stringify({ schema: SCHEMA, type: 'stats', iface, time: new Date().toISOString(), ...s }));
              else process.stderr.write(`${statsLine(iface, s)}\n`);
            },
            onWarning: warn,
          }, systemLog ? systemLogSink(systemLog, iface) : undefined)),
        );
      } catch (e) {
        await metrics.finish(null);
        throw e;
      } finally {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
        process.removeListener('SIGHUP', hangup);
        await systemLog?.close();
      }
      await metrics.finish(result.run.stats);
      const advice = kernelDropAdvice(opts.capture, result.run.stats, bufferBytes);
      if (advice !== null) warn(advice);

      const { run } = result;
      const analysis = filterAnalysis(result.analysis, displayFilter);
      let reportPaths: string[] = [];
      let reportError: unknown;
      if (opts.report !== undefined) {
        try {
          // live runs on the host: its own network configuration says which stack pins the bridge.
          const plan = await planOnHost(analysis, iface);
          const rotate = keepReports !== undefined || maxReportAgeDays !== undefined;
          const base = opts.name ?? `live-${iface}`;
          const written = writeReports(analysis, opts.report, {
            ...(opts.force ? { force: true } : {}),
            name: rotate ? stampedReportName(base, new Date()) : base,
            plan,
            json: { ...toJson(analysis), live: runJson(run) },
            vendorOf,
          });
          reportPaths = [written.markdown, written.html, written.json];
          if (rotate) {
            pruneReports(opts.report, base, {
              ...(keepReports !== undefined ? { keep: keepReports } : {}),
              ...(maxReportAgeDays !== undefined ? { maxAgeDays: maxReportAgeDays } : {}),
            });
          }
        } catch (e) {
          reportError = e;
        }
      }

      if (ndjson) {
        write(JSON.stringify({
          schema: SCHEMA, type: 'end', time: new Date().toISOString(), iface, stoppedBy: run.stoppedBy, incidents: analysis.incidents.length,
          stats: run.stats, savedFiles: run.savedFiles, reports: reportPaths,
          ...(result.error ? { error: result.error.toJSON() } : {}),
        }));
      } else {
        process.stderr.write(`${statsLine(iface, run.stats)}\n`);
        process.stderr.write(`bridgewatch: stopped (${run.stoppedBy}) after ${run.stats.received} frames; ${analysis.incidents.length} incident(s)` +
          `${run.savedFiles.length ? `; frames saved in ${run.savedFiles.join(', ')}` : ''}${reportPaths.length ? `; report: ${reportPaths.join(', ')}` : ''}\n`);
      }
      if (result.error) {
        process.stderr.write(`bridgewatch: ${result.error.message}\n`);
        setExit(2);
      }
      setExit(exitCodeFor(analysis, failOn));
      if (reportError) throw reportError;
    });
}

