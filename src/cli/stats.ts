/**
 * `bridgewatch stats <capture...>`: what is in each capture (format, link types, packets, bytes,
 * time span, ARP/NDP/STP/VLAN counts, anomalies). Table by default, `--format json` for data.
 * On a fault, prints what was read, then one line on stderr, exit 2.
 */
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CaptureSummary } from '../analysis.js';
import { readCaptures } from '../capture/index.js';
import { CaptureStats } from '../pipeline/capture-stats.js';
import { decodePacket, REUSE_EVENTS } from '../decode/index.js';
import { BridgewatchError } from '../errors.js';
import { toIso } from '../time.js';
import { captureToJson, SCHEMA } from '../report/json.js';

/** Reads each capture on its own (one summary per file, no merge needed) and summarises it. */
export async function captureStats(paths: string[]): Promise<CaptureSummary[]> {
  const summaries: CaptureSummary[] = [];
  for (const path of paths) {
    const stats = new CaptureStats(path);
    const [result] = await readCaptures([path], (p) => stats.add(p, decodePacket(p, REUSE_EVENTS)));
    summaries.push(stats.finish(result!.info, result!.error));
  }
  return summaries;
}

const LINKTYPE_NAMES: Record<number, string> = { 1: 'EN10MB', 101: 'RAW', 113: 'LINUX_SLL', 228: 'IPV4', 229: 'IPV6', 276: 'LINUX_SLL2' };

function linkTypeName(t: number): string {
  return LINKTYPE_NAMES[t] ?? String(t);
}

/** The table shown by default. */
export function renderStatsTable(summaries: CaptureSummary[]): string {
  const table = new Table({
    head: ['capture', 'format', 'link types', 'packets', 'bytes', 'first', 'last', 'ARP', 'NDP', 'STP', 'IP', 'VLAN', 'anomalies'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    const anomalies = Object.entries(s.anomalies).map(([code, n]) => `${code} ${n}`).join('\n') || '0';
    table.push([
      s.path + (s.error ? ' (stopped)' : ''),
      // Nothing was recognised (bad magic, unreadable): the format field holds only its default.
      s.linkTypes.length === 0 && s.error ? '-' : s.format + (s.gzip ? '+gzip' : ''),
      s.linkTypes.map(linkTypeName).join(', '),
      s.packets, s.bytes,
      s.first ? toIso(s.first) : '-',
      s.last ? toIso(s.last) : '-',
      s.arp, s.ndp, s.stp, s.ip, s.vlanTagged, anomalies,
    ]);
  }
  return table.toString();
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('stats')
    .description('summarise capture files: format, link types, packets, time span, ARP/NDP/STP/VLAN, anomalies')
    .argument('<capture...>', 'pcap/pcapng files, gzip ok, - for stdin')
    .option('--format <format>', 'table or json', 'table')
    .action(async (paths: string[], opts: { format: string }) => {
      if (opts.format !== 'table' && opts.format !== 'json') {
        throw new BridgewatchError('USAGE', `--format must be table or json, not ${opts.format}`);
      }
      const summaries = await captureStats(paths);
      process.stdout.write(opts.format === 'json'
        ? `${JSON.stringify({ schema: SCHEMA, captures: summaries.map(captureToJson) }, null, 2)}\n`
        : `${renderStatsTable(summaries)}\n`);
      for (const s of summaries) {
        if (s.error) {
          process.stderr.write(`bridgewatch: ${s.error.message}\n`);
          setExit(2);
        }
      }
    });
}
