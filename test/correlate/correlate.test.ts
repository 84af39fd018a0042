/**
 * Correlation on synthetic incidents: small hand-made findings and link events shaped like the
 * ones the detector and the link parsers produce for the REFERENCE.md §1 incident (br0, uplink eth0
 * b4:99:ba:11:22:33, guest port vnet0 00:18:51:00:00:01 joining at 09:08:07 and leaving 10 s
 * later, a 23 s outage), plus one case per other cause.
 */
import { describe, expect, it } from 'vitest';
import { correlate, explainIncident, hypervisorOf } from '../../src/correlate/index.js';
import type { DetectedIncident, Finding, IpClashFinding, MacChangeFinding, ReplyGapFinding, StormFinding } from '../../src/detect/types.js';
import type { LinkEvent } from '../../src/links/types.js';
import { parseMac, type Mac } from '../../src/net/mac.js';
import { vendorOf } from '../../src/net/oui.js';
import { fromIso, type Timestamp } from '../../src/time.js';

const UPLINK = parseMac('b4:99:ba:11:22:33')!;
const GUEST = parseMac('00:18:51:00:00:01')!;
const t = (hms: string): Timestamp => fromIso(`2026-11-21T${hms}Z`)!;
const base = { vlan: null, frames: [] };

function macChange(from: Mac, to: Mac, at: string, announced = false): MacChangeFinding {
  return {
    ...base, kind: 'mac-change', ip: '192.0.2.1', start: t(at), end: t(at), durationMs: 0, fromMac: from, toMac: to,
    announced, oldMacStillAnswers: false, newMacLower: to < from, learnedBy: announced ? 'arp-gratuitous' : 'arp-request', sequence: [from, to],
  };
}
function gap(start: string, end: string, stale: Mac | null, answeredBy: Mac | null, ip = '192.0.2.1'): ReplyGapFinding {
  const s = t(start);
  const e = t(end);
  return {
    ...base, kind: 'reply-gap', ip, start: s, end: e, durationMs: (e.sec - s.sec) * 1000 + (e.nsec - s.nsec) / 1e6,
    staleMac: stale, answeredBy, requesters: ['192.0.2.254'], unansweredRequests: 3, framesToStaleMac: 100, ongoing: false,
  };
}
function incident(kind: string, findings: Finding[], indexes: number[]): DetectedIncident {
  const picked = indexes.map((i) => findings[i]!);
  const start = picked.map((f) => f.start).sort((a, b) => a.sec - b.sec || a.nsec - b.nsec)[0]!;
  const end = picked.map((f) => f.end).sort((a, b) => b.sec - a.sec || b.nsec - a.nsec)[0]!;
  return { id: 'I1', kind, severity: 'critical', ip: picked[0]!.ip, vlan: null, start, end, durationMs: 0, outageMs: 0, findings: indexes };
}
const ev = { source: 'ip-monitor' as const, ifindex: null, line: 1, raw: '' };

/** The §1 incident as the ip monitor log shows it. */
const flipLinks: LinkEvent[] = [
  { ...ev, time: t('09:08:07.100'), ifname: 'vnet0', type: 'port-join', bridge: 'br0', mac: GUEST },
  { ...ev, time: t('09:08:07.101'), ifname: 'br0', type: 'mac-change', oldMac: UPLINK, newMac: GUEST, isBridge: true },
  { ...ev, time: t('09:08:17.500'), ifname: 'vnet0', type: 'port-leave', bridge: 'br0', mac: GUEST, deleted: true },
  { ...ev, time: t('09:08:17.501'), ifname: 'br0', type: 'mac-change', oldMac: GUEST, newMac: UPLINK, isBridge: true },
];
function flipIncident(): { incidents: DetectedIncident[]; findings: Finding[] } {
  const findings: Finding[] = [macChange(UPLINK, GUEST, '09:08:07.536'), gap('09:08:17.344', '09:08:40.401', GUEST, UPLINK)];
  return { incidents: [incident('bridge-mac-flip', findings, [0, 1])], findings };
}

