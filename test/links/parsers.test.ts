/**
 * Parsers on recorded link logs. Fixtures (samples/linklogs/, see its README):
 * - real-*: recorded on this kernel (6.18, iproute2 6.1) by samples/linklogs/record.sh in a
 *   namespace: bridge lkb6696, uplink lke6696 (b4:99:ba:11:22:33), port vnet6696 with
 *   00:18:51:00:00:01 joining for 2 s, then vnet6697 with STP on (forward_delay 2 s), then a veth
 *   pair lka6696/lkz6696 both enslaved (a loop). All monitors ran at the same time.
 * - derived-*: the journald/syslog layouts of the same kernel lines (derive.mjs).
 * - reference-*: the lines quoted in shared/REFERENCE.md §3; old-*: 2.6/3.x-era forms (by hand).
 */
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, mergeLinkEvents, parseLinkLog, parseLinkText } from '../../src/links/index.js';
import type { LinkEvent, LinkLog } from '../../src/links/types.js';
import { parseMac } from '../../src/net/mac.js';
import { diffMs, fromIso, toIso } from '../../src/time.js';
import { BridgewatchError } from '../../src/errors.js';

const DIR = resolve(import.meta.dirname, '../../samples/linklogs');
const fixture = (name: string): string => join(DIR, name);
const BOOT = { sec: Number(readFileSync(fixture('real-dmesg.boot-epoch'), 'utf8').trim()), nsec: 0 };
const UPLINK = parseMac('b4:99:ba:11:22:33')!;
const LOW = parseMac('00:18:51:00:00:01')!;

/** `type ifname` of the structural events (join/leave/bridge MAC changes) in order. */
function skeleton(events: LinkEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'port-join') return [`join ${e.ifname} ${e.bridge}`];
    if (e.type === 'port-leave') return [`leave ${e.ifname} ${e.bridge ?? '?'}${e.deleted ? ' deleted' : ''}`];
    if (e.type === 'mac-change' && e.isBridge) return [`bridge-mac ${e.ifname} ${e.newMac.toString(16)}`];
    return [];
  });
}

describe('format detection', () => {
  it.each([
    ['real-ip-ts-monitor-link.log', 'ip-monitor'],
    ['real-ip-t-monitor.log', 'ip-monitor'],
    ['real-ip-monitor.log', 'ip-monitor'],
    ['real-bridge-timestamp-monitor-link.log', 'bridge-monitor'],
    ['real-bridge-monitor.log', 'bridge-monitor'],
    ['real-dmesg.log', 'dmesg'],
    ['real-dmesg-T.log', 'dmesg-T'],
    ['derived-journalctl-short.log', 'journalctl'],
    ['derived-journalctl-short-precise.log', 'journalctl'],
    // journald's short-iso and rsyslog's RFC 3339 files are the same layout: parsed alike
    ['derived-journalctl-short-iso.log', 'syslog'],
    ['derived-journalctl.json', 'journalctl-json'],
    ['derived-kern.log', 'syslog'],
    ['derived-syslog-rfc5424.log', 'syslog'],
    ['old-kern-2.6-stp-loop.log', 'syslog'],
    ['old-dmesg-3.x-openvz.log', 'dmesg'],
    ['reference-6.18.log', 'ip-monitor'],
    ['real-ip-oneline.log', 'ip-monitor'],
    ['real-ip-details.log', 'ip-monitor'],
    ['reference-bridge-timestamp.log', 'bridge-monitor'],
    ['not-a-link-log.txt', 'unknown'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(readFileSync(fixture(name), 'utf8'))).toBe(format);
  });
});

