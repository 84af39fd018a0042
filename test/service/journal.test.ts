/**
 * System-log entries: the fields and priorities of an incident and of a link event, the journald
 * native text, RFC 5424 framing and escaping, `--log` parsing, and delivery to a UDP collector
 * (Node dgram on loopback) and to a local syslog socket through `logger` (a stream listener:
 * logger falls back to SOCK_STREAM when the socket is not a datagram one, as rsyslog's can be).
 * journald itself is exercised end to end in journald-e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveIncidentRecord, LiveLinkRecord } from '../../src/live/print.js';
import {
  incidentEntry, journalText, linkEntry, priorityOf, resolveLogTarget, rfc5424, sdValue, SystemLog, loggerSyslogArgv,
} from '../../src/journal/index.js';

const INCIDENT: LiveIncidentRecord = {
  schema: 'bridgewatch/1', type: 'incident', phase: 'final', id: 'inc-3', kind: 'bridge-mac-flip', severity: 'critical', ip: '192.0.2.1', vlan: null,
  start: '2026-12-05T03:00:00.000000000Z', end: '2026-12-05T03:00:21.000000000Z', durationMs: 21000,
  macChanges: [{ from: 'b4:99:ba:11:22:33', to: '00:18:51:00:00:01', announced: false, at: '2026-12-05T03:00:00.000000000Z' }],
  outageMs: 20480.4, outageOngoing: false, staleMac: 'b4:99:ba:11:22:33', macs: [],
  cause: { code: 'bridge-lowest-mac', confidence: 0.9, summary: 'veth101i0 joined vmbr0 with a lower MAC', bridge: 'vmbr0', port: 'veth101i0' },
  findings: [0, 1], frames: [1, 2],
};
const JOIN: LiveLinkRecord = { type: 'link', event: 'port-join', time: '2026-12-05T03:00:00.000000000Z', ifname: 'veth101i0', bridge: 'vmbr0', mac: '00:18:51:00:00:01', oldMac: null };

describe('log entries', () => {
  it('an incident carries id, kind, ip, severity, outage and cause; PRIORITY follows severity', () => {
    const e = incidentEntry(INCIDENT, 'vmbr0');
    expect(e.priority).toBe(2);
    expect(e.fields).toMatchObject({ INCIDENT_ID: 'inc-3', KIND: 'bridge-mac-flip', IP: '192.0.2.1', SEVERITY: 'critical', OUTAGE_MS: '20480', CAUSE: 'bridge-lowest-mac', PORT: 'veth101i0' });
    expect(e.fields['MAC_CHANGES']).toBe('b4:99:ba:11:22:33->00:18:51:00:00:01');
    expect(e.message).toBe('critical bridge-mac-flip 192.0.2.1 on vmbr0 (final inc-3), outage 20.5 s: veth101i0 joined vmbr0 with a lower MAC');
    expect([priorityOf('critical'), priorityOf('warning'), priorityOf('info')]).toEqual([2, 4, 6]);
    // No outage yet: no OUTAGE_MS field at all (not "null").
    expect(incidentEntry({ ...INCIDENT, outageMs: 0 }, 'vmbr0').fields['OUTAGE_MS']).toBeUndefined();
  });

  it('a port join is an info entry; a bridge MAC change a notice', () => {
    const e = linkEntry(JOIN, 'vmbr0');
    expect(e.priority).toBe(6);
    expect(e.fields).toEqual({ KIND: 'link-port-join', IFNAME: 'veth101i0', IFACE: 'vmbr0', BRIDGE: 'vmbr0', MAC: '00:18:51:00:00:01', EVENT_TIME: JOIN.time! });
    expect(linkEntry({ ...JOIN, event: 'bridge-mac-change', ifname: 'vmbr0', oldMac: 'b4:99:ba:11:22:33' }, 'vmbr0').priority).toBe(5);
  });

  it('journald text: FIELD=value lines, prefixed names, one line per value', () => {
    const text = journalText({ priority: 4, message: 'two\nlines', fields: { INCIDENT_ID: 'inc-1', 'odd-name': 'a\nb' } });
    expect(text).toBe('MESSAGE=two lines\nPRIORITY=4\nSYSLOG_IDENTIFIER=bridgewatch\nBRIDGEWATCH_INCIDENT_ID=inc-1\nBRIDGEWATCH_ODD_NAME=a b\n');
  });

  it('RFC 5424: PRI = daemon*8 + level, version 1, MSGID = kind, escaped structured data', () => {
    const msg = rfc5424(incidentEntry(INCIDENT, 'vmbr0'), { time: new Date('2026-12-05T03:00:21.000Z'), hostname: 'pve1', pid: 42 });
    expect(msg.startsWith('<26>1 2026-12-05T03:00:21.000Z pve1 bridgewatch 42 bridge-mac-flip [bridgewatch@32473 incident_id="inc-3" kind="bridge-mac-flip"')).toBe(true);
    expect(msg).toMatch(/ outage_ms="20480" /);
    expect(msg.endsWith('] critical bridge-mac-flip 192.0.2.1 on vmbr0 (final inc-3), outage 20.5 s: veth101i0 joined vmbr0 with a lower MAC')).toBe(true);
    expect(sdValue('a"b]c\\d')).toBe('a\\"b\\]c\\\\d');
  });

  it('--log: auto picks journald, else /dev/log, else nothing; bad values are usage errors', () => {
    expect(resolveLogTarget('auto', (p) => p === '/run/systemd/journal/socket')).toEqual({ kind: 'journald' });
    expect(resolveLogTarget('auto', (p) => p === '/dev/log')).toEqual({ kind: 'syslog', socket: '/dev/log' });
    expect(resolveLogTarget('auto', () => false)).toBeNull();
    expect(resolveLogTarget('none')).toBeNull();
    expect(resolveLogTarget('syslog:/run/rsyslog.sock')).toEqual({ kind: 'syslog', socket: '/run/rsyslog.sock' });
    expect(resolveLogTarget('udp://[2001:db8::5]:514')).toEqual({ kind: 'udp', host: '2001:db8::5', port: 514 });
    expect(resolveLogTarget('udp://198.51.100.7:5514')).toEqual({ kind: 'udp', host: '198.51.100.7', port: 5514 });
    expect(() => resolveLogTarget('udp://host:99999')).toThrow(/--log must be/);
    expect(() => resolveLogTarget('file')).toThrow(/--log must be/);
  });
});

describe('delivery', () => {
  it('UDP collector receives one RFC 5424 datagram per entry, in order', async () => {
    const server = createSocket('udp4');
    const got: string[] = [];
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
    server.on('message', (m) => got.push(m.toString()));
    const log = new SystemLog({ kind: 'udp', host: '127.0.0.1', port: server.address().port });
    log.send(incidentEntry(INCIDENT, 'vmbr0'));
    log.send(linkEntry(JOIN, 'vmbr0'));
    await log.close();
    const deadline = Date.now() + 2000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    server.close();
    expect(got).toHaveLength(2);
    expect(got[0]).toMatch(/^<26>1 \S+ \S+ bridgewatch \d+ bridge-mac-flip \[bridgewatch@32473 /);
    expect(got[1]).toMatch(/^<30>1 \S+ \S+ bridgewatch \d+ link-port-join \[bridgewatch@32473 kind="link-port-join" ifname="veth101i0"/);
    expect(log.sent).toBe(2);
    expect(log.dropped).toBe(0);
  });

  it('a local syslog socket gets RFC 5424 with the structured data, through logger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bwsv-syslog-'));
    const sock = join(dir, 'log');
    let received = '';
    const server = createServer((c) => c.on('data', (b) => { received += b.toString(); }));
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const log = new SystemLog({ kind: 'syslog', socket: sock });
      log.send(incidentEntry(INCIDENT, 'vmbr0'));
      await log.close();
      const deadline = Date.now() + 2000;
      while (!received.includes('veth101i0 joined') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(received).toMatch(/<26>1 \S+ \S+ bridgewatch /);
      expect(received).toContain('[bridgewatch@32473 incident_id="inc-3" kind="bridge-mac-flip"');
      expect(received).toContain('outage_ms="20480"');
      expect(log.sent).toBe(1);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing sender is reported once and counted, never thrown', async () => {
    const errors: string[] = [];
    const log = new SystemLog({ kind: 'syslog', socket: '/nonexistent/bwsv.sock' }, (m) => errors.push(m));
    log.send(linkEntry(JOIN, 'vmbr0'));
    log.send(linkEntry(JOIN, 'vmbr0'));
    await log.close();
    expect(log.dropped).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^system log \(syslog\): logger --socket exited/);
  });

  it('logger argv for syslog: priority daemon.N, msgid, every field as sd-param', () => {
    const argv = loggerSyslogArgv(linkEntry(JOIN, 'vmbr0'), '/dev/log');
    expect(argv.slice(0, 11)).toEqual(['logger', '--socket', '/dev/log', '--socket-errors=on', '--rfc5424=notq', '--tag', 'bridgewatch', '--priority', 'daemon.6', '--sd-id', 'bridgewatch@32473']);
    expect(argv).toContain('ifname="veth101i0"');
    expect(argv.slice(-3)).toEqual(['link-port-join', '--', 'link veth101i0 joined vmbr0']);
  });
});