describe('bridge-lowest-mac', () => {
  it('with link events: names bridge, port, MACs, times, hypervisor and the outage', () => {
    const { incidents, findings } = flipIncident();
    const cause = correlate(incidents, findings, flipLinks)[0]!;
    // Causes are returned, not written into detection's incidents.
    expect(incidents[0]).not.toHaveProperty('cause');
    expect(cause.code).toBe('bridge-lowest-mac');
    expect(cause.confidence).toBeGreaterThanOrEqual(0.9);
    expect(cause).toMatchObject({ bridge: 'br0', port: 'vnet0', hypervisor: 'openvz' });
    expect(cause.summary).toContain('vnet0 joined br0 at 09:08:07 UTC');
    expect(cause.summary).toContain('00:18:51:00:00:01');
    expect(cause.summary).toContain('b4:99:ba:11:22:33');
    expect(cause.summary).toContain('vnet0 left at 09:08:17 UTC');
    expect(cause.summary).toContain('unreachable for 23 s');
    expect(cause.linkEvents.map((e) => e.type)).toEqual(['port-join', 'mac-change', 'port-leave', 'mac-change']);
    expect(cause.toConfirm).toEqual([]);
  });

  it('from the capture alone: same code, lower confidence, the reasons and what to record', () => {
    const { incidents, findings } = flipIncident();
    const cause = correlate(incidents, findings, [])[0]!;
    expect(cause.code).toBe('bridge-lowest-mac');
    expect(cause.confidence).toBeLessThanOrEqual(0.7);
    expect(cause.confidence).toBeGreaterThan(0.5);
    expect(cause.linkEvents).toEqual([]);
    expect(cause.hypervisor).toBe('openvz');
    expect(cause.inferences.join(' ')).toMatch(/SWsoft/);
    expect(cause.inferences.join(' ')).toMatch(/numerically lower/);
    expect(cause.toConfirm.join(' ')).toContain('ip -ts monitor link');
  });

  it('seed 002 (LXC): a random veth MAC just below bond0\'s is recognised from the capture alone', () => {
    const bond = parseMac('b4:99:ba:00:00:10')!;
    const veth = parseMac('b2:c8:45:94:e4:0a')!;
    const findings: Finding[] = [macChange(bond, veth, '09:00:00'), gap('09:00:30', '09:00:52', veth, bond)];
    const cause = explainIncident(incident('bridge-mac-flip', findings, [0, 1]), findings, []);
    expect(cause.code).toBe('bridge-lowest-mac');
    expect(cause.inferences.join(' ')).toMatch(/locally administered/);
  });

  it('two guest MACs trading an address silently are not a bridge flip', () => {
    const findings: Finding[] = [macChange(parseMac('52:54:00:00:02:01')!, parseMac('52:54:00:00:01:01')!, '09:00:00')];
    expect(explainIncident(incident('mac-change', findings, [0]), findings, []).code).not.toBe('bridge-lowest-mac');
  });

  it('link events from another time do not count: falls back to inference with capped confidence', () => {
    const { incidents, findings } = flipIncident();
    const shifted = flipLinks.map((e) => ({
      ...e, time: { sec: e.time!.sec - 86_400, nsec: 0 }, mac: null, newMac: 1, oldMac: 2,
    })) as LinkEvent[];
    const cause = explainIncident(incidents[0]!, findings, shifted);
    expect(cause.linkEvents).toEqual([]);
    expect(cause.confidence).toBeLessThanOrEqual(0.6);
    expect(cause.toConfirm.join(' ')).toMatch(/cover its time/);
  });
});

