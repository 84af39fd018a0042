/**
 * A guest configured with the host's own address, on a real kernel: the capture alone mistakes it
 * for a bridge MAC flip, the host's link record tells it apart.
 *
 * The host (br0, uplink MAC b4:99:ba:11:22:33, 192.0.2.1) is pinged by a router every 50 ms. A
 * guest joins br0 through a libvirt-style port (fe:54:00:00:03:01, above the uplink's MAC, so br0
 * keeps its MAC) with 52:54:00:00:03:01 and 192.0.2.1 configured. It pings the router once: its
 * ARP request (sender 192.0.2.1) moves the router's entry to the guest, which answers the pings.
 * Then the guest stops; the router keeps sending to the vanished MAC until its entry fails, and
 * the host answers the broadcast that follows. The host has a permanent entry for the router, so
 * its own ARP never moves the entry back earlier (the run is the same every time).
 *
 * From the router's capture alone this is the lowest-MAC pattern: the address moved silently to a
 * lower QEMU MAC and fell back after an outage. With the host's `ip -ts monitor link` log, which
 * ran across the move and never printed a bridge with the guest's MAC, it is a duplicate address;
 * `bridgewatch live` on br0 reaches the same verdict from rtnetlink.
 * Needs root (runs in CI).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { namespaceSkipReason, sh, waitFor } from './helpers.js';

const skip = namespaceSkipReason('test/live/host-address-taken');
const BIN = resolve(import.meta.dirname, '../../bin/bridgewatch.js');
const HOST_IP = '192.0.2.1';
const ROUTER_IP = '192.0.2.254';
const UPLINK_MAC = 'b4:99:ba:11:22:33';
const ROUTER_MAC = '00:25:90:aa:bb:cc';
const GUEST_MAC = '52:54:00:00:03:01';
const PORT_MAC = 'fe:54:00:00:03:01';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip !== null)('a guest holding the host\'s address (real kernel)', () => {
  const id = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const ns = { host: `bwha-${id}-h`, router: `bwha-${id}-r`, guest: `bwha-${id}-g` };
  const dir = mkdtempSync(join(tmpdir(), 'bwha-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const n of Object.values(ns)) { try { sh('ip', ['netns', 'del', n]); } catch { /* not created or gone */ } }
    rmSync(dir, { recursive: true, force: true });
  });

  const inNs = (n: string, args: string[]): string => sh('ip', ['netns', 'exec', n, ...args]);
  /** Starts `args` in namespace `n`, stdout to `out` (a file) or piped. */
  const start = (n: string, args: string[], out?: string): ChildProcess => {
    const fd = out === undefined ? 'pipe' : openSync(out, 'w');
    const c = spawn('ip', ['netns', 'exec', n, ...args], { stdio: ['ignore', fd, 'pipe'] });
    if (typeof fd === 'number') closeSync(fd);
    children.push(c);
    return c;
  };
  const stop = async (c: ChildProcess, signal: NodeJS.Signals): Promise<number | null> => {
    if (c.exitCode !== null || c.signalCode !== null) return c.exitCode;
    const exited = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
    c.kill(signal);
    return exited;
  };

  it('is a duplicate address with the host\'s link record, offline and live; a bridge flip from the capture alone', async () => {
    for (const n of Object.values(ns)) {
      sh('ip', ['netns', 'add', n]);
      inNs(n, ['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    }
    inNs(ns.host, ['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    sh('ip', ['link', 'add', 'eth0', 'netns', ns.host, 'address', UPLINK_MAC, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.router, 'address', ROUTER_MAC]);
    inNs(ns.host, ['ip', 'link', 'set', 'eth0', 'master', 'br0', 'up']);
    inNs(ns.host, ['ip', 'link', 'set', 'br0', 'up']);
    inNs(ns.host, ['ip', 'addr', 'add', `${HOST_IP}/24`, 'dev', 'br0']);
    inNs(ns.host, ['ip', 'neigh', 'replace', ROUTER_IP, 'lladdr', ROUTER_MAC, 'nud', 'permanent', 'dev', 'br0']);
    inNs(ns.router, ['ip', 'link', 'set', 'eth0', 'up']);
    inNs(ns.router, ['ip', 'addr', 'add', `${ROUTER_IP}/24`, 'dev', 'eth0']);
    // Short neighbour timers on the router: its entry for the guest is probed and fails within seconds.
    inNs(ns.router, ['sysctl', '-q', '-w', 'net.ipv4.neigh.eth0.base_reachable_time_ms=2000', 'net.ipv4.neigh.eth0.delay_first_probe_time=1']);

    const logPath = join(dir, 'ip-monitor.log');
    const pcapPath = join(dir, 'router.pcap');
    const reportDir = join(dir, 'report');
    start(ns.host, ['ip', '-ts', 'monitor', 'link'], logPath);
    const tcpdump = start(ns.router, ['tcpdump', '-i', 'eth0', '-U', '-s', '256', '-w', pcapPath]);
    let tcpdumpErr = '';
    tcpdump.stderr!.on('data', (b: Buffer) => { tcpdumpErr += b.toString(); });
    const live = start(ns.host, [process.execPath, BIN, 'live', '-i', 'br0', '--all', '--format', 'ndjson', '--report', reportDir]);
    const records: Record<string, unknown>[] = [];
    createInterface({ input: live.stdout! }).on('line', (l) => records.push(JSON.parse(l) as Record<string, unknown>));
    let liveErr = '';
    live.stderr!.on('data', (b: Buffer) => { liveErr += b.toString(); });
    expect(await waitFor(() => /listening on/.test(tcpdumpErr) && records.some((r) => r['type'] === 'start'), 15_000),
      `tcpdump: ${tcpdumpErr} live: ${liveErr}`).toBe(true);
    const ping = start(ns.router, ['ping', '-i', '0.05', HOST_IP]);
    await sleep(1500);

    // The guest starts: its port joins br0 (br0 keeps the uplink's lower MAC).
    sh('ip', ['link', 'add', 'vnet1', 'netns', ns.host, 'address', PORT_MAC, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.guest, 'address', GUEST_MAC]);
    inNs(ns.guest, ['ip', 'link', 'set', 'eth0', 'up']);
    inNs(ns.guest, ['ip', 'addr', 'add', `${HOST_IP}/24`, 'dev', 'eth0']);
    inNs(ns.host, ['ip', 'link', 'set', 'vnet1', 'master', 'br0', 'up']);
    // The link log must run from more than 3 s (the clock skew allowed) before the move.
    await sleep(4000);
    inNs(ns.guest, ['ping', '-c', '1', '-W', '1', ROUTER_IP]);
    await sleep(4000);
    // The guest stops; the router's pings go to its vanished MAC until the entry fails.
    inNs(ns.host, ['ip', 'link', 'del', 'vnet1']);
    await sleep(9000);
    await stop(ping, 'SIGINT');
    await stop(tcpdump, 'SIGINT');
    expect(await stop(live, 'SIGINT'), liveErr).toBe(0);

    const offline = await analyzeCaptures([pcapPath], { linkLogs: [logPath] });
    expect(offline.incidents.map((i) => i.ip)).toEqual([HOST_IP]);
    const cause = offline.incidents[0]!.cause!;
    expect(cause.code, JSON.stringify(cause)).toBe('duplicate-address');
    expect(cause.summary).toContain(`Another station, ${GUEST_MAC}, answers for ${HOST_IP}`);
    // Names the log: br0 printed with its MAC (live's promiscuous mode prints it) and never another.
    expect(cause.inferences[0]!.startsWith(logPath)).toBe(true);
    expect(offline.findings.some((f) => f.kind === 'reply-gap')).toBe(true);

    // The trap this guards against: without the log the same capture reads as a bridge flip.
    const alone = await analyzeCaptures([pcapPath]);
    expect(alone.incidents[0]!.cause!.code).toBe('bridge-lowest-mac');

    // Live on br0, with rtnetlink: the same verdict while running and in the report.
    const report = JSON.parse(readFileSync(join(reportDir, 'live-br0.json'), 'utf8')) as {
      incidents: { ip: string; cause?: { code: string; inferences: string[] } }[];
    };
    const mine = report.incidents.filter((i) => i.ip === HOST_IP);
    expect(mine.map((i) => i.cause?.code), liveErr).toEqual(['duplicate-address']);
    expect(mine[0]!.cause!.inferences[0]).toMatch(/^rtnetlink /);
    const printed = records.filter((r) => r['type'] === 'incident' && r['ip'] === HOST_IP)
      .map((r) => (r['cause'] as { code: string } | undefined)?.code);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.filter((c) => c === 'bridge-lowest-mac')).toEqual([]);
  }, 60_000);
});
