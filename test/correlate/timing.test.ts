/**
 * Correlation bound in time (issue 15): a link event explains an incident only within
 * `correlationWindowMs` of it; a log recorded on another day or with a shifted clock is set aside
 * with one line naming the `--clock-offset` that would align it, and the incident falls back to
 * capture-only inference; two MACs answering at once is not a bridge flip unless the log shows the
 * bridge's MAC changing, and a port's first (refresh) line is not a join.
 * Captures and logs: samples/guest-start-stop (REFERENCE.md §1 recorded in the lab); shifted copies
 * of its ip-monitor.log are written to a temporary directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { parseClockOffset } from '../../src/cli/links.js';
import { checkLinkTiming, correlate, explainIncident } from '../../src/correlate/index.js';
import { clockOffsetArgument } from '../../src/correlate/timing.js';
import type { DetectedIncident, Finding, IpClashFinding, MacChangeFinding, ReplyGapFinding } from '../../src/detect/types.js';
import { parseLinkText } from '../../src/links/index.js';
import type { LinkEvent } from '../../src/links/types.js';
import { parseMac, type Mac } from '../../src/net/mac.js';
import { renderTable } from '../../src/report/table.js';
import { fromIso, toIso, type Timestamp } from '../../src/time.js';

const SAMPLE = resolve(import.meta.dirname, '../../samples/guest-start-stop');
const CAPTURE = join(SAMPLE, 'br0.pcapng');
const IP_MONITOR = readFileSync(join(SAMPLE, 'ip-monitor.log'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'bw-timing-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The sample's ip monitor log with every `[ISO]` time moved by `ms`. */
function shiftedLog(name: string, ms: number): string {
  const text = IP_MONITOR.replace(/^\[(\d{4}-\d\d-\d\dT[\d:.]+)\]/gm, (_m, iso: string) => {
    const t = fromIso(`${iso}Z`)!;
    const moved = toIso({ sec: t.sec + Math.trunc(ms / 1000), nsec: t.nsec });
    return `[${moved.slice(0, 26)}]`;
  });
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const DAY = 86_400_000;

describe('a log that does not overlap the capture', () => {
  it('recorded 13 days later: one line saying so with the offset to try, capture-only cause, no quoted events', async () => {
    const log = shiftedLog('13d.log', 13 * DAY);
    const a = await analyzeCaptures([CAPTURE], { linkLogs: [log] });
    expect(a.linkNotes).toEqual([`link log ${log} 2026-12-04 does not overlap the capture 2026-11-21; try --clock-offset -13d`]);
    const cause = a.incidents[0]!.cause!;
    expect(cause.linkEvents).toEqual([]);
    expect(cause.confidence).toBeLessThanOrEqual(0.7);
    expect(cause.toConfirm.join(' ')).toMatch(/cover its time/);
    expect(renderTable(a)).toContain('does not overlap the capture 2026-11-21; try --clock-offset -13d');
  });

  it('with the suggested --clock-offset the same log explains the flip again', async () => {
    const log = shiftedLog('13d-fixed.log', 13 * DAY);
    const a = await analyzeCaptures([CAPTURE], { linkLogs: [log], linkLogOptions: { clockOffsetMs: parseClockOffset('-13d')! } });
    expect(a.linkNotes).toBeUndefined();
    expect(a.incidents[0]!.cause).toMatchObject({ code: 'bridge-lowest-mac', confidence: 0.95, port: 'vnet0', bridge: 'br0' });
  });

  it('shifted 4 minutes: set aside with --clock-offset -4m, no event quoted', async () => {
    const log = shiftedLog('4m.log', 240_000);
    const a = await analyzeCaptures([CAPTURE], { linkLogs: [log] });
    expect(a.linkNotes).toHaveLength(1);
    expect(a.linkNotes![0]).toMatch(/^link log .*4m\.log 2026-11-21 10:55:\d\d to 10:55:\d\d UTC does not overlap the capture 2026-11-21 10:51:\d\d to 10:51:\d\d UTC; try --clock-offset -4m$/);
    expect(a.incidents[0]!.cause!.linkEvents).toEqual([]);
    expect(a.incidents[0]!.cause!.summary).not.toMatch(/10:55/);
  });

  it('a log that overlaps a long capture but lines up only after a shift is set aside too', () => {
    const log = parseLinkText(IP_MONITOR, 'ip.log', { clockOffsetMs: 240_000 });
    const findings: Finding[] = [flip('10:51:36.613', '10:51:36.620', UPLINK, GUEST), flip('10:51:39.139', '10:51:41.700', GUEST, UPLINK)];
    const incidents = [incident(findings, [0, 1])];
    const capture = { first: t('10:30:00'), last: t('11:30:00') };
    const timing = checkLinkTiming([log], [], capture, incidents, findings, 60_000);
    expect(timing.setAside).toEqual(['ip.log']);
    expect(timing.notes).toHaveLength(1);
    expect(timing.notes[0]).toMatch(/^link log ip\.log lines up with the capture only after a shift of -4m \(.* with 00:18:51:00:00:01 at 10:55:\d\d UTC, the capture shows it at 10:51:\d\d UTC\); try --clock-offset -4m$/);
    expect(timing.usable).toEqual([]);
  });

  it('--clock-offset values: signed durations with units, a bare number is ms', () => {
    expect(parseClockOffset('-4m')).toBe(-240_000);
    expect(parseClockOffset('+13d')).toBe(13 * DAY);
    expect(parseClockOffset('-240s')).toBe(-240_000);
    expect(parseClockOffset('1500')).toBe(1500);
    expect(parseClockOffset('1.5h')).toBe(5_400_000);
    expect(parseClockOffset('4 minutes')).toBeNull();
    expect(clockOffsetArgument(240_020)).toBe('-4m');
    expect(clockOffsetArgument(-13 * DAY + 2500)).toBe('+13d');
    expect(clockOffsetArgument(-17_400)).toBe('+17s');
  });
});

const UPLINK = parseMac('b4:99:ba:11:22:33')!;
const GUEST = parseMac('00:18:51:00:00:01')!;
const t = (hms: string): Timestamp => fromIso(`2026-11-21T${hms}Z`)!;
const base = { vlan: null, frames: [] };

function flip(lastOld: string, firstNew: string, from: Mac, to: Mac): MacChangeFinding {
  return {
    ...base, kind: 'mac-change', ip: '192.0.2.1', start: t(lastOld), end: t(firstNew), durationMs: 0, fromMac: from, toMac: to,
    announced: false, oldMacStillAnswers: false, newMacLower: to < from, learnedBy: 'arp-request', sequence: [from, to],
    steps: [{ fromMac: from, toMac: to, lastOld: t(lastOld), firstNew: t(firstNew), learnedBy: 'arp-request', announced: false, frames: [] }],
  };
}
function clash(start: string, end: string, macs: Mac[]): IpClashFinding {
  return { ...base, kind: 'ip-clash', ip: '192.0.2.1', start: t(start), end: t(end), durationMs: 0, macs, probeConflict: false };
}
function gap(start: string, end: string, stale: Mac, answeredBy: Mac): ReplyGapFinding {
  return {
    ...base, kind: 'reply-gap', ip: '192.0.2.1', start: t(start), end: t(end), durationMs: 2600, staleMac: stale, answeredBy,
    requesters: ['192.0.2.254'], unansweredRequests: 3, framesToStaleMac: 10, ongoing: false,
  };
}
function incident(findings: Finding[], indexes: number[], kind = 'bridge-mac-flip'): DetectedIncident {
  const picked = indexes.map((i) => findings[i]!);
  const start = picked.map((f) => f.start).sort((a, b) => a.sec - b.sec || a.nsec - b.nsec)[0]!;
  const end = picked.map((f) => f.end).sort((a, b) => b.sec - a.sec || b.nsec - a.nsec)[0]!;
  return { id: 'I1', kind, severity: 'critical', ip: '192.0.2.1', vlan: null, start, end, durationMs: 0, outageMs: 0, findings: indexes };
}
const ev = { source: 'ip-monitor' as const, ifindex: null, line: 1, raw: '' };

describe('the correlation window', () => {
  const findings: Finding[] = [flip('09:08:07.500', '09:08:07.536', UPLINK, GUEST), gap('09:08:17.344', '09:08:19.944', GUEST, UPLINK)];
  /** The §1 link events, 5 minutes after the capture saw them. */
  const late: LinkEvent[] = [
    { ...ev, time: t('09:13:07.100'), ifname: 'vnet0', type: 'port-join', bridge: 'br0', mac: GUEST },
    { ...ev, time: t('09:13:07.101'), ifname: 'br0', type: 'mac-change', oldMac: UPLINK, newMac: GUEST, isBridge: true },
    { ...ev, time: t('09:13:17.500'), ifname: 'vnet0', type: 'port-leave', bridge: 'br0', mac: GUEST, deleted: true },
    { ...ev, time: t('09:13:17.501'), ifname: 'br0', type: 'mac-change', oldMac: GUEST, newMac: UPLINK, isBridge: true },
  ];

  it('events outside correlationWindowMs (default 60 s) explain nothing', () => {
    const cause = explainIncident(incident(findings, [0, 1]), findings, late);
    expect(cause.linkEvents).toEqual([]);
    expect(cause.confidence).toBeLessThanOrEqual(0.7);
  });

  it('a wider window (the option) lets them count', () => {
    const incidents = [incident(findings, [0, 1])];
    expect(correlate(incidents, findings, late, { correlationWindowMs: 400_000 })[0]).toMatchObject({ code: 'bridge-lowest-mac', confidence: 0.95 });
  });

  it('a join long before is quoted as context of a leave inside the window', () => {
    const leaveOnly: Finding[] = [flip('09:50:17.344', '09:50:19.944', GUEST, UPLINK), gap('09:50:17.344', '09:50:19.944', GUEST, UPLINK)];
    const links: LinkEvent[] = [
      { ...ev, time: t('09:08:07.100'), ifname: 'vnet0', type: 'port-join', bridge: 'br0', mac: GUEST },
      { ...ev, time: t('09:50:17.500'), ifname: 'vnet0', type: 'port-leave', bridge: 'br0', mac: GUEST, deleted: true },
      { ...ev, time: t('09:50:17.501'), ifname: 'br0', type: 'mac-change', oldMac: GUEST, newMac: UPLINK, isBridge: true },
    ];
    const cause = explainIncident(incident(leaveOnly, [0, 1]), leaveOnly, links);
    expect(cause).toMatchObject({ code: 'bridge-lowest-mac', port: 'vnet0' });
    expect(cause.linkEvents.map((e) => e.type)).toEqual(['port-join', 'port-leave', 'mac-change']);
  });
});

describe('evidence that contradicts a bridge flip', () => {
  /**
   * The host's `ip -ts monitor link`, started after the guest's port joined: vnet5 (the guest's
   * port, MAC 00:18:51:00:00:01, below the host's) is printed again on a carrier refresh; br0
   * keeps b4:99:ba:11:22:33 throughout.
   */
  const hostLog = [
    '[2026-11-21T09:08:00.000100] 2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
    '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
    '[2026-11-21T09:08:05.000200] 6: vnet5@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP ',
    '    link/ether 00:18:51:00:00:01',
    '[2026-11-21T09:08:35.000300] 6: vnet5@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP ',
    '    link/ether 00:18:51:00:00:01',
    '[2026-11-21T09:08:40.000400] 2: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
    '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
  ].join('\n');

  it('a guest using the host\'s IP (two MACs answering) with a refresh port line is not bridge-lowest-mac', () => {
    const links = parseLinkText(hostLog, 'host-ip-monitor.log').events;
    expect(links.some((e) => e.type === 'mac-change')).toBe(false);
    const findings: Finding[] = [clash('09:08:10', '09:08:30', [UPLINK, GUEST])];
    const cause = explainIncident(incident(findings, [0], 'ip-clash'), findings, links);
    expect(cause.code).not.toBe('bridge-lowest-mac');
    expect(cause.code).toBe('duplicate-address');
  });

  it('the port line first seen already in br0 is marked as possibly a refresh, not a sure join', () => {
    const joins = parseLinkText(hostLog, 'host-ip-monitor.log').events.filter((e) => e.type === 'port-join');
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ ifname: 'vnet5', firstSeen: true });
  });

  it('two MACs answering is still a bridge flip when the log shows br0 taking the lower MAC', () => {
    const links: LinkEvent[] = [
      { ...ev, time: t('09:08:09.900'), ifname: 'vnet5', type: 'port-join', bridge: 'br0', mac: GUEST },
      { ...ev, time: t('09:08:09.901'), ifname: 'br0', type: 'mac-change', oldMac: UPLINK, newMac: GUEST, isBridge: true },
    ];
    const findings: Finding[] = [clash('09:08:10', '09:08:30', [UPLINK, GUEST])];
    expect(explainIncident(incident(findings, [0], 'ip-clash'), findings, links).code).toBe('bridge-lowest-mac');
  });
});

