/**
 * The metric set of `live`, fed the way the session feeds it: incident records (from a real
 * analysis of a lab capture, and hand-made ones for the counting rules), link events and capture
 * counters; bridge facts from a fake sysfs tree. Values are read back from the exposition text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeCaptures } from '../../src/analyze.js';
import { incidentRecord, type LiveIncidentRecord } from '../../src/live/print.js';
import type { LiveCaptureStats } from '../../src/live/capture.js';
import { bridgesWatchedBy, isoToEpochSeconds, LiveMetrics, OUTAGE_BUCKETS_SECONDS, readBridge } from '../../src/metrics/index.js';
import { INCIDENT_KINDS } from '../../src/metrics/live-metrics.js';
import { parseExposition, samplesOf, sumOf } from './exposition.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/guest-start-stop');

const tmp = mkdtempSync(join(tmpdir(), 'bwmetrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake /sys/class/net: bridge `br0` with ports, its MAC pinned or not. */
function fakeSysfs(name: string, opts: { assign: number; ports: Record<string, number> }): string {
  const net = join(tmp, name);
  mkdirSync(join(net, 'br0', 'bridge'), { recursive: true });
  writeFileSync(join(net, 'br0', 'addr_assign_type'), `${opts.assign}\n`);
  for (const [port, state] of Object.entries(opts.ports)) {
    mkdirSync(join(net, 'br0', 'brif', port), { recursive: true });
    writeFileSync(join(net, 'br0', 'brif', port, 'state'), `${state}\n`);
    mkdirSync(join(net, port, 'brport'), { recursive: true });
    symlinkSync('../../br0', join(net, port, 'brport', 'bridge'));
  }
  mkdirSync(join(net, 'lo'), { recursive: true });
  return net;
}

function record(over: Partial<LiveIncidentRecord>): LiveIncidentRecord {
  return {
    schema: 'bridgewatch/1', type: 'incident', phase: 'open', id: 'I1', kind: 'bridge-mac-flip', severity: 'warning', ip: '192.0.2.1', vlan: null,
    start: '2026-12-05T03:00:00.250000000Z', end: '2026-12-05T03:00:01.000000000Z', durationMs: 750, macChanges: [],
    outageMs: 0, outageOngoing: false, staleMac: null, macs: [], cause: null, findings: [], frames: [], ...over,
  };
}

function stats(over: Partial<LiveCaptureStats>): LiveCaptureStats {
  return {
    captured: 0, received: 0, queueDrops: 0, truncated: 0,
    interfaceFrames: null, interfaceRxDropped: null, kernelDropsEstimate: null, ...over,
  };
}

describe('LiveMetrics fed by a real analysis (samples/guest-start-stop)', () => {
  it('counts each incident, its outage, the bridge MAC changes and the last incident time', async () => {
    const analysis = await analyzeCaptures([join(SAMPLE, 'br0.pcapng')], { linkLogs: [join(SAMPLE, 'ip-monitor.log')] });
    expect(analysis.incidents.length).toBeGreaterThan(0);
    const m = new LiveMetrics({ iface: 'br0', bridges: ['br0'], sysNet: join(tmp, 'none') });
    const records = analysis.incidents.map((i) => incidentRecord(i, analysis.findings, 'final'));
    for (const r of records) m.onIncident(r);
    for (const e of analysis.linkEvents) m.onLinkEvent(e);
    const s = parseExposition(await m.exposition());

    expect(sumOf(s, 'bridgewatch_incidents_total', { iface: 'br0' })).toBe(analysis.incidents.length);
    for (const i of analysis.incidents) {
      const same = analysis.incidents.filter((j) => j.kind === i.kind && j.severity === i.severity).length;
      expect(sumOf(s, 'bridgewatch_incidents_total', { kind: i.kind, severity: i.severity })).toBe(same);
    }
    const withOutage = records.filter((r) => r.outageMs !== null && !r.outageOngoing);
    expect(withOutage.length).toBeGreaterThan(0);
    expect(sumOf(s, 'bridgewatch_outage_seconds_count')).toBe(withOutage.length);
    expect(sumOf(s, 'bridgewatch_outage_seconds_sum')).toBeCloseTo(withOutage.reduce((a, r) => a + r.outageMs! / 1000, 0), 6);
    const bridgeFlips = analysis.linkEvents.filter((e) => e.type === 'mac-change' && e.isBridge && e.ifname === 'br0').length;
    expect(bridgeFlips).toBeGreaterThan(0);
    expect(sumOf(s, 'bridgewatch_bridge_mac_changes_total', { bridge: 'br0' })).toBe(bridgeFlips);
    const latest = Math.max(...records.map((r) => isoToEpochSeconds(r.start)));
    expect(sumOf(s, 'bridgewatch_last_incident_timestamp_seconds')).toBeCloseTo(latest, 3);
    // Feeding the same records again (a later update line of each) counts nothing twice.
    for (const r of records) m.onIncident({ ...r, phase: 'update' });
    const again = parseExposition(await m.exposition());
    expect(sumOf(again, 'bridgewatch_incidents_total')).toBe(analysis.incidents.length);
    expect(sumOf(again, 'bridgewatch_outage_seconds_count')).toBe(withOutage.length);
  });
});