describe('ip monitor (real, this kernel)', () => {
  it('ip -ts monitor link: join, bridge takes the low MAC, leave (deleted), bridge reverts', async () => {
    const log = await parseLinkLog(fixture('real-ip-ts-monitor-link.log'));
    expect(log.unparsed).toEqual([]);
    const vnet = log.events.filter((e) => e.ifname === 'vnet6696' || (e.type === 'mac-change' && e.isBridge));
    const join = vnet.find((e) => e.type === 'port-join' && e.ifname === 'vnet6696')!;
    const take = log.events.find((e) => e.type === 'mac-change' && e.isBridge && e.newMac === LOW)!;
    const leave = vnet.find((e) => e.type === 'port-leave' && e.ifname === 'vnet6696')!;
    const revert = log.events.find((e) => e.type === 'mac-change' && e.isBridge && e.oldMac === LOW)!;
    expect(join.type === 'port-join' && join.mac).toBe(LOW);
    expect(take.type === 'mac-change' && [take.ifname, take.oldMac]).toEqual(['lkb6696', UPLINK]);
    expect(leave.type === 'port-leave' && leave.deleted).toBe(true);
    expect(revert.type === 'mac-change' && revert.newMac).toBe(UPLINK);
    // times come from the line prefixes (UTC here), in order
    expect(toIso(join.time!)).toBe('2026-11-21T09:33:24.952359000Z');
    const order = [join, take, leave, revert].map((e) => log.events.indexOf(e));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(diffMs(join.time!, leave.time!)).toBeGreaterThan(1900); // the port stayed 2 s
  });

  it('ip -t monitor and plain ip monitor (recorded at the same time) give the same timeline', async () => {
    const ts = await parseLinkLog(fixture('real-ip-ts-monitor-link.log'));
    const t = await parseLinkLog(fixture('real-ip-t-monitor.log'));
    const plain = await parseLinkLog(fixture('real-ip-monitor.log'));
    expect(skeleton(t.events)).toEqual(skeleton(ts.events));
    expect(skeleton(plain.events)).toEqual(skeleton(ts.events));
    expect(skeleton(ts.events).length).toBeGreaterThan(10);
    // ip -t's Timestamp lines are µs apart from -ts's: the same join within 1 ms
    const j1 = ts.events.find((e) => e.type === 'port-join' && e.ifname === 'vnet6696')!;
    const j2 = t.events.find((e) => e.type === 'port-join' && e.ifname === 'vnet6696')!;
    expect(Math.abs(diffMs(j1.time!, j2.time!))).toBeLessThan(1);
    expect(plain.events.every((e) => e.time === null)).toBe(true);
    // other objects (routes, neighbours, netconf) are skipped, not unparsed
    expect(t.unparsed).toEqual([]);
    expect(plain.unparsed).toEqual([]);
  });

  it('ip -o (one line per record) and ip -d (bridge_slave state) from a second real run', async () => {
    const oneline = await parseLinkLog(fixture('real-ip-oneline.log'));
    expect(oneline.unparsed).toEqual([]);
    expect(skeleton(oneline.events)).toEqual([
      'join vnet4683 lkd4683', `bridge-mac lkd4683 ${LOW.toString(16)}`, 'leave vnet4683 lkd4683 deleted', `bridge-mac lkd4683 ${UPLINK.toString(16)}`,
    ]);
    const details = await parseLinkLog(fixture('real-ip-details.log'));
    expect(skeleton(details.events)).toEqual(skeleton(oneline.events));
    const states = details.events.filter((e) => e.type === 'stp-state' && e.ifname === 'vnet4683');
    expect(states.map((e) => e.type === 'stp-state' && e.state)).toEqual(['disabled', 'listening', 'forwarding']);
  });

  it('the quoted REFERENCE.md lines: first sighting of br0 already carrying the joined MAC', async () => {
    const log = await parseLinkLog(fixture('reference-6.18.log'));
    expect(skeleton(log.events)).toEqual([
      'join vnet5 br0', `bridge-mac br0 ${LOW.toString(16)}`, 'leave vnet5 br0', `bridge-mac br0 ${UPLINK.toString(16)}`,
    ]);
    const first = log.events[1]!;
    expect(first.type === 'mac-change' && first.oldMac).toBeNull();
  });

  it('oper state changes and link-netnsid peers', () => {
    const text = [
      '[2026-11-21T09:00:00.000001] 3: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP group default ',
      '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff link-netnsid 1',
      '[2026-11-21T09:00:05.000001] 3: eth0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state DOWN group default ',
      '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff link-netnsid 1',
    ].join('\n');
    const log = parseLinkText(text, 'inline');
    const down = log.events.find((e) => e.type === 'oper-state');
    expect(down?.type === 'oper-state' && [down.ifname, down.state]).toEqual(['eth0', 'down']);
  });

  it('which MAC each bridge held, span by span: closed by a change, ended by the log; none without times', async () => {
    const ts = await parseLinkLog(fixture('real-ip-ts-monitor-link.log'));
    const take = ts.events.find((e) => e.type === 'mac-change' && e.isBridge && e.newMac === LOW)!;
    const revert = ts.events.find((e) => e.type === 'mac-change' && e.isBridge && e.oldMac === LOW)!;
    const spans = (ts.bridgeMacs?.spans ?? []).filter((h) => h.bridge === 'lkb6696');
    // The uplink's MAC until the port's MAC is printed, the port's until the revert, then the uplink's
    // again (the bridge was created with a random MAC, and later ports change it again).
    const low = spans.findIndex((h) => h.mac === LOW);
    expect(spans.slice(low - 1, low + 2).map((h) => h.mac)).toEqual([UPLINK, LOW, UPLINK]);
    expect(spans[low - 1]!.until).toEqual(take.time);
    expect(spans[low]!.since).toEqual(take.time);
    expect(spans[low]!.until).toEqual(revert.time);
    expect(spans[low]!.line).toBe(take.line);
    expect(spans[low + 1]!.since).toEqual(revert.time);
    const last = spans[spans.length - 1]!;
    expect(last.until).toEqual(ts.last);
    expect([ts.bridgeMacs!.first, ts.bridgeMacs!.last]).toEqual([ts.first, ts.last]);
    expect(last.path).toBe(fixture('real-ip-ts-monitor-link.log'));
    // ip -t gives the same spans within 1 ms; plain ip monitor has no times, so no spans
    const t = await parseLinkLog(fixture('real-ip-t-monitor.log'));
    const tSpans = (t.bridgeMacs?.spans ?? []).filter((h) => h.bridge === 'lkb6696');
    expect(tSpans.map((h) => h.mac)).toEqual(spans.map((h) => h.mac));
    expect(Math.abs(diffMs(tSpans[low]!.since, spans[low]!.since))).toBeLessThan(1);
    expect((await parseLinkLog(fixture('real-ip-monitor.log'))).bridgeMacs).toBeUndefined();
  });

  it('a deleted bridge ends its span at the Deleted line', () => {
    const text = [
      '[2026-11-21T09:00:00.000001] 2: br7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
      '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
      '[2026-11-21T09:00:01.000001] 3: eth7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br7 state UP ',
      '    link/ether b4:99:ba:11:22:33',
      '[2026-11-21T09:00:04.000001] Deleted 2: br7: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default ',
      '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
      '[2026-11-21T09:00:09.000001] 3: eth7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
      '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
    ].join('\n');
    const log = parseLinkText(text, 'inline');
    expect(log.bridgeMacs?.spans.map((h) => [h.bridge, toIso(h.since), toIso(h.until), h.line])).toEqual([
      ['br7', '2026-11-21T09:00:00.000001000Z', '2026-11-21T09:00:04.000001000Z', 1],
    ]);
  });

  it('damaged lines are counted with line numbers; the rest is kept', async () => {
    const log = await parseLinkLog(fixture('damaged-ip-monitor.log'));
    expect(log.unparsed.map((u) => u.line)).toEqual([3, 4]);
    expect(log.unparsed[0]!.file).toBe(fixture('damaged-ip-monitor.log'));
    expect(skeleton(log.events)).toHaveLength(4);
  });
});

