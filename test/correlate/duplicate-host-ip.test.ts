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
import { classicPcapRecords, ethernet, arp, ipv4, icmpEcho } from './frames.js';

const ROUTER = '00:25:90:aa:bb:cc';
const HOST = 'b4:99:ba:11:22:33';
/** The guest's MAC, below the host's; the host's log prints a port carrying it (what made it look like a join). */
const GUEST = '00:18:51:3c:7a:01';

const tmp = mkdtempSync(join(tmpdir(), 'bw-dup-host-ip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 60 s of pings from 09:08:10Z; ARP refresh every 10 s answered by both, in alternating order. */
function capture(concurrent = true): string {
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
  const path = join(tmp, `neighbour-${concurrent}.pcap`);
  writeFileSync(path, classicPcapRecords(records));
  return path;
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
    expect(cause.confidence).toBeLessThanOrEqual(0.6);
  });
});
