/**
 * Timeline building: which link events are significant, and per-IP MAC ownership. Link events are
 * hand-written, modelled on REFERENCE.md section 3 (a join logs blocking -> disabled -> forwarding
 * within microseconds; ip monitor and bridge monitor both report the join).
 */
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis.js';
import type { LinkEvent } from '../../src/links/types.js';
import { buildLanes, buildTimeline, markerEntries } from '../../src/report/timeline.js';
import { formatMac } from '../../src/net/mac.js';
import { syntheticAnalysis, UPLINK, VNET } from './fixtures/synthetic.js';

const BASE = Date.UTC(2026, 10, 21, 9, 9, 0) / 1000;
const at = (s: number) => ({ sec: BASE + Math.floor(s), nsec: Math.round((s - Math.floor(s)) * 1e9) });
let line = 0;
const base = (s: number, source: LinkEvent['source'] = 'kernel-log') => ({ time: at(s), source, ifindex: null, line: ++line, raw: 'raw' });
const stp = (s: number, port: string, state: 'blocking' | 'listening' | 'learning' | 'forwarding' | 'disabled', source: LinkEvent['source'] = 'kernel-log'): LinkEvent =>
  ({ ...base(s, source), type: 'stp-state', ifname: port, bridge: 'br0', port, state });

function withLinks(events: LinkEvent[]): Analysis {
  const a = syntheticAnalysis();
  a.findings = [];
  a.incidents = [];
  a.linkEvents = events;
  return a;
}

describe('markerEntries', () => {
  it('drops routine events and keeps joins, lasting STP states and the forwarding that ends them', () => {
    const events: LinkEvent[] = [
      stp(1.0, 'vnet0', 'blocking'), stp(1.0001, 'vnet0', 'disabled'),
      { ...base(1.0002), type: 'promisc', ifname: 'vnet0', entered: true, mode: 'promiscuous' },
      stp(1.0003, 'vnet0', 'forwarding'), // a normal join: all three STP lines are routine
      { ...base(1.1, 'ip-monitor'), type: 'port-join', ifname: 'vnet0', bridge: 'br0', mac: VNET },
      { ...base(1.2, 'bridge-monitor'), type: 'port-join', ifname: 'vnet0', bridge: 'br0', mac: null }, // same join, second source
      stp(5.0, 'vnet1', 'listening'), stp(7.0, 'vnet1', 'learning'), stp(9.0, 'vnet1', 'forwarding'), // forward delay 2 s
      stp(9.1, 'vnet1', 'forwarding', 'bridge-monitor'), // repeat within 250 ms
    ];
    const kept = markerEntries(buildTimeline(withLinks(events))).map((e) => e.text);
    expect(kept).toEqual([
      'vnet0 (00:18:51:00:00:01) joined bridge br0',
      'br0: port vnet1 entered listening state',
      'br0: port vnet1 entered learning state',
      'br0: port vnet1 entered forwarding state',
    ]);
  });

  it('keeps a second join of the same port when it is a new event (outside the window)', () => {
    const join = (s: number): LinkEvent => ({ ...base(s, 'ip-monitor'), type: 'port-join', ifname: 'vnet0', bridge: 'br0', mac: VNET });
    expect(markerEntries(buildTimeline(withLinks([join(1), join(1.1), join(3)])))).toHaveLength(2);
  });
});

describe('buildLanes', () => {
  it('hands the IP from the old MAC to the new at the change, and back when the outage ends', () => {
    const a = syntheticAnalysis();
    const lanes = buildLanes(a, { start: at(0), end: at(45) });
    const lane = lanes.find((l) => l.ip === '192.0.2.1')!;
    expect(lane.segments.map((s) => [s.mac === null ? null : formatMac(s.mac), s.start.sec - BASE, s.end.sec - BASE])).toEqual([
      [formatMac(UPLINK), 0, 7], [formatMac(VNET), 7, 40], [formatMac(UPLINK), 40, 45],
    ]);
    expect(lane.outages).toHaveLength(1);
    expect(lanes.find((l) => l.ip === '198.51.100.7')?.segments).toEqual([{ start: at(0), end: at(45), mac: null }]);
  });
});

describe('scale', () => {
  it('60 000 routine link events (a long kernel log) are all filtered out', () => {
    const events: LinkEvent[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = i * 0.5;
      events.push(stp(t, `vnet${i % 50}`, 'blocking'), stp(t + 0.0001, `vnet${i % 50}`, 'forwarding'),
        { ...base(t + 0.0002), type: 'promisc', ifname: `vnet${i % 50}`, entered: true, mode: 'promiscuous' });
    }
    const kept = markerEntries(buildTimeline(withLinks(events)));
    expect(kept).toHaveLength(0); // all routine
  });
});