describe('bridge monitor (real, this kernel)', () => {
  it('bridge -timestamp monitor link: STP walk listening -> learning -> forwarding, forward_delay 2 s', async () => {
    const log = await parseLinkLog(fixture('real-bridge-timestamp-monitor-link.log'));
    const stp = log.events.filter((e) => e.type === 'stp-state' && e.ifname === 'vnet6697');
    expect(stp.map((e) => e.type === 'stp-state' && e.state)).toEqual(['disabled', 'listening', 'learning', 'forwarding', 'disabled']);
    const delay = diffMs(stp[1]!.time!, stp[2]!.time!);
    expect(delay).toBeGreaterThan(1900);
    expect(delay).toBeLessThan(2500);
    // the loop: one end of the veth pair stays blocking
    expect(log.events.some((e) => e.type === 'stp-state' && e.ifname === 'lkz6696' && e.state === 'blocking')).toBe(true);
  });

  it('iproute2 3.x layout (`N: name state X : <flags>`)', async () => {
    const log = await parseLinkLog(fixture('old-bridge-monitor-3.x.log'));
    expect(log.format).toBe('bridge-monitor');
    expect(log.unparsed).toEqual([]);
    expect(log.events.map((e) => (e.type === 'stp-state' ? e.state : e.type))).toEqual([
      'port-join', 'disabled', 'listening', 'learning', 'forwarding', 'port-leave',
    ]);
  });

  it('plain bridge monitor: joins get the port MAC from its permanent fdb entry', async () => {
    const log = await parseLinkLog(fixture('real-bridge-monitor.log'));
    const join = log.events.find((e) => e.type === 'port-join' && e.ifname === 'vnet6696');
    expect(join?.type === 'port-join' && join.mac).toBe(LOW);
    const leave = log.events.find((e) => e.type === 'port-leave' && e.ifname === 'vnet6696');
    expect(leave?.type === 'port-leave' && leave.deleted).toBe(true);
    expect(log.events.every((e) => e.time === null)).toBe(true);
  });
});

