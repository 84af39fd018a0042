/**
 * Floods end to end (generated pcap bytes -> reader -> decoder -> Detector -> Analysis -> JSON),
 * smaller than the 1M-frame benchmark (bench/flood.js, docs/hardening.md) so CI stays short:
 * - an ARP storm of identical requests 1 ms apart is ONE arp-storm finding (it used to be none:
 *   the copy filter swallowed every identical frame within 5 ms of the previous one);
 * - one MAC answering for 131,072 addresses (proxy ARP gone wrong) yields no per-address findings
 *   and keeps per-MAC state under its cap;
 * - random IP/MAC pairs are one `claim-flood` finding; with that detection off they keep every
 *   state map under its cap and stop keeping findings at `maxFindings` (the rest are counted in
 *   `findingsDropped`, carried into the JSON).
 * No timing assertions (throughput is in the benchmark).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../src/analyze.js';
import { Detector } from '../../src/detect/detector.js';
import { readCaptures } from '../../src/capture/index.js';
import { decodePacket } from '../../src/decode/index.js';
import { floodCapture, type FloodKind } from '../../tools/fuzz/flood.js';
import { toJson } from '../../src/report/json.js';
import type { ArpEvent } from '../../src/decode/events.js';

const input = (kind: FloodKind, packets: number) => ({ path: `${kind}.pcap`, stream: Readable.from(floodCapture(kind, packets, 3)) });

function countKinds(kinds: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe('floods', () => {
  it('60,000 identical ARP requests 1 ms apart: one arp-storm finding that counts them', async () => {
    const a = await analyzeCaptures([input('storm', 60_000)]);
    expect(a.captures[0]?.packets).toBe(60_000);
    expect(countKinds(a.findings.map((f) => f.kind))).toEqual({ 'arp-storm': 1 });
    const storm = a.findings[0]!;
    expect(storm.kind === 'arp-storm' && storm.ip).toBe('192.0.2.1');
    // Copies within the 5 ms dedupe window of the first sighting are dropped: >= 1 in 6 counted.
    expect(storm.kind === 'arp-storm' ? storm.requests : 0).toBeGreaterThanOrEqual(10_000);
    expect(a.incidents).toHaveLength(1);
  });

  it('one MAC claiming 131,072 addresses: one claim-flood finding, no per-address findings, per-MAC state capped', async () => {
    const d = new Detector({ maxRequesters: 1000 });
    let maxMacRecords = 0;
    let n = 0;
    await readCaptures([input('proxy', 150_000)], (p) => {
      const ev = decodePacket(p);
      if (ev) d.push(ev);
      if ((++n & 0x3fff) === 0) maxMacRecords = Math.max(maxMacRecords, d.state().macRecords);
    });
    const s = d.state();
    expect(s.eventsSeen).toBe(150_000);
    expect(s.bindings).toBeLessThanOrEqual(d.options.maxBindings);
    expect(Math.max(maxMacRecords, s.macRecords)).toBeLessThanOrEqual(1000);
    const { findings } = d.finish();
    expect(findings.filter((f) => f.kind === 'mac-change' || f.kind === 'ip-clash')).toEqual([]);
    const floods = findings.filter((f) => f.kind === 'claim-flood');
    expect(floods.map((f) => f.kind === 'claim-flood' && [f.distinctMacs, f.distinctIps])).toEqual([[1, 4096]]);
    expect(floods[0]!.kind === 'claim-flood' && floods[0]!.claims).toBeGreaterThan(140_000);
  });

  it('300,000 random IP/MAC pairs: one claim-flood finding counting nearly all of them', async () => {
    const a = await analyzeCaptures([input('pairs', 300_000)]);
    const floods = a.findings.filter((f) => f.kind === 'claim-flood');
    expect(floods).toHaveLength(1);
    const flood = floods[0]!;
    expect(flood.kind === 'claim-flood' && flood.claims).toBeGreaterThan(270_000);
    // Before the flood is recognised (its first second) a few alternations may be clashes.
    expect(a.findings.length).toBeLessThanOrEqual(10);
    expect(a.incidents.filter((i) => i.kind === 'claim-flood').map((i) => [i.severity, i.cause?.code])).toEqual([['critical', 'claim-flood']]);
    expect(a.findingsDropped).toBeUndefined();
  });

  it('300,000 random IP/MAC pairs with flood detection off: state under every cap, findings stop at maxFindings and the rest are counted', async () => {
    const caps = { maxBindings: 20_000, maxRequesters: 5000, maxFindings: 500, claimFloodMinChanges: 0 };
    const a = await analyzeCaptures([input('pairs', 300_000)], { detect: caps });
    expect(a.captures[0]?.packets).toBe(300_000);
    expect(a.findings.length).toBeLessThanOrEqual(caps.maxFindings);
    expect(a.findings.length).toBe(caps.maxFindings);
    expect(a.findingsDropped).toBeGreaterThan(1000);
    expect(a.incidents.length).toBeLessThanOrEqual(caps.maxFindings);
    for (const inc of a.incidents) for (const k of inc.findings) expect(a.findings[k]).toBeDefined();
    const json = toJson(a) as { findingsDropped?: number; options: Record<string, unknown> };
    expect(json.findingsDropped).toBe(a.findingsDropped);
    expect(json.options.maxFindings).toBe(500);

    // Same flood straight into a Detector, to read its state sizes.
    const d = new Detector(caps);
    await readCaptures([input('pairs', 300_000)], (p) => {
      const ev = decodePacket(p);
      if (ev) d.push(ev);
    });
    const s = d.state();
    expect(s.bindings).toBeLessThanOrEqual(caps.maxBindings);
    expect(s.trafficOnlyBindings).toBeLessThanOrEqual(caps.maxBindings);
    expect(s.macRecords).toBeLessThanOrEqual(caps.maxRequesters);
    expect(s.dedupeEntries).toBeLessThanOrEqual(caps.maxRequesters);
    expect(s.evictedBindings).toBeGreaterThan(100_000);
  });
});

describe('a bridge that keeps flipping', () => {
  it('400 changes of one address fold into one finding whose step list stays capped', () => {
    const d = new Detector();
    const cap = d.options.maxEvidenceFrames;
    const macs = [0xb499ba112233, 0x001851000001];
    for (let i = 0; i <= 400; i++) {
      // The host's address answered from alternating MACs 5 s apart (beyond the 3 s clash window).
      const mac = macs[i % 2]!;
      const ev: ArpEvent = {
        kind: 'arp', op: 2, senderMac: mac, senderIp: '192.0.2.1', senderIpv4: 0xc0000201, targetMac: 0x002590aabbcc, targetIp: '192.0.2.254', targetIpv4: 0xc00002fe,
        info: { frame: i + 1, fileIndex: 0, tsSec: 1_795_251_600 + i * 5, tsNsec: 0, interfaceId: 0, srcMac: mac, dstMac: 0x002590aabbcc,
          vlan: null, vlans: [], packetType: null, ifIndex: null, wireLength: 60 },
      };
      d.push(ev);
    }
    const { findings } = d.finish();
    const changes = findings.filter((f) => f.kind === 'mac-change');
    expect(changes).toHaveLength(1);
    const f = changes[0]!;
    expect(f.kind === 'mac-change' && f.sequence.length).toBe(cap);
    expect(f.kind === 'mac-change' && f.steps?.length).toBe(cap);
    // The latest change is kept: the finding still ends at the last frame.
    expect(f.end.sec).toBe(1_795_251_600 + 400 * 5);
    expect(f.kind === 'mac-change' && f.steps?.at(-1)?.firstNew.sec).toBe(1_795_251_600 + 400 * 5);
  });
});
