/**
 * Evidence that contradicts a bridge flip (issue 15, item 5), end to end: a guest misconfigured
 * with the host's own address answers for it alongside the host. The neighbour (192.0.2.254) pings
 * the host (192.0.2.1) every 200 ms and refreshes its ARP entry every 10 s with a broadcast
 * request; both stations answer each request and the later reply wins, so the neighbour's traffic
 * alternates between the host's MAC and the guest's. The host's `ip -ts monitor link` (started
 * after the guest) prints the guest's port again and again (carrier refreshes), always already in
 * br0, and br0 keeps its MAC throughout. That is a duplicate address, not a bridge adopting the
 * lowest port MAC, even though the guest's MAC is the lower one and a port line carries it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import type { Incident } from '../../src/analysis.js';
import type { LinkEvent } from '../../src/links/types.js';
import { parseMac } from '../../src/net/mac.js';
import { AnalysisPipeline } from '../../src/pipeline/index.js';
import { fromSeconds } from '../../src/time.js';
import { classicPcapRecords, ethernet, arp, ipv4, icmpEcho } from './frames.js';

const ROUTER = '00:25:90:aa:bb:cc';
const HOST = 'b4:99:ba:11:22:33';
/** The guest's MAC, below the host's; the host's log prints a port carrying it (what made it look like a join). */
const GUEST = '00:18:51:3c:7a:01';

