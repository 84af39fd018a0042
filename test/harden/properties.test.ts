/**
 * Property-based tests (fast-check) for the decoders and parsers. Inputs are generated, not
 * fixtures: arbitrary frames for every link type, arbitrary record lists written as classic pcap
 * and pcapng in both byte orders (round trip, any chunking, any truncation), arbitrary link-log
 * lines, arbitrary ARP event streams for the detector. Seeds are fixed (FC_SEED to override) so a
 * failure replays; fast-check prints the shrunk counterexample.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/index.js';
import type { CapturePacket } from '../../src/capture/types.js';
import { decodePacket } from '../../src/decode/index.js';
import type { ArpEvent } from '../../src/decode/events.js';
import { Detector } from '../../src/detect/detector.js';
import { type BridgewatchError } from '../../src/errors.js';
import { parseLinkText } from '../../src/links/index.js';
import { errorViolation } from '../../tools/fuzz/case.js';
import { randomLogLine } from '../../tools/fuzz/mutate-log.js';
import { Rng } from '../../tools/fuzz/rng.js';

const seed = Number(process.env.FC_SEED ?? 9090);
const params = { seed, numRuns: 300 };

interface Rec { sec: number; frac: number; data: Uint8Array }

const recordArb = fc.record({
  sec: fc.integer({ min: 0, max: 0xffffffff }),
  frac: fc.integer({ min: 0, max: 999_999 }),
  data: fc.uint8Array({ minLength: 0, maxLength: 120 }),
});

/** Classic pcap, µs, given byte order, Ethernet (the writer under test is the reader's mirror). */
function writePcap(recs: Rec[], le: boolean): Uint8Array {
  const total = 24 + recs.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, 65535, le);
  v.setUint32(20, 1, le);
  let o = 24;
  for (const r of recs) {
    v.setUint32(o, r.sec, le);
    v.setUint32(o + 4, r.frac, le);
    v.setUint32(o + 8, r.data.length, le);
    v.setUint32(o + 12, r.data.length, le);
    out.set(r.data, o + 16);
    o += 16 + r.data.length;
  }
  return out;
}

/** pcapng: SHB, one Ethernet IDB (default µs resolution), one EPB per record; given byte order. */
function writePcapng(recs: Rec[], le: boolean): { bytes: Uint8Array; ends: number[] } {
  const blocks: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array): void => {
    const len = 12 + ((body.length + 3) & ~3);
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, type, le);
    v.setUint32(4, len, le);
    b.set(body, 8);
    v.setUint32(len - 4, len, le);
    blocks.push(b);
  };
  const shb = new Uint8Array(16);
  new DataView(shb.buffer).setUint32(0, 0x1a2b3c4d, le);
  new DataView(shb.buffer).setUint16(4, 1, le);
  new DataView(shb.buffer).setBigInt64(8, -1n, le);
  block(0x0a0d0d0a, shb);
  const idb = new Uint8Array(8);
  new DataView(idb.buffer).setUint16(0, 1, le);
  new DataView(idb.buffer).setUint32(4, 65535, le);
  block(1, idb);
  for (const r of recs) {
    const body = new Uint8Array(20 + r.data.length);
    const v = new DataView(body.buffer);
    const ts = BigInt(r.sec) * 1_000_000n + BigInt(r.frac);
    v.setUint32(4, Number(ts >> 32n), le);
    v.setUint32(8, Number(ts & 0xffffffffn), le);
    v.setUint32(12, r.data.length, le);
    v.setUint32(16, r.data.length, le);
    body.set(r.data, 20);
    block(6, body);
  }
  const ends: number[] = [];
  let o = 0;
  for (const b of blocks) ends.push((o += b.length));
  const bytes = new Uint8Array(o);
  o = 0;
  for (const b of blocks) { bytes.set(b, o); o += b.length; }
  return { bytes, ends };
}

function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

async function readAll(bytes: Uint8Array, cuts: number[]): Promise<{ got: Rec[]; error?: BridgewatchError }> {
  const got: Rec[] = [];
  const [result] = await readCaptures([{ path: 'prop', stream: Readable.from(chunks(bytes, cuts)) }], (p: CapturePacket) => {
    got.push({ sec: p.tsSec, frac: p.tsNsec / 1000, data: p.data.slice() });
  });
  return result?.error ? { got, error: result.error } : { got };
}

