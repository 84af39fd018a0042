/**
 * Property test (fast-check): random streams of ARP/NDP/IP events over small address pools, in
 * time order, never make the Detector throw, and everything it returns is well formed: findings
 * end no earlier than they start, durations match, incidents point at existing findings and come
 * in start order, each with a distinct id it was first announced with (ids are fixed when an
 * incident opens, never renumbered), evidence frames exist in the stream.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DecodedEvent } from '../../src/decode/events.js';
import { Detector } from '../../src/detect/detector.js';
import { compareTs, diffMs } from '../../src/time.js';
import { BROADCAST_MAC } from '../../src/net/mac.js';
import { EPOCH } from './helpers.js';
import { isGroupOrUnspecifiedIp } from '../../src/detect/classify.js';
import { ipv4Number } from '../../src/net/ipv4.js';

const IPS = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '2001:db8::1', '0.0.0.0'];
const MACS = [0x525400000001, 0x525400000002, 0x001851000001, 0x00005e000101];

const step = fc.record({
  dtMs: fc.integer({ min: 0, max: 3000 }),
  kind: fc.constantFrom('arp-req', 'arp-rep', 'garp', 'probe', 'echo-req', 'echo-rep', 'ns', 'na', 'dad'),
  a: fc.integer({ min: 0, max: IPS.length - 1 }),
  b: fc.integer({ min: 0, max: IPS.length - 1 }),
  m: fc.integer({ min: 0, max: MACS.length - 1 }),
  n: fc.integer({ min: 0, max: MACS.length - 1 }),
  vlan: fc.constantFrom(null, 10),
  unicast: fc.boolean(),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function build(steps: Step[]): DecodedEvent[] {
  let tMs = 0;
  return steps.map((s, i) => {
    tMs += s.dtMs;
    const src = IPS[s.a]!;
    const dst = IPS[s.b]!;
    const mac = MACS[s.m]!;
    const other = MACS[s.n]!;
    const info = {
      frame: i + 1, fileIndex: 0, tsSec: EPOCH + Math.floor(tMs / 1000), tsNsec: (tMs % 1000) * 1e6, interfaceId: 0,
      srcMac: mac, dstMac: s.unicast ? other : BROADCAST_MAC, vlan: s.vlan, vlans: s.vlan === null ? [] : [s.vlan],
      packetType: null, ifIndex: null, wireLength: 60,
    };
    switch (s.kind) {
      case 'arp-req': return { kind: 'arp', info, op: 1, senderMac: mac, senderIp: src, senderIpv4: ipv4Number(src), targetMac: 0, targetIp: dst, targetIpv4: ipv4Number(dst) };
      case 'arp-rep': return { kind: 'arp', info, op: 2, senderMac: mac, senderIp: src, senderIpv4: ipv4Number(src), targetMac: other, targetIp: dst, targetIpv4: ipv4Number(dst) };
      case 'garp': return { kind: 'arp', info, op: 2, senderMac: mac, senderIp: src, senderIpv4: ipv4Number(src), targetMac: BROADCAST_MAC, targetIp: src, targetIpv4: ipv4Number(src) };
      case 'probe': return { kind: 'arp', info, op: 1, senderMac: mac, senderIp: '0.0.0.0', senderIpv4: 0, targetMac: 0, targetIp: dst, targetIpv4: ipv4Number(dst) };
      case 'echo-req':
      case 'echo-rep':
        return { kind: 'ip', info, version: src.includes(':') ? 6 : 4, srcIp: src, dstIp: dst, srcIpv4: ipv4Number(src), dstIpv4: ipv4Number(dst), srcGroup: isGroupOrUnspecifiedIp(src), dstGroup: isGroupOrUnspecifiedIp(dst), protocol: 1, echo: { type: s.kind === 'echo-req' ? 'request' : 'reply', id: 1, seq: i }, tcp: null };
      case 'ns':
        return { kind: 'ndp', info, type: 'ns', srcIp: src, dstIp: 'ff02::1:ff00:1', targetIp: dst, sourceLinkAddr: mac, targetLinkAddr: null, router: false, solicited: false, override: false };
      case 'na':
        return { kind: 'ndp', info, type: 'na', srcIp: src, dstIp: dst, targetIp: src, sourceLinkAddr: null, targetLinkAddr: mac, router: false, solicited: s.unicast, override: true };
      case 'dad':
        return { kind: 'ndp', info, type: 'ns', srcIp: '::', dstIp: 'ff02::1:ff00:1', targetIp: dst, sourceLinkAddr: null, targetLinkAddr: null, router: false, solicited: false, override: false };
    }
    throw new Error('unreachable');
  });
}

describe('Detector on random streams', () => {
  it('never throws and returns well-formed findings and incidents', () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), fc.boolean(), (steps, live) => {
      const events = build(steps);
      const d = new Detector({ maxBindings: 4, maxRequesters: 4 });
      let notified = 0;
      const announcedAs = new Map<object, string>();
      if (live) {
        d.onIncident = (inc, fs) => {
          notified++;
          expect(fs.length).toBe(inc.findings.length);
          if (!announcedAs.has(inc)) announcedAs.set(inc, inc.id);
        };
      }
      for (const ev of events) d.push(ev);
      const { findings, incidents } = d.finish();
      for (const f of findings) kinds.add(f.kind);
      for (const f of findings) {
        expect(compareTs(f.start, f.end)).toBeLessThanOrEqual(0);
        expect(f.durationMs).toBeCloseTo(diffMs(f.start, f.end), 6);
        for (const r of f.frames) expect(r.frame >= 1 && r.frame <= events.length).toBe(true);
      }
      expect(new Set(incidents.map((inc) => inc.id)).size).toBe(incidents.length);
      incidents.forEach((inc, i) => {
        expect(inc.id).toMatch(/^I[1-9]\d*$/);
        if (live) expect(inc.id).toBe(announcedAs.get(inc));
        expect(inc.findings.length).toBeGreaterThan(0);
        for (const idx of inc.findings) expect(findings[idx]).toBeDefined();
        if (i > 0) expect(compareTs(incidents[i - 1]!.start, inc.start)).toBeLessThanOrEqual(0);
      });
      if (live && incidents.length > 0) expect(notified).toBeGreaterThan(0);
      const s = d.state();
      expect(s.bindings).toBeLessThanOrEqual(4);
      expect(s.trafficOnlyBindings).toBeLessThanOrEqual(4);
    }), { numRuns: 300, seed: 0x4b1d });
    // The streams are rich enough to exercise the finding kinds, not just the empty path.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['ip-clash', 'mac-change', 'reply-gap']));
  });
});