describe('kernel logs', () => {
  const kernelSkeleton = (log: LinkLog): string[] =>
    log.events.slice(0, 30).map((e) => `${e.type} ${e.ifname}${e.type === 'stp-state' ? ` ${e.state}` : ''}`);

  it('dmesg: seconds since boot anchored by the boot time, null without it', async () => {
    const anchored = await parseLinkLog(fixture('real-dmesg.log'), { bootTime: BOOT });
    const first = anchored.events[0]!;
    expect(first.type === 'stp-state' && [first.bridge, first.port, first.state]).toEqual(['lkb6696', 'lke6696', 'blocking']);
    expect(first.time).toEqual({ sec: BOOT.sec + 338, nsec: 304_899_000 });
    const bare = await parseLinkLog(fixture('real-dmesg.log'));
    expect(bare.events.every((e) => e.time === null)).toBe(true);
    expect(bare.events.length).toBe(anchored.events.length);
  });

  it('6.18 forms: promiscuous/allmulticast, (unregistering), own address with addr/vlan, topology change', async () => {
    const log = await parseLinkLog(fixture('real-dmesg.log'));
    const left = log.events.find((e) => e.type === 'promisc' && !e.entered && e.mode === 'promiscuous');
    expect(left?.ifname).toBe('vnet6696');
    const own = log.events.find((e) => e.type === 'own-address');
    expect(own?.type === 'own-address' && [own.bridge, own.port, own.vlan]).toEqual(['lkb6696', 'lka6696', 0]);
    expect(own?.type === 'own-address' && own.mac).toBe(parseMac('5a:4e:03:a2:2a:e5'));
    expect(log.events.some((e) => e.type === 'topology-change' && e.ifname === 'lkb6696')).toBe(true);
  });

  it.each([
    'real-dmesg-T.log', 'derived-journalctl-short.log', 'derived-journalctl-short-precise.log',
    'derived-journalctl-short-iso.log', 'derived-journalctl-short-iso-precise.log', 'derived-journalctl.json',
    'derived-kern.log', 'derived-syslog-rfc5424.log',
  ])('%s reads the same kernel messages as dmesg', async (name) => {
    const reference = await parseLinkLog(fixture('real-dmesg.log'), { bootTime: BOOT });
    const log = await parseLinkLog(fixture(name), { year: 2026 });
    expect(log.unparsed).toEqual([]);
    expect(kernelSkeleton(log)).toEqual(kernelSkeleton(reference));
    // same instants (to the second; short forms have 1 s resolution)
    expect(Math.abs(diffMs(log.events[0]!.time!, reference.events[0]!.time!))).toBeLessThan(1000);
  });

  it('µs-precise forms keep the µs', async () => {
    const reference = await parseLinkLog(fixture('real-dmesg.log'), { bootTime: BOOT });
    for (const name of ['derived-journalctl-short-precise.log', 'derived-journalctl.json', 'derived-syslog-rfc5424.log']) {
      const log = await parseLinkLog(fixture(name), { year: 2026 });
      expect(log.events[3]!.time).toEqual(reference.events[3]!.time);
    }
  });

  it('2.6-era kern.log: `entering`, `device X entered promiscuous mode`, own address without port', async () => {
    const log = await parseLinkLog(fixture('old-kern-2.6-stp-loop.log'), { year: 2008 });
    expect(log.unparsed).toEqual([]);
    const states = log.events.filter((e) => e.type === 'stp-state' && e.ifname === 'tap11');
    expect(states.map((e) => e.type === 'stp-state' && e.state)).toEqual(['listening', 'learning', 'blocking', 'disabled']);
    expect(toIso(states[0]!.time!)).toBe('2008-10-20T14:02:11.000000000Z');
    const promisc = log.events.filter((e) => e.type === 'promisc');
    expect(promisc.map((e) => `${e.ifname} ${e.type === 'promisc' && e.entered}`)).toEqual(['tap10 true', 'tap11 true', 'tap11 false']);
    const own = log.events.find((e) => e.type === 'own-address');
    expect(own?.type === 'own-address' && [own.bridge, own.port, own.mac]).toEqual(['br1', '', null]);
  });

  it('journalctl -o short-monotonic (`[ secs] host kernel: msg`) reads like dmesg', () => {
    const text = '[  338.822210] hv kernel: lkb6696: port 2(vnet6696) entered blocking state\n';
    const log = parseLinkText(text, 'mono', { bootTime: BOOT });
    expect(log.format).toBe('dmesg');
    const ev = log.events[0]!;
    expect(ev.type === 'stp-state' && [ev.bridge, ev.port, ev.state]).toEqual(['lkb6696', 'vnet6696', 'blocking']);
  });

  it('3.x dmesg: OpenVZ veth, driver carrier lines, link becomes ready', async () => {
    const log = await parseLinkLog(fixture('old-dmesg-3.x-openvz.log'));
    const oper = log.events.filter((e) => e.type === 'oper-state');
    expect(oper.map((e) => e.type === 'oper-state' && `${e.ifname} ${e.state}`)).toEqual(['eth0 down', 'eth0 up', 'br0 up']);
    expect(log.events.filter((e) => e.type === 'stp-state' && e.port === 'veth101.0')).toHaveLength(4);
  });
});

