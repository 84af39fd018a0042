/**
 * Hostile inputs: every fault yields its error code (as data, with file and byte offset in a one-line
 * message), every packet before it is delivered, nothing throws, nothing hangs. Inputs are the real
 * samples (samples/formats/, see its README) cut or patched at the offsets given in each test.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { readCaptures } from '../../src/capture/index.js';
import { decodePacket } from '../../src/decode/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStats } from '../../src/cli/stats.js';
import { readAll } from './helpers.js';

const dir = fileURLToPath(new URL('../../samples/formats/', import.meta.url));
const pcap = readFileSync(dir + 'eth-us.pcap');
const pcapng = readFileSync(dir + 'eth.pcapng');
const pcapGz = readFileSync(dir + 'eth-us.pcap.gz');

function input(buf: Uint8Array, path = 'hostile.cap'): { path: string; stream: Readable } {
  return { path, stream: Readable.from([Buffer.from(buf)]) };
}

async function read(buf: Uint8Array): Promise<{ packets: number; code: string | undefined; offset: number | undefined; message: string }> {
  const { packets, results } = await readAll([input(buf)]);
  const error = results[0]!.error;
  return { packets: packets.length, code: error?.code, offset: error?.location.offset, message: error?.message ?? '' };
}

/** Record start offsets of a little-endian classic pcap (walked here independently of the reader). */
function pcapRecords(buf: Buffer): number[] {
  const starts: number[] = [];
  for (let o = 24; o < buf.length; o += 16 + buf.readUInt32LE(o + 8)) starts.push(o);
  return starts;
}

/** Block start offsets of a little-endian pcapng, and which blocks are packets. */
function pcapngBlocks(buf: Buffer): Array<{ start: number; type: number }> {
  const blocks: Array<{ start: number; type: number }> = [];
  for (let o = 0; o < buf.length; o += buf.readUInt32LE(o + 4)) blocks.push({ start: o, type: buf.readUInt32LE(o) });
  return blocks;
}

function patched(buf: Buffer, at: number, value: number, bytes = 4): Buffer {
  const copy = Buffer.from(buf);
  if (bytes === 4) copy.writeUInt32LE(value >>> 0, at);
  else copy.writeUInt16LE(value, at);
  return copy;
}