describe('capture readers (property)', () => {
  it('classic pcap round-trips any records in either byte order and any chunking', async () => {
    await fc.assert(fc.asyncProperty(fc.array(recordArb, { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }),
      async (recs, le, cuts) => {
        const { got, error } = await readAll(writePcap(recs, le), cuts);
        expect(error).toBeUndefined();
        expect(got).toEqual(recs.map((r) => ({ sec: r.sec, frac: r.frac, data: r.data })));
      }), params);
  });

  it('pcapng round-trips any records in either byte order and any chunking', async () => {
    await fc.assert(fc.asyncProperty(fc.array(recordArb, { maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }),
      async (recs, le, cuts) => {
        const { got, error } = await readAll(writePcapng(recs, le).bytes, cuts);
        expect(error).toBeUndefined();
        expect(got).toEqual(recs.map((r) => ({ sec: r.sec, frac: r.frac, data: r.data })));
      }), params);
  });

  it('a pcapng cut anywhere keeps every whole packet before the cut and says CAPTURE_TRUNCATED with the offset', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(recordArb, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.nat(), fc.array(fc.nat(), { maxLength: 4 }),
      async (recs, le, cutSeed, cuts) => {
        const { bytes, ends } = writePcapng(recs, le);
        const cut = cutSeed % (bytes.length + 1);
        const { got, error } = await readAll(bytes.subarray(0, cut), cuts);
        // Blocks 0 and 1 are SHB and IDB; packet k ends at ends[k + 2].
        const whole = ends.slice(2).filter((e) => e <= cut).length;
        expect(got.length).toBe(whole);
        if (cut === 0) expect(error?.code).toBe('CAPTURE_EMPTY');
        else if (ends.includes(cut)) expect(error).toBeUndefined();
        else {
          expect(error?.code).toBe('CAPTURE_TRUNCATED');
          expect(error?.location.offset).toBe(Math.max(0, ...ends.filter((e) => e <= cut)));
        }
      }), params);
  });

  it('a classic pcap with random bytes spliced in never throws and keeps the packets before the damage', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(recordArb, { minLength: 1, maxLength: 10 }), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 40 }),
      async (recs, atSeed, junk) => {
        const clean = writePcap(recs, true);
        const at = 24 + (atSeed % (clean.length - 23));
        const bytes = new Uint8Array(clean.length + junk.length);
        bytes.set(clean.subarray(0, at));
        bytes.set(junk, at);
        bytes.set(clean.subarray(at), at + junk.length);
        const { got, error } = await readAll(bytes, []);
        if (error) expect(errorViolation(error, true)).toBeNull();
        let o = 24;
        let before = 0;
        for (const r of recs) { o += 16 + r.data.length; if (o <= at) before++; }
        expect(got.length).toBeGreaterThanOrEqual(before);
        expect(got.slice(0, before)).toEqual(recs.slice(0, before).map((r) => ({ sec: r.sec, frac: r.frac, data: r.data })));
      }), params);
  });
});

describe('decodePacket (property)', () => {
  const linkTypes = fc.oneof(fc.constantFrom(1, 113, 276, 101, 228, 229), fc.integer({ min: 0, max: 0xffff }));
  /** Frames that start like the ones decoders branch on, then go random. */
  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.tuple(
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
      fc.constantFrom(0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x0026, 0x05dc),
      fc.uint8Array({ maxLength: 120 })).map(([macs, type, rest]) => Uint8Array.from([...macs, type >> 8, type & 0xff, ...rest])),
  );
  it('never throws, never trips its safety net, and answers null or a typed event for the same frame', () => {
    fc.assert(fc.property(frame, linkTypes, fc.integer({ min: 0, max: 20 }), (data, linkType, cut) => {
      const capturedLength = Math.max(0, data.length - cut);
      const p: CapturePacket = {
        frame: 7, fileIndex: 0, tsSec: 1_795_253_604, tsNsec: 5, interfaceId: 0, linkType, capturedLength,
        originalLength: data.length, data,
      };
      const ev = decodePacket(p);
      if (ev === null) return;
      expect(['arp', 'ndp', 'ip', 'stp', 'anomaly']).toContain(ev.kind);
      expect(ev.info.frame).toBe(7);
      if (ev.kind === 'anomaly') expect(ev.code).not.toBe('DECODER_FAULT');
    }), { seed, numRuns: 20_000 });
  });
});