describe('clock options', () => {
  const line = '[2026-11-21T09:09:49.132165] 6: vnet5@vnet5p: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 00:18:51:00:00:01\n';
  const timeOf = (log: LinkLog): string => toIso(log.events[0]!.time!);

  it('timezone as offset or IANA name, clock offset in ms', () => {
    expect(timeOf(parseLinkText(line, 'x'))).toBe('2026-11-21T09:09:49.132165000Z');
    expect(timeOf(parseLinkText(line, 'x', { timezone: '+01:00' }))).toBe('2026-11-21T08:09:49.132165000Z');
    expect(timeOf(parseLinkText(line, 'x', { timezone: 'Europe/Berlin' }))).toBe('2026-11-21T08:09:49.132165000Z');
    expect(timeOf(parseLinkText(line.replace('11-21', '07-01'), 'x', { timezone: 'Europe/Berlin' }))).toBe('2026-07-01T07:09:49.132165000Z');
    expect(timeOf(parseLinkText(line, 'x', { clockOffsetMs: -1500 }))).toBe('2026-11-21T09:09:47.632165000Z');
  });

  it('an unknown timezone is a usage error', () => {
    expect(() => parseLinkText(line, 'x', { timezone: 'Mars/Olympus' })).toThrow(/unknown timezone/);
  });
});

describe('files and errors', () => {
  it('gzip is transparent; missing, binary and unknown files are one-line coded errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bwlk-'));
    try {
      const gz = join(dir, 'ip.log.gz');
      writeFileSync(gz, gzipSync(readFileSync(fixture('reference-6.18.log'))));
      expect(skeleton((await parseLinkLog(gz)).events)).toHaveLength(4);
      const bin = join(dir, 'bin.log');
      writeFileSync(bin, Buffer.from([0x31, 0x32, 0x00, 0x33]));
      await expect(parseLinkLog(bin)).rejects.toMatchObject({ code: 'LINKLOG_UNKNOWN_FORMAT', location: { offset: 2 } });
      await expect(parseLinkLog(join(dir, 'missing.log'))).rejects.toMatchObject({ code: 'LINKLOG_UNREADABLE' });
      const empty = join(dir, 'empty.log');
      writeFileSync(empty, '');
      await expect(parseLinkLog(empty)).rejects.toThrow(/empty link log/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const err = await parseLinkLog(fixture('not-a-link-log.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgewatchError);
    expect((err as BridgewatchError).code).toBe('LINKLOG_UNKNOWN_FORMAT');
    expect((err as BridgewatchError).message).toMatch(/not-a-link-log\.txt, line 1: /);
    expect((err as BridgewatchError).message).not.toContain('\n');
  });

  it('merging keeps time order across logs, untimed events last', async () => {
    const ip = await parseLinkLog(fixture('real-ip-ts-monitor-link.log'));
    const k = await parseLinkLog(fixture('real-dmesg.log'), { bootTime: BOOT });
    const plain = await parseLinkLog(fixture('real-bridge-monitor.log'));
    const merged = mergeLinkEvents([ip, k, plain]);
    expect(merged).toHaveLength(ip.events.length + k.events.length + plain.events.length);
    const timed = merged.filter((e) => e.time !== null);
    for (let i = 1; i < timed.length; i++) expect(diffMs(timed[i - 1]!.time!, timed[i]!.time!)).toBeGreaterThanOrEqual(0);
    expect(merged.slice(timed.length).every((e) => e.time === null)).toBe(true);
    expect(fromIso(toIso(timed[0]!.time!))).toEqual(timed[0]!.time);
  });
});