describe('LiveMetrics counting rules', () => {
  it('pre-sets every kind x severity to 0 so the first incident is an increase', async () => {
    const m = new LiveMetrics({ iface: 'br9', bridges: [], sysNet: join(tmp, 'none') });
    const s = parseExposition(await m.exposition());
    const series = samplesOf(s, 'bridgewatch_incidents_total', { iface: 'br9' });
    expect(series.length).toBe(INCIDENT_KINDS.length * 3);
    expect(INCIDENT_KINDS).toEqual(expect.arrayContaining(['arp-spoof', 'arp-flux', 'outage', 'bridge-mac-flip']));
    expect(series.every((x) => x.value === 0)).toBe(true);
    expect(sumOf(s, 'bridgewatch_last_incident_timestamp_seconds')).toBe(0);
  });

  it('counts an incident once per severity it reaches', async () => {
    const m = new LiveMetrics({ iface: 'br0', bridges: [], sysNet: join(tmp, 'none') });
    m.onIncident(record({ severity: 'warning' }));
    m.onIncident(record({ phase: 'update', severity: 'warning', macChanges: [{ from: 'a', to: 'b', announced: false, at: '' }] }));
    m.onIncident(record({ phase: 'update', severity: 'critical' }));
    m.onIncident(record({ id: 'I2', kind: 'ip-clash', severity: 'critical' }));
    const s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_incidents_total', { kind: 'bridge-mac-flip', severity: 'warning' })).toBe(1);
    expect(sumOf(s, 'bridgewatch_incidents_total', { kind: 'bridge-mac-flip', severity: 'critical' })).toBe(1);
    expect(sumOf(s, 'bridgewatch_incidents_total', { kind: 'ip-clash', severity: 'critical' })).toBe(1);
    expect(sumOf(s, 'bridgewatch_incidents_total')).toBe(3);
  });

  it('shows an open outage, then observes it once in the right bucket when it ends', async () => {
    const m = new LiveMetrics({ iface: 'br0', bridges: [], sysNet: join(tmp, 'none') });
    m.onIncident(record({ outageMs: 800, outageOngoing: true }));
    let s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_outages_ongoing')).toBe(1);
    expect(sumOf(s, 'bridgewatch_outage_seconds_count')).toBe(0);
    m.onIncident(record({ phase: 'update', outageMs: 7_300, outageOngoing: false }));
    m.onIncident(record({ phase: 'final', outageMs: 7_300, outageOngoing: false }));
    s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_outages_ongoing')).toBe(0);
    expect(sumOf(s, 'bridgewatch_outage_seconds_count')).toBe(1);
    expect(sumOf(s, 'bridgewatch_outage_seconds_sum')).toBeCloseTo(7.3, 9);
    // 7.3 s falls in le=10 and above, not in le=5.
    const bucket = (le: string) => sumOf(s, 'bridgewatch_outage_seconds_bucket', { le });
    expect(bucket('5')).toBe(0);
    expect(bucket('10')).toBe(1);
    expect(bucket('+Inf')).toBe(1);
    expect(OUTAGE_BUCKETS_SECONDS[0]).toBe(0.5);
    expect(OUTAGE_BUCKETS_SECONDS).toContain(120);
  });

  it('turns cumulative capture counters into counter increments (never backwards)', async () => {
    const m = new LiveMetrics({ iface: 'br0', bridges: [], sysNet: join(tmp, 'none') });
    m.onStats(stats({ captured: 10, queueDrops: 0, kernelDropsEstimate: 4 }));
    m.onStats(stats({ captured: 25, queueDrops: 3, kernelDropsEstimate: 2 }));
    m.onStats(stats({ captured: 40, queueDrops: 3, kernelDropsEstimate: 9 }));
    const s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_frames_captured_total', { iface: 'br0' })).toBe(40);
    expect(sumOf(s, 'bridgewatch_frames_dropped_total', { reason: 'queue' })).toBe(3);
    // The estimate dipped to 2 then rose to 9: the counter follows the high-water mark.
    expect(sumOf(s, 'bridgewatch_frames_dropped_total', { reason: 'kernel' })).toBe(9);
  });

  it('counts bridge MAC changes of the watched bridge only', async () => {
    const m = new LiveMetrics({ iface: 'br0', bridges: ['br0'], sysNet: join(tmp, 'none') });
    const base = { time: null, source: 'rtnetlink' as const, ifindex: null, line: null, raw: '', oldMac: null, newMac: new Uint8Array(6) as never };
    m.onLinkEvent({ ...base, type: 'mac-change', ifname: 'br0', isBridge: true });
    m.onLinkEvent({ ...base, type: 'mac-change', ifname: 'br1', isBridge: true });
    m.onLinkEvent({ ...base, type: 'mac-change', ifname: 'veth1', isBridge: false });
    const s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_bridge_mac_changes_total', { bridge: 'br0' })).toBe(1);
    expect(samplesOf(s, 'bridgewatch_bridge_mac_changes_total', { bridge: 'br1' })).toHaveLength(0);
  });
});