const tmp = mkdtempSync(join(tmpdir(), 'bw-dup-host-ip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 60 s of pings from 09:08:10Z; ARP refresh every 10 s answered by both, in alternating order. */
function capture(concurrent = true): string {
  const path = join(tmp, `neighbour-${concurrent}.pcap`);
  writeFileSync(path, classicPcapRecords(frames(concurrent)));
  return path;
}

/** The frames of {@link capture}, in time order (epoch s). */
function frames(concurrent: boolean): { t: number; frame: Uint8Array }[] {
  const records: { t: number; frame: Uint8Array }[] = [];
  const t0 = Date.UTC(2026, 10, 21, 9, 8, 10) / 1000;
  let cached = HOST;
  for (let i = 0; i < 300; i++) {
    const t = t0 + i * 0.2;
    if (i % 50 === 0) {
      records.push({ t, frame: ethernet('ff:ff:ff:ff:ff:ff', ROUTER, 0x0806, arp(1, ROUTER, '192.0.2.254', '00:00:00:00:00:00', '192.0.2.1')) });
      const odd = (i / 50) % 2 === 1;
      const order = concurrent ? (odd ? [GUEST, HOST] : [HOST, GUEST]) : (odd ? [GUEST] : [HOST]);
      order.forEach((m, k) => records.push({ t: t + 0.001 + k * 0.002, frame: ethernet(ROUTER, m, 0x0806, arp(2, m, '192.0.2.1', ROUTER, '192.0.2.254')) }));
      cached = order.at(-1)!;
    }
    records.push({ t: t + 0.01, frame: ethernet(cached, ROUTER, 0x0800, ipv4('192.0.2.254', '192.0.2.1', 1, icmpEcho(8, i))) });
    records.push({ t: t + 0.011, frame: ethernet(ROUTER, cached, 0x0800, ipv4('192.0.2.1', '192.0.2.254', 1, icmpEcho(0, i))) });
  }
  return records;
}

const portLine = (time: string): string[] => [
  `[2026-11-21T${time}] 6: vnet5@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP `,
  `    link/ether ${GUEST}`,
];
const HOST_LOG = [
  '[2026-11-21T09:08:00.000100] 2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
  `    link/ether ${HOST} brd ff:ff:ff:ff:ff:ff`,
  ...portLine('09:08:15.000200'), ...portLine('09:08:35.000300'), ...portLine('09:08:55.000400'),
].join('\n');

describe('a guest answering with the host\'s address, host ip monitor log with repeated port lines', () => {
  it('is a duplicate address, not bridge-lowest-mac', async () => {
    const log = join(tmp, 'host-ip-monitor.log');
    writeFileSync(log, `${HOST_LOG}\n`);
    const a = await analyzeCaptures([capture()], { linkLogs: [log] });
    expect(a.findings.map((f) => f.kind)).toContain('ip-clash');
    expect(a.incidents).toHaveLength(1);
    expect(a.incidents[0]!.cause).toMatchObject({ code: 'duplicate-address' });
    expect(a.incidents[0]!.cause!.summary).not.toMatch(/joined/);
  });

  it('without link logs the concurrent answers alone rule the bridge flip out', async () => {
    const a = await analyzeCaptures([capture()]);
    expect(a.incidents).toHaveLength(1);
    expect(a.incidents[0]!.cause?.code).toBe('duplicate-address');
  });

  it('one answering at a time: a repeated port line a second after a change is not quoted as the join', async () => {
    const log = join(tmp, 'host-ip-monitor-2.log');
    const lines = [HOST_LOG.split('\n').slice(0, 2), portLine('09:08:21.000500'), portLine('09:08:41.000600')].flat();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const a = await analyzeCaptures([capture(false)], { linkLogs: [log] });
    expect(a.findings.map((f) => f.kind)).toEqual(['mac-change']);
    expect(a.incidents).toHaveLength(1);
    // Alternating silent moves to a lower OpenVZ MAC look like flips from the capture alone; the
    // port line must not turn that guess into a proven join ("vnet5 joined br0 ... br0 took it").
    const cause = a.incidents[0]!.cause!;
    expect(cause.linkEvents).toEqual([]);
    expect(cause.summary).not.toMatch(/vnet5/);
    // The log prints br0 with the host's MAC at 09:08:00 and no other MAC for it up to its last
    // line (09:08:41): br0 never took the guest's MAC, so the moves are a second owner answering.
    expect(cause.code).toBe('duplicate-address');
    expect(cause.bridge).toBe('br0');
    expect(cause.summary).toMatch(/br0 kept b4:99:ba:11:22:33/);
    expect(cause.inferences[0]).toMatch(/host-ip-monitor-2\.log line 1 shows br0 with b4:99:ba:11:22:33 at 09:08:00 UTC.* up to 09:08:41 UTC/);
  });

  /** An `ip -ts monitor` line pair for a port of br0 (`ifname`, `mac`) at `time` (09:08:ss.ffffff). */
  const port = (ifname: string, mac: string, time: string): string[] => [
    `[2026-11-21T${time}] 7: ${ifname}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP `,
    `    link/ether ${mac}`,
  ];
  const analyzeWith = async (name: string, lines: string[][]): Promise<{ cause: NonNullable<Incident['cause']>; log: string }> => {
    const log = join(tmp, name);
    writeFileSync(log, `${lines.flat().join('\n')}\n`);
    const a = await analyzeCaptures([capture(false)], { linkLogs: [log] });
    return { cause: a.incidents[0]!.cause!, log };
  };

  it('one answering at a time, a log that never prints br0 but shows its port with the host\'s MAC across a move', async () => {
    const { cause, log } = await analyzeWith('host-ip-monitor-5.log', [port('eth0', HOST, '09:08:05.000100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:27.000200')]);
    expect(cause.code).toBe('duplicate-address');
    expect(cause.bridge).toBeUndefined();
    expect(cause.summary).toContain(`${log} covers the move and shows no bridge taking ${GUEST}`);
    // Only the move to the guest at 09:08:20 lies inside the log (09:08:05 to 09:08:27, 3 s margins).
    expect(cause.inferences[0]).toMatch(/shows eth0 with b4:99:ba:11:22:33 .* runs from 09:08:05 UTC to 09:08:27 UTC .* would have changed at 09:08:20 UTC/);
  });

  it('an Open vSwitch internal port (no Linux bridge) flipping with the moves: the flip stands', async () => {
    // OVS also takes the lowest port MAC; its bridge device is a port of ovs-system in ip monitor.
    const brEx = (time: string, mac: string): string[] => [
      `[2026-11-21T${time}] 5: br-ex: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master ovs-system state UNKNOWN group default `,
      `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`,
    ];
    const { cause } = await analyzeWith('host-ip-monitor-12.log', [
      brEx('09:08:05.000100', HOST), brEx('09:08:20.000200', GUEST), brEx('09:08:30.000300', HOST), brEx('09:08:40.000400', GUEST),
      brEx('09:08:50.000500', HOST), brEx('09:09:00.000600', GUEST), port('eth0', HOST, '09:09:09.000700'),
    ]);
    expect(cause.code).toBe('bridge-lowest-mac');
  });

  it('a damaged log (a line that cannot be read) rules nothing out: that line may have been the change', async () => {
    const { cause } = await analyzeWith('host-ip-monitor-13.log', [port('eth0', HOST, '09:08:05.000100'), ['[2026-11-21T09:08:2'], port('vnet6', 'fe:54:00:00:06:01', '09:08:57.000200')]);
    expect(cause.code).toBe('bridge-lowest-mac');
    const clean = await analyzeWith('host-ip-monitor-14.log', [port('eth0', HOST, '09:08:05.000100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:57.000200')]);
    expect(clean.cause.code).toBe('duplicate-address');
  });

  it('a log with nothing of the host (no bridge or port with its MAC) rules nothing out', async () => {
    const { cause } = await analyzeWith('host-ip-monitor-6.log', [port('vnet6', 'fe:54:00:00:06:01', '09:08:05.000100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:27.000200')]);
    expect(cause.code).toBe('bridge-lowest-mac');
  });

  it('the 3 s margins: a log ending 2 s after the move, or starting 2 s before it, rules nothing out', async () => {
    // Moves to the guest at 09:08:20 and 09:08:40, back at 09:08:30 and 09:08:50 (whole seconds + ~1 ms).
    const late = await analyzeWith('host-ip-monitor-7.log', [port('eth0', HOST, '09:08:05.000100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:22.000200')]);
    expect(late.cause.code).toBe('bridge-lowest-mac');
    const early = await analyzeWith('host-ip-monitor-8.log', [port('eth0', HOST, '09:08:18.000100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:26.000200')]);
    expect(early.cause.code).toBe('bridge-lowest-mac');
    const both = await analyzeWith('host-ip-monitor-9.log', [port('eth0', HOST, '09:08:16.500100'), port('vnet6', 'fe:54:00:00:06:01', '09:08:23.500200')]);
    expect(both.cause.code).toBe('duplicate-address');
  });

  it('br0 first printed inside a move\'s window (its MAC before unknown: maybe the change back) keeps the flip', async () => {
    const br0 = (time: string, mac: string): string[] => [
      `[2026-11-21T${time}] 2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default `,
      `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`,
    ];
    const { cause } = await analyzeWith('host-ip-monitor-10.log', [port('eth0', HOST, '09:08:05.000100'), br0('09:08:29.900000', HOST), port('vnet6', 'fe:54:00:00:06:01', '09:08:45.000200')]);
    expect(cause.code).toBe('bridge-lowest-mac');
  });

  it('one answering at a time, the log ending before the first move: the bridge flip is still the guess', async () => {
    const log = join(tmp, 'host-ip-monitor-3.log');
    const lines = [HOST_LOG.split('\n').slice(0, 2), portLine('09:08:12.000500')].flat();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const a = await analyzeCaptures([capture(false)], { linkLogs: [log] });
    const cause = a.incidents[0]!.cause!;
    expect(cause.code).toBe('bridge-lowest-mac');
    expect(cause.confidence).toBeLessThanOrEqual(0.6);
  });

  it('one answering at a time, an untimed log: no span, the bridge flip is still the guess', async () => {
    const log = join(tmp, 'host-ip-monitor-4.log');
    const untimed = [HOST_LOG.split('\n').slice(0, 2), portLine('09:08:21.000500'), portLine('09:08:41.000600')].flat()
      .map((l) => l.replace(/^\[[^\]]+\] /, ''));
    writeFileSync(log, `${untimed.join('\n')}\n`);
    const a = await analyzeCaptures([capture(false)], { linkLogs: [log] });
    expect(a.incidents[0]!.cause!.code).toBe('bridge-lowest-mac');
  });
});

/**
 * Live: the same moves one at a time, with rtnetlink as the link feed. The watch's snapshot holds
 * br0 with the host's MAC and rtnetlink reports every MAC change, so with no change reported br0
 * kept its MAC; with br0's change to the guest's MAC reported, the flip is proven.
 */
describe('live, one answering at a time, rtnetlink as the link feed', () => {
  const START = Date.UTC(2026, 10, 21, 9, 8, 0) / 1000;

  /** `lost`: the feed breaks at once after a socket error (true), or at a message that could not be read, `lost` s after START. */
  function run(events: LinkEvent[], lost: boolean | number = false): { final: Incident; printed: Incident[] } {
    const printed: Incident[] = [];
    const pipeline = new AnalysisPipeline({ inputs: ['live:br0'], onIncident: (incident) => printed.push(incident) });
    pipeline.followBridgeMacs([
      { ifname: 'br0', mac: parseMac(HOST), isBridge: true, master: null },
      { ifname: 'eth0', mac: parseMac(HOST), isBridge: false, master: 'br0' },
    ], fromSeconds(START));
    if (lost === true) pipeline.bridgeMacFeedLost();
    else if (lost !== false) pipeline.bridgeMacFeedLost(fromSeconds(START + lost));
    const pending = [...events];
    let frame = 0;
    for (const { t, frame: data } of frames(false)) {
      while (pending.length > 0 && pending[0]!.time!.sec <= t) pipeline.addLinkEvent(pending.shift()!);
      const ts = fromSeconds(t);
      pipeline.push({
        frame: ++frame, fileIndex: 0, tsSec: ts.sec, tsNsec: ts.nsec, interfaceId: 0, linkType: 1,
        capturedLength: data.length, originalLength: data.length, data,
      });
    }
    const info = { path: 'live:br0', format: 'pcap' as const, gzip: false, linkTypes: [1], interfaceNames: [], snapLengths: [65535] };
    const analysis = pipeline.finish({ captures: [{ info }], end: fromSeconds(START + 75) });
    expect(analysis.incidents).toHaveLength(1);
    return { final: analysis.incidents[0]!, printed };
  }

  it('no bridge MAC change reported: a duplicate address from the first line printed to the final report', () => {
    const { final, printed } = run([]);
    expect(final.cause).toMatchObject({ code: 'duplicate-address', bridge: 'br0' });
    expect(final.cause!.inferences[0]).toMatch(/^rtnetlink shows br0 with b4:99:ba:11:22:33 at 09:08:00 UTC, and no other MAC for it up to 09:09:15 UTC/);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.map((i) => i.cause?.code)).toEqual(printed.map(() => 'duplicate-address'));
  });

  it('br0 taking the guest\'s MAC reported at the move: the flip stands', () => {
    const change = (sec: number, oldMac: string, newMac: string): LinkEvent => ({
      type: 'mac-change', time: fromSeconds(START + sec), source: 'rtnetlink', ifname: 'br0', ifindex: 2, line: null,
      raw: 'RTM_NEWLINK family=0 index=2 ifname=br0', oldMac: parseMac(oldMac), newMac: parseMac(newMac)!, isBridge: true,
    });
    // The capture's moves: to the guest at the refreshes of 10:20 and 10:40 (odd ones), back at the even ones.
    const { final } = run([20, 30, 40, 50, 60].map((s, k) => (k % 2 === 0 ? change(s, HOST, GUEST) : change(s, GUEST, HOST))));
    expect(final.cause!.code).toBe('bridge-lowest-mac');
    expect(final.cause!.linkEvents.length).toBeGreaterThan(0);
  });

  it('the feed lost before any move: its record ends there and rules nothing out', () => {
    expect(run([], true).final.cause!.code).toBe('bridge-lowest-mac');
  });

  it('an unreadable message: the record ends at it, 3 s after the first move or not quite', () => {
    // The first move to the guest: last frame from the host 09:08:19.811, the guest's claim 09:08:20.001.
    expect(run([], 23.2).final.cause!.code).toBe('duplicate-address');
    expect(run([], 22.8).final.cause!.code).toBe('bridge-lowest-mac');
  });

  /** A link-add or link-del from rtnetlink, `sec` after START. */
  const addDel = (type: 'link-add' | 'link-del', sec: number, ifname: string, ifindex: number, mac: string): LinkEvent => ({
    type, time: fromSeconds(START + sec), source: 'rtnetlink', ifname, ifindex, line: null,
    raw: `${type === 'link-add' ? 'RTM_NEWLINK' : 'RTM_DELLINK'} family=0 index=${ifindex} ifname=${ifname}`, mac: parseMac(mac), master: null,
  });

  it('br0 deleted (and not back): no bridge kept the MAC, but its uplink port still ties the record to the host', () => {
    const { final } = run([addDel('link-del', 5, 'br0', 2, HOST)]);
    expect(final.cause!.code).toBe('duplicate-address');
    expect(final.cause!.summary).toContain('rtnetlink covers the move');
  });

  it('a link created with the guest\'s MAC late in the run (maybe a bridge): the flip is not ruled out, though an earlier move is clean', () => {
    const { final } = run([addDel('link-add', 45, 'br9', 9, GUEST)]);
    expect(final.cause!.code).toBe('bridge-lowest-mac');
  });
});