describe('other causes', () => {
  it('stp-port-not-forwarding: an outage while the port walked listening -> learning', () => {
    const findings: Finding[] = [gap('09:00:00', '09:00:30', null, parseMac('52:54:00:aa:bb:01'), '192.0.2.10')];
    const links: LinkEvent[] = [
      { ...ev, source: 'kernel-log', time: t('08:59:59.900'), ifname: 'tap0', type: 'stp-state', bridge: 'br0', port: 'tap0', state: 'listening' },
      { ...ev, source: 'kernel-log', time: t('09:00:14.900'), ifname: 'tap0', type: 'stp-state', bridge: 'br0', port: 'tap0', state: 'learning' },
      { ...ev, source: 'kernel-log', time: t('09:00:29.900'), ifname: 'tap0', type: 'stp-state', bridge: 'br0', port: 'tap0', state: 'forwarding' },
    ];
    const cause = explainIncident(incident('outage', findings, [0]), findings, links);
    expect(cause.code).toBe('stp-port-not-forwarding');
    expect(cause).toMatchObject({ bridge: 'br0', port: 'tap0', hypervisor: 'qemu' });
    expect(cause.summary).toContain('listening/learning');
    expect(cause.linkEvents).toHaveLength(3);
  });

  it('stp-loop: own address seen and a port kept blocking', () => {
    const storm: StormFinding = { ...base, kind: 'arp-storm', ip: '192.0.2.20', start: t('14:02:42'), end: t('14:02:44'), durationMs: 2000, requests: 900, peakRate: 600 };
    const findings: Finding[] = [storm];
    const links: LinkEvent[] = [
      { ...ev, source: 'kernel-log', time: t('14:02:41'), ifname: 'br1', type: 'topology-change', bridge: 'br1' },
      { ...ev, source: 'kernel-log', time: t('14:02:43.1'), ifname: 'tap10', type: 'own-address', bridge: 'br1', port: 'tap10', mac: null, vlan: null },
      { ...ev, source: 'kernel-log', time: t('14:02:43.2'), ifname: 'tap11', type: 'stp-state', bridge: 'br1', port: 'tap11', state: 'blocking' },
    ];
    const cause = explainIncident(incident('arp-storm', findings, [0]), findings, links);
    expect(cause.code).toBe('stp-loop');
    expect(cause.confidence).toBeGreaterThanOrEqual(0.9);
    expect(cause.summary).toContain('tap11');
    expect(cause.summary).toMatch(/QEMU hub/);
    // without the kernel log: a guess, with what to look for
    const guess = explainIncident(incident('arp-storm', findings, [0]), findings, []);
    expect(guess.code).toBe('stp-loop');
    expect(guess.confidence).toBeLessThan(cause.confidence);
    expect(guess.toConfirm.join(' ')).toMatch(/own address/);
  });

  it('link-down: the outage starts when the uplink loses carrier', () => {
    const findings: Finding[] = [gap('10:00:00.100', '10:00:05.300', UPLINK, UPLINK)];
    const links: LinkEvent[] = [
      { ...ev, time: t('10:00:00.300'), ifname: 'eth0', type: 'oper-state', state: 'down' },
      { ...ev, time: t('10:00:05.000'), ifname: 'eth0', type: 'oper-state', state: 'up' },
    ];
    const cause = explainIncident(incident('outage', findings, [0]), findings, links);
    expect(cause.code).toBe('link-down');
    expect(cause.summary).toMatch(/eth0 went down at 10:00:00 UTC and came back up at 10:00:05 UTC/);
    expect(cause.linkEvents).toHaveLength(2);
  });

  it('a port going down because it is deleted is not a link-down', () => {
    const findings: Finding[] = [gap('10:00:00.100', '10:00:05.300', null, null)];
    const links: LinkEvent[] = [
      { ...ev, time: t('10:00:00.300'), ifname: 'veth1', type: 'oper-state', state: 'down' },
      { ...ev, time: t('10:00:00.310'), ifname: 'veth1', type: 'link-del', mac: null, master: null },
    ];
    expect(explainIncident(incident('outage', findings, [0]), findings, links).code).not.toBe('link-down');
  });

  it('announced-move: an announced failover with no bridge change', () => {
    const a = parseMac('00:25:90:00:00:01')!;
    const b = parseMac('00:25:90:00:00:02')!;
    const findings: Finding[] = [macChange(a, b, '11:00:00', true)];
    const unrelated: LinkEvent[] = [{ ...ev, time: t('11:00:00'), ifname: 'eth9', type: 'oper-state', state: 'up' }];
    const linked = explainIncident(incident('announced-move', findings, [0]), findings, unrelated);
    expect(linked.code).toBe('announced-move');
    const alone = explainIncident(incident('announced-move', findings, [0]), findings, []);
    expect(alone.code).toBe('announced-move');
    expect(alone.confidence).toBeLessThan(linked.confidence);
  });

  it('duplicate-address: two vendor MACs at once, not explained by link events', () => {
    const clash: IpClashFinding = {
      ...base, kind: 'ip-clash', ip: '192.0.2.50', start: t('12:00:00'), end: t('12:00:05'), durationMs: 5000,
      macs: [parseMac('00:25:90:aa:bb:cc')!, parseMac('3c:ec:ef:00:00:01')!], probeConflict: false,
    };
    const findings: Finding[] = [clash];
    const unrelated: LinkEvent[] = [{ ...ev, time: t('12:00:01'), ifname: 'eth9', type: 'oper-state', state: 'up' }];
    const linked = explainIncident(incident('ip-clash', findings, [0]), findings, unrelated);
    expect(linked.code).toBe('duplicate-address');
    expect(linked.confidence).toBe(0.8);
    const alone = explainIncident(incident('ip-clash', findings, [0]), findings, []);
    expect(alone.code).toBe('duplicate-address');
    expect(alone.confidence).toBeLessThan(linked.confidence);
  });

  it('an outage with nothing to go on is unknown, with what to record', () => {
    const findings: Finding[] = [gap('13:00:00', '13:00:09', null, null)];
    const cause = explainIncident(incident('outage', findings, [0]), findings, []);
    expect(cause.code).toBe('unknown');
    expect(cause.toConfirm.length).toBeGreaterThan(0);
    expect(cause.summary).toContain('unreachable for 9.0 s');
  });
});

describe('hypervisor and vendor hints', () => {
  it.each([
    ['vnet3', null, 'kvm-libvirt'], ['vnet3', 'fe:54:00:12:34:56', 'kvm-libvirt'], ['vnet3', '00:18:51:00:00:01', 'openvz'], ['tap101i0', null, 'proxmox'], ['fwpr101p0', null, 'proxmox'], ['tap0', null, 'qemu'],
    ['vif3.0', null, 'xen'], ['veth101.0', null, 'openvz'], ['vethAbC123', '00:18:51:12:34:56', 'openvz'],
    ['vethAbC123', 'fe:12:34:56:78:9a', 'lxc'], ['eth5', '52:54:00:01:02:03', 'qemu'], ['eth5', '00:16:3e:01:02:03', 'xen'],
    ['eth5', 'b4:99:ba:11:22:33', 'unknown'],
  ])('%s %s -> %s', (port, macText, expected) => {
    expect(hypervisorOf(port, macText === null ? null : parseMac(macText))).toBe(expected);
  });

  it('vendors from oui-data', () => {
    expect(vendorOf(GUEST)).toBe('SWsoft');
    expect(vendorOf(parseMac('00:16:3e:00:00:01')!)).toMatch(/^Xensource/);
    expect(vendorOf(parseMac('52:54:00:00:00:01')!)).toMatch(/QEMU/);
    expect(vendorOf(parseMac('02:42:ac:11:00:02')!)).toBeNull(); // locally administered
  });
});
