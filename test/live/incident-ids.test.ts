/**
 * `bridgewatch live` keeps an incident's id from the first line it prints to the final report
 * (issue 16 item 5). Two silent MAC changes are replayed into a private namespace so that the
 * incident that starts first is recognised second: the report lists incidents in start order, and
 * each must still carry the id its first NDJSON line gave it. Failed on main at b1d288e, where the
 * postmortem renumbered incidents in start order (the report called .10's incident I1, the
 * line printed when it opened said I2). Runs the built CLI; needs root (runs in CI).
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { classicPcapFile } from '../pcap-file.js';
import { hex, namespaceSkipReason, useVethNamespace, type VethNamespace, waitFor } from './helpers.js';

const skip = namespaceSkipReason('test/live/incident-ids');
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/bridgewatch.js');

/** Broadcast ARP request (RFC 826) from `mac` claiming `senderIp`, asking for `targetIp` (hex each). */
function whoHas(mac: string, senderIp: string, targetIp: string): Uint8Array {
  return hex(`ffffffffffff ${mac} 0806 0001 0800 06 04 0001 ${mac} ${senderIp} 000000000000 ${targetIp}`);
}

// 192.0.2.10 (c000020a) and 192.0.2.20 (c0000214) each move silently to a new MAC 0.5 s after the
// old MAC last spoke; every request asks for a different address so none adds up to a reply gap.
// Old .10 at 0 s, old .20 at 0.25, new .20 at 0.5, new .10 at 0.75: a change is held 3 s
// (clashWindowMs) before it is published, so .20 opens first, while .10 (from 0 s) starts first.
const CHANGES = [
  whoHas('02000000000a', 'c000020a', 'c000026e'),
  whoHas('020000000014', 'c0000214', 'c0000278'),
  whoHas('020000000114', 'c0000214', 'c0000279'),
  whoHas('02000000010a', 'c000020a', 'c000026f'),
];
// A later frame from an unrelated station: live time passes the hold, both changes are published.
const LATER = whoHas('0200000000fe', 'c00002fe', 'c0000282');

interface IncidentLine { phase: string; id: string; ip: string; vlan: number | null; kind: string }

/** `bridgewatch live ARGS` on an interface inside `ns`, its NDJSON records collected as they come. */
function startLive(ns: VethNamespace, args: string[]): {
  child: ChildProcess; records: Record<string, unknown>[]; stderr: () => string; exit: Promise<number | null>;
} {
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, BIN, 'live', '-i', ns.b, '--format', 'ndjson', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const records: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => records.push(JSON.parse(text) as Record<string, unknown>));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, records, stderr: () => stderr, exit };
}

describe.skipIf(skip !== null)('bridgewatch live: incident ids', () => {
  const lab = useVethNamespace('bwlv-ids-');

  it('an incident keeps the id of its first printed line in the final report, listed in start order', async () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ missing: run `npm run build` first').toBe(true);
    const reportDir = join(lab.dir, 'report');
    const { child: c, records, stderr, exit } = startLive(lab.ns, ['--report', reportDir]);
    try {
      const incidents = (): IncidentLine[] => records.filter((r) => r['type'] === 'incident') as unknown as IncidentLine[];
      expect(await waitFor(() => records.some((r) => r['type'] === 'start'), 15_000), stderr()).toBe(true);

      const changes = join(lab.dir, 'changes.pcap');
      writeFileSync(changes, classicPcapFile(CHANGES, { startSec: 1_700_000_000, spacingUs: 250_000 }));
      lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, changes]);
      await new Promise((r) => setTimeout(r, 3_500));
      const later = join(lab.dir, 'later.pcap');
      writeFileSync(later, classicPcapFile([LATER], { startSec: 1_700_000_000, spacingUs: 0 }));
      lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, later]);
      expect(await waitFor(() => new Set(incidents().map((r) => r.ip)).size >= 2, 10_000), JSON.stringify(incidents())).toBe(true);
      c.kill('SIGINT');
      expect(await exit, stderr()).toBe(0);

      // The id each incident was first printed with, by address, and the order they opened in.
      const firstId = new Map<string, string>();
      for (const r of incidents()) if (!firstId.has(r.ip)) firstId.set(r.ip, r.id);
      expect([...firstId.keys()]).toEqual(['192.0.2.20', '192.0.2.10']);
      expect(new Set(firstId.values()).size).toBe(2);
      // Every later line of an address (updates, the final lines) keeps that id.
      for (const r of incidents()) expect(r.id, `${r.phase} ${r.ip}`).toBe(firstId.get(r.ip));
      expect(incidents().filter((r) => r.phase === 'final').map((r) => r.ip).sort()).toEqual(['192.0.2.10', '192.0.2.20']);

      // The final report: start order (.10 first), each incident under its first printed id.
      const report = JSON.parse(readFileSync(join(reportDir, `live-${lab.ns.b}.json`), 'utf8')) as { incidents: IncidentLine[] };
      expect(report.incidents.map((i) => [i.ip, i.kind])).toEqual([['192.0.2.10', 'mac-change'], ['192.0.2.20', 'mac-change']]);
      for (const i of report.incidents) expect(i.id, i.ip).toBe(firstId.get(i.ip));
    } finally {
      if (c.exitCode === null) c.kill('SIGKILL');
    }
  }, 40_000);

  it('announces a held change on a quiet link when its hold ends, without waiting for another frame', async () => {
    const { child: c, records, stderr, exit } = startLive(lab.ns, []);
    try {
      const opened = (): Record<string, unknown>[] => records.filter((r) => r['type'] === 'incident' && r['phase'] === 'open');
      expect(await waitFor(() => records.some((r) => r['type'] === 'start'), 15_000), stderr()).toBe(true);
      const changes = join(lab.dir, 'quiet.pcap');
      writeFileSync(changes, classicPcapFile(CHANGES, { startSec: 1_700_000_000, spacingUs: 250_000 }));
      lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, changes]);
      // Nothing follows the four frames: the 3 s hold ends on the clock alone (plus its 1 s lag).
      expect(await waitFor(() => opened().length >= 2, 10_000), JSON.stringify(records)).toBe(true);
      expect(opened().map((r) => r['ip'])).toEqual(['192.0.2.20', '192.0.2.10']);
      c.kill('SIGINT');
      expect(await exit, stderr()).toBe(0);
    } finally {
      if (c.exitCode === null) c.kill('SIGKILL');
    }
  }, 40_000);
});
