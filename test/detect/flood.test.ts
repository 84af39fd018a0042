/**
 * Flood: one million random IP/MAC pairs (ARP replies and IP traffic from random sources, as an
 * attacker or a scan would produce) must keep every state map under its documented cap and the
 * heap bounded. Sizes are asserted from the detector's own counters; heap growth with a generous
 * bound. No timing assertions.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import type { ArpEvent, IpEvent } from '../../src/decode/events.js';
import { EPOCH } from './helpers.js';
import { xorshift32 } from '../xorshift.js';
import { ipv4Number } from '../../src/net/ipv4.js';

/**
 * A real garbage collection, so heap figures measure what is kept, not garbage not yet collected
 * (vitest workers do not run with --expose-gc; the flag can be set at run time for a new context).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}


describe('flood of random IP/MAC pairs', () => {
  it('1,000,000 pairs stay under the caps', () => {
    const cap = 20_000;
    const d = new Detector({ maxBindings: cap, maxRequesters: cap });
    const next = xorshift32(0xb1d6e);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    let maxBindings = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const r = next();
      const ip = `10.${(r >>> 16) & 255}.${(r >>> 8) & 255}.${r & 255}`;
      const mac = (next() % 0xffffff) * 0x1000000 + (r & 0xffffff);
      const tNs = i * 100_000; // 10,000 frames per second
      const info = {
        frame: i + 1, fileIndex: 0, tsSec: EPOCH + Math.floor(tNs / 1e9), tsNsec: tNs % 1e9, interfaceId: 0,
        srcMac: mac, dstMac: 0xffffffffffff, vlan: (r & 1) === 0 ? null : 7, vlans: [], packetType: null,
        ifIndex: null, wireLength: 60,
      };
      if (i % 2 === 0) {
        const ev: ArpEvent = { kind: 'arp', info, op: i % 4 === 0 ? 2 : 1, senderMac: mac, senderIp: ip, senderIpv4: ipv4Number(ip), targetMac: 0,
          targetIp: `10.0.0.${r & 255}`, targetIpv4: ipv4Number(`10.0.0.${r & 255}`) };
        d.push(ev);
      } else {
        const ev: IpEvent = { kind: 'ip', info, version: 4, srcIp: ip, dstIp: `10.0.1.${r & 255}`, srcIpv4: ipv4Number(ip),
          dstIpv4: ipv4Number(`10.0.1.${r & 255}`), srcGroup: false, dstGroup: false, protocol: 17, echo: null, tcp: null };
        d.push(ev);
      }
      if ((i & 0xffff) === 0) maxBindings = Math.max(maxBindings, d.state().bindings, d.state().trafficOnlyBindings);
    }
    const s = d.state();
    expect(s.eventsSeen).toBe(1_000_000);
    expect(s.bindings).toBeLessThanOrEqual(cap);
    expect(s.trafficOnlyBindings).toBeLessThanOrEqual(cap);
    expect(maxBindings).toBeLessThanOrEqual(cap);
    expect(s.macRecords).toBeLessThanOrEqual(cap);
    expect(s.bursts).toBeLessThanOrEqual(cap);
    expect(s.probes).toBeLessThanOrEqual(cap);
    expect(s.unresolved).toBeLessThanOrEqual(cap);
    expect(s.dedupeEntries).toBeLessThanOrEqual(cap);
    expect(s.evictedBindings).toBeGreaterThan(900_000);
    collectGarbage();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    // ~2 x 20k bindings + 20k MAC records + 20k bursts: tens of MB. Without caps this run holds
    // ~1M bindings (several hundred MB).
    expect(growthMb).toBeLessThan(250);
    const { findings } = d.finish();
    // Random pairs do collide inside the kept window (~1k MAC changes): output, not state.
    expect(findings.length).toBeLessThan(5000);
  });
});