describe('link-log parsers (property)', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.integer().map((n) => randomLogLine(new Rng(n))),
    fc.constantFrom('[2026-11-21T09:09:49.132165] 6: vnet5@vnet5p: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN ',
      '    link/ether 00:18:51:00:00:01', 'Timestamp: Sat Nov 21 09:09:49 2026 132311 usec',
      '[  338.304899] lkb6696: port 1(lke6696) entered blocking state', 'Nov 21 09:33:24 hv kernel: lke6696: entered allmulticast mode'),
  );
  it('any lines: parsed events or a coded, located BridgewatchError; never another exception', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.constantFrom(undefined, 'UTC', 'Europe/Berlin', '-05:00'), (lines, timezone) => {
      try {
        const log = parseLinkText(lines.join('\n'), 'prop.log', timezone ? { timezone } : {});
        for (const ev of log.events) if (ev.time) expect(ev.time.nsec).toBeLessThan(1e9);
        expect(log.unparsed.length).toBeLessThanOrEqual(lines.length + 1);
      } catch (e) {
        expect(errorViolation(e, true)).toBeNull();
      }
    }), { seed, numRuns: 2000 });
  });
});

describe('Detector (property)', () => {
  const arp = fc.record({
    dt: fc.integer({ min: 0, max: 3_000_000_000 }),
    op: fc.constantFrom(1, 2),
    ip: fc.integer({ min: 0, max: 12 }),
    target: fc.integer({ min: 0, max: 12 }),
    mac: fc.integer({ min: 0, max: 5 }),
    vlan: fc.constantFrom(null, 7),
  });
  it('any ARP stream keeps state under tiny caps, and findings cite only frames that were pushed', () => {
    fc.assert(fc.property(fc.array(arp, { maxLength: 300 }), (steps) => {
      const d = new Detector({ maxBindings: 4, maxRequesters: 4, maxEvidenceFrames: 5 });
      let ns = 0n;
      steps.forEach((s, i) => {
        ns += BigInt(s.dt);
        const mac = 0x001851000000 + s.mac;
        const ev: ArpEvent = {
          kind: 'arp', op: s.op, senderMac: mac, senderIp: `192.0.2.${s.ip}`, senderIpv4: 0xc0000200 + s.ip,
          targetMac: s.op === 2 ? 0x002590aabbcc : 0, targetIp: `192.0.2.${s.target}`, targetIpv4: 0xc0000200 + s.target,
          info: { frame: i + 1, fileIndex: 0, tsSec: 1_795_253_604 + Number(ns / 1_000_000_000n), tsNsec: Number(ns % 1_000_000_000n),
            interfaceId: 0,
            srcMac: mac, dstMac: 0xffffffffffff, vlan: s.vlan, vlans: s.vlan === null ? [] : [s.vlan], packetType: null, ifIndex: null,
            wireLength: 60 },
        };
        d.push(ev);
      });
      const st = d.state();
      expect(st.bindings).toBeLessThanOrEqual(4);
      expect(st.macRecords).toBeLessThanOrEqual(4);
      expect(st.bursts).toBeLessThanOrEqual(4);
      const { findings, incidents } = d.finish();
      expect(findings.length).toBeLessThanOrEqual(steps.length);
      for (const f of findings) {
        const refs = JSON.stringify(f).match(/"frame":\d+/g) ?? [];
        for (const r of refs) expect(Number(r.slice(8))).toBeLessThanOrEqual(steps.length);
      }
      for (const inc of incidents) for (const k of inc.findings) expect(findings[k]).toBeDefined();
    }), { seed, numRuns: 500 });
  });
});