describe('bridge facts from sysfs', () => {
  it('exports pinned and each port STP state, read at every collection', async () => {
    const net = fakeSysfs('pinned', { assign: 3, ports: { vnet0: 3, eth0: 4 } });
    expect(readBridge('br0', net)).toEqual({ bridge: 'br0', addrAssignType: 3, pinned: true, ports: [{ port: 'eth0', stpState: 4 }, { port: 'vnet0', stpState: 3 }] });
    const m = new LiveMetrics({ iface: 'br0', bridges: bridgesWatchedBy('br0', net), sysNet: net });
    let s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_bridge_mac_pinned', { bridge: 'br0' })).toBe(1);
    expect(sumOf(s, 'bridgewatch_stp_port_state', { bridge: 'br0', port: 'vnet0' })).toBe(3);
    expect(sumOf(s, 'bridgewatch_stp_port_state', { bridge: 'br0', port: 'eth0' })).toBe(4);
    // The port leaves and the MAC is unpinned: the next collection shows it.
    rmSync(join(net, 'br0', 'brif', 'eth0'), { recursive: true });
    writeFileSync(join(net, 'br0', 'addr_assign_type'), '1\n');
    s = parseExposition(await m.exposition());
    expect(sumOf(s, 'bridgewatch_bridge_mac_pinned', { bridge: 'br0' })).toBe(0);
    expect(samplesOf(s, 'bridgewatch_stp_port_state', { port: 'eth0' })).toHaveLength(0);
  });

  it('watches the bridge itself, the bridge of a port, or nothing', () => {
    const net = fakeSysfs('watched', { assign: 1, ports: { vnet1: 3 } });
    expect(bridgesWatchedBy('br0', net)).toEqual(['br0']);
    expect(bridgesWatchedBy('vnet1', net)).toEqual(['br0']);
    expect(bridgesWatchedBy('lo', net)).toEqual([]);
    expect(bridgesWatchedBy('nosuch', net)).toEqual([]);
  });

  it('reads ISO times with nanoseconds as epoch seconds', () => {
    expect(isoToEpochSeconds('1970-01-01T00:00:01.500000000Z')).toBe(1.5);
    expect(isoToEpochSeconds('2026-12-05T03:00:00Z')).toBe(Date.UTC(2026, 11, 5, 3) / 1000);
    expect(isoToEpochSeconds('not a time')).toBeNaN();
  });
});