describe('bad lines in a link log are listed, never fatal', () => {
  it('a binary line (NUL, control bytes, non-UTF-8) is counted with file:line; the rest of the log still explains the flip', async () => {
    const lines = IP_MONITOR.split('\n');
    const bad = Buffer.concat([Buffer.from('\x00\x01garbage \xff\xfe', 'latin1'), Buffer.from([0xc3, 0x28])]);
    const path = join(tmp, 'binary-line.log');
    // A binary line inserted as line 5, inside the log.
    writeFileSync(path, Buffer.concat([
      Buffer.from(`${lines.slice(0, 4).join('\n')}\n`), bad, Buffer.from(`\n${lines.slice(4).join('\n')}`),
    ]));
    const a = await analyzeCaptures([CAPTURE], { linkLogs: [path] });
    expect(a.linkLogs[0]!.unparsed).toEqual([expect.objectContaining({ file: path, line: 5, reason: 'binary data' })]);
    expect(a.incidents[0]!.cause).toMatchObject({ code: 'bridge-lowest-mac', port: 'vnet0' });
    const table = renderTable(a);
    expect(table).toContain(`${path}: 1 unparsed line skipped`);
    expect(table).toContain(`  ${path}:5: binary data: `);
    expect(table.trimEnd().split('\n').pop()).toMatch(/^1 incident/);
  });

  it('a log of nothing but binary is still a one-line error with the byte offset', async () => {
    const path = join(tmp, 'all-binary.log');
    writeFileSync(path, Buffer.from([0x31, 0x00, 0x02, 0x0a, 0x00, 0x0a]));
    await expect(analyzeCaptures([CAPTURE], { linkLogs: [path] })).rejects.toMatchObject({ code: 'LINKLOG_UNKNOWN_FORMAT', location: { offset: 1 } });
  });
});