describe('classic pcap faults', () => {
  it('empty input: CAPTURE_EMPTY', async () => {
    expect(await read(new Uint8Array(0))).toMatchObject({ packets: 0, code: 'CAPTURE_EMPTY', offset: 0 });
  });

  it('wrong magic: PCAP_BAD_MAGIC at byte 0', async () => {
    const r = await read(Buffer.from('this is not a capture file\n'));
    expect(r).toMatchObject({ packets: 0, code: 'PCAP_BAD_MAGIC', offset: 0 });
    expect(r.message).toMatch(/^hostile\.cap, byte 0: not a pcap or pcapng file \(magic 74686973\)$/);
  });

  it('truncation inside every header and record: CAPTURE_TRUNCATED at the cut record, earlier packets kept', async () => {
    const records = pcapRecords(pcap);
    const boundaries = new Set([...records, pcap.length]);
    // Every cut through the file header and the first three records, then around every boundary.
    const cuts = new Set<number>();
    for (let c = 1; c <= records[3]!; c++) cuts.add(c);
    for (const b of boundaries) for (const d of [-17, -16, -15, -1, 1, 8, 15]) if (b + d > 0 && b + d < pcap.length) cuts.add(b + d);
    for (const cut of cuts) {
      const r = await read(pcap.subarray(0, cut));
      const complete = records.filter((s, i) => (records[i + 1] ?? pcap.length) <= cut).length;
      expect(r.packets, `cut at ${cut}`).toBe(complete);
      if (boundaries.has(cut)) {
        expect(r.code, `cut at ${cut}`).toBeUndefined();
      } else {
        expect(r.code, `cut at ${cut}`).toBe('CAPTURE_TRUNCATED');
        expect(r.offset, `cut at ${cut}`).toBe(cut < 24 ? 0 : records[complete]);
        expect(r.message).not.toContain('\n');
      }
    }
  });

  it('caplen 0xffffffff: PCAP_BAD_RECORD_LENGTH at that field, packets before it kept', async () => {
    const second = pcapRecords(pcap)[1]!;
    const r = await read(patched(pcap, second + 8, 0xffffffff));
    expect(r).toMatchObject({ packets: 1, code: 'PCAP_BAD_RECORD_LENGTH', offset: second + 8 });
    expect(r.message).toContain('captured length 4294967295 exceeds the 262144-byte maximum');
  });

  it('caplen above the file snap length (up to 256 KiB): every record read whole and counted, as libpcap does', async () => {
    const records = pcapRecords(pcap);
    const over = records.filter((o) => pcap.readUInt32LE(o + 8) > 40).length;
    expect(over).toBeGreaterThan(0);
    const { packets, results } = await readAll([input(patched(pcap, 16, 40))]); // snaplen 40
    expect(results[0]!.error).toBeUndefined();
    expect(packets).toHaveLength(records.length);
    expect(packets.map((p) => p.capturedLength)).toEqual(records.map((o) => pcap.readUInt32LE(o + 8)));
    const firstFrame = records.findIndex((o) => pcap.readUInt32LE(o + 8) > 40) + 1;
    expect(results[0]!.info.overSnapLength).toMatchObject({ records: over, firstFrame });
    expect(results[0]!.info.overSnapLength!.detail).toMatch(/captured length \d+ exceeds the snap length 40/);
  });

  it('caplen above the file snap length: counted as the CAPLEN_OVER_SNAPLEN anomaly by stats', async () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'bw-snap-'));
    try {
      const file = join(dir2, 'snap40.pcap');
      writeFileSync(file, patched(pcap, 16, 40));
      const [summary] = await captureStats([file]);
      expect(summary!.error).toBeUndefined();
      expect(summary!.packets).toBe(pcapRecords(pcap).length);
      expect(summary!.anomalies['CAPLEN_OVER_SNAPLEN']).toBe(pcapRecords(pcap).filter((o) => pcap.readUInt32LE(o + 8) > 40).length);
      expect(summary!.anomalyExamples.some((a) => a.code === 'CAPLEN_OVER_SNAPLEN')).toBe(true);
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('truncated gzip: GZIP_CORRUPT after delivering what inflated', async () => {
    const r = await read(pcapGz.subarray(0, Math.floor(pcapGz.length * 0.7)));
    expect(r.code).toBe('GZIP_CORRUPT');
    expect(r.packets).toBeGreaterThan(0);
    expect(r.packets).toBeLessThan(pcapRecords(pcap).length);
  });

  it('gzip header followed by garbage: GZIP_CORRUPT', async () => {
    const r = await read(Buffer.concat([pcapGz.subarray(0, 10), Buffer.alloc(64, 0xa5)]));
    expect(r).toMatchObject({ packets: 0, code: 'GZIP_CORRUPT' });
  });

  it('missing file and directory: CAPTURE_UNREADABLE', async () => {
    const results = await readCaptures(['/nonexistent/bwcap.pcap', dir], () => undefined);
    expect(results.map((r) => r.error?.code)).toEqual(['CAPTURE_UNREADABLE', 'CAPTURE_UNREADABLE']);
    expect(results[0]!.error!.message).toBe('/nonexistent/bwcap.pcap: cannot read capture: no such file');
  });

  it('a fault in one of several inputs leaves the others complete', async () => {
    const { packets, results } = await readAll([input(pcap.subarray(0, 500), 'cut.pcap'), dir + 'eth-ns.pcap']);
    expect(results[0]!.error?.code).toBe('CAPTURE_TRUNCATED');
    expect(results[1]!.error).toBeUndefined();
    expect(packets.filter((p) => p.fileIndex === 1).length).toBe(pcapRecords(readFileSync(dir + 'eth-ns.pcap')).length);
  });
});

describe('pcapng faults', () => {
  const blocks = pcapngBlocks(pcapng);
  const idb = blocks.find((b) => b.type === 1)!.start;
  const epbs = blocks.filter((b) => b.type === 6).map((b) => b.start);

  it('truncation at every offset of the first blocks and around every block boundary', async () => {
    const starts = new Set([...blocks.map((b) => b.start), pcapng.length]);
    const cuts = new Set<number>();
    for (let c = 1; c <= epbs[2]!; c++) cuts.add(c);
    for (const s of starts) for (const d of [-5, -4, -1, 1, 4, 8, 11, 12]) if (s + d > 0 && s + d < pcapng.length) cuts.add(s + d);
    for (const cut of cuts) {
      const r = await read(pcapng.subarray(0, cut));
      expect(r.packets, `cut at ${cut}`).toBe(epbs.filter((s) => s + pcapng.readUInt32LE(s + 4) <= cut).length);
      if (starts.has(cut)) expect(r.code, `cut at ${cut}`).toBeUndefined();
      else if (cut < 4) expect(r.code, `cut at ${cut}`).toBe('CAPTURE_TRUNCATED');
      else {
        expect(r.code, `cut at ${cut}`).toBe('CAPTURE_TRUNCATED');
        expect(r.offset, `cut at ${cut}`).toBe(Math.max(...blocks.map((b) => b.start).filter((s) => s < cut)));
      }
    }
  });

  it.each([
    ['not a multiple of 4', 0x4e],
    ['smaller than a block header', 8],
    ['smaller than an EPB', 24],
    ['over 16 MiB (would make us buffer forever)', 0x7ffffff0],
  ])('EPB length %s: PCAPNG_BAD_BLOCK_LENGTH', async (_why, length) => {
    const r = await read(patched(pcapng, epbs[1]! + 4, length));
    expect(r).toMatchObject({ packets: 1, code: 'PCAPNG_BAD_BLOCK_LENGTH', offset: epbs[1]! + 4 });
  });

  it('trailing length differing from the leading one: PCAPNG_BAD_BLOCK_LENGTH at the trailer', async () => {
    const len = pcapng.readUInt32LE(epbs[0]! + 4);
    const r = await read(patched(pcapng, epbs[0]! + len - 4, len + 4));
    expect(r).toMatchObject({ packets: 0, code: 'PCAPNG_BAD_BLOCK_LENGTH', offset: epbs[0]! + len - 4 });
  });

  it('EPB caplen above the interface snap length: read whole and counted', async () => {
    const idb = pcapngBlocks(pcapng).find((b) => b.type === 1)!;
    const caplen = pcapng.readUInt32LE(epbs[0]! + 20);
    const { packets, results } = await readAll([input(patched(pcapng, idb.start + 12, caplen - 1))]);
    expect(results[0]!.error).toBeUndefined();
    expect(packets).toHaveLength(epbs.length);
    expect(packets[0]!.capturedLength).toBe(caplen);
    expect(results[0]!.info.overSnapLength?.records).toBeGreaterThanOrEqual(1);
    expect(results[0]!.info.overSnapLength?.firstFrame).toBe(1);
  });

  it('EPB caplen larger than its block: PCAP_BAD_RECORD_LENGTH', async () => {
    const r = await read(patched(pcapng, epbs[0]! + 20, 5000));
    expect(r).toMatchObject({ packets: 0, code: 'PCAP_BAD_RECORD_LENGTH', offset: epbs[0]! + 20 });
  });

  it('packet for an interface without IDB: PCAPNG_UNKNOWN_INTERFACE', async () => {
    const r = await read(patched(pcapng, epbs[3]! + 8, 7));
    expect(r).toMatchObject({ packets: 3, code: 'PCAPNG_UNKNOWN_INTERFACE', offset: epbs[3]! + 8 });
    expect(r.message).toContain('interface 7 has no interface description block');
  });

  it('bad byte-order magic: PCAPNG_BAD_BYTE_ORDER', async () => {
    const r = await read(patched(pcapng, 8, 0x11223344));
    expect(r).toMatchObject({ packets: 0, code: 'PCAPNG_BAD_BYTE_ORDER', offset: 8 });
  });

  it('unknown block types are skipped by their length', async () => {
    // Block type 0x0badcafe, 20 bytes, inserted before the first EPB.
    const unknown = Buffer.from('fecaad0b14000000010203040506070814000000', 'hex');
    const withUnknown = Buffer.concat([pcapng.subarray(0, idb), pcapng.subarray(idb, epbs[0]!), unknown, pcapng.subarray(epbs[0]!)]);
    const a = await readAll([input(withUnknown)]);
    const b = await readAll([input(pcapng)]);
    expect(a.results[0]!.error).toBeUndefined();
    expect(a.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(b.packets.map((p) => Buffer.from(p.data).toString('hex')));
  });
});

describe('random corruption never escapes as an exception', () => {
  it('mutated pcap and pcapng files end with a packet count and at most a coded error', async () => {
    const codes = new Set(['CAPTURE_TRUNCATED', 'PCAP_BAD_RECORD_LENGTH', 'PCAPNG_BAD_BLOCK_LENGTH', 'PCAPNG_BAD_BYTE_ORDER',
      'PCAPNG_UNKNOWN_INTERFACE', 'PCAP_BAD_MAGIC', 'CAPTURE_EMPTY', 'GZIP_CORRUPT']);
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(pcap, pcapng),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat(),
      async (base, flips, cutSeed) => {
        const buf = Buffer.from(base.subarray(0, base.length - (cutSeed % 64)));
        for (const [at, value] of flips) buf[at % buf.length] = value;
        const results = await readCaptures([input(buf)], (p) => { decodePacket(p); });
        const error: { code: string } | undefined = results[0]!.error;
        if (error !== undefined) expect(codes.has(error.code)).toBe(true);
      },
    ), { numRuns: 300 });
  });
});
