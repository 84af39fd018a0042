/**
 * The record stream between the capture child and the parent (src/live/records.ts): records must
 * survive any chunking, and corrupt headers must fail with the byte offset.
 */
import { describe, expect, it } from 'vitest';
import { encodeRecord, RecordReader, RECORD_MESSAGE, RECORD_PACKET, type ChildRecord } from '../../src/live/records.js';
import { isBridgewatchError } from '../../src/errors.js';

interface Seen { type: number; tsSec: number; tsNsec: number; wireLength: number; payload: string }

function collect(chunks: Buffer[]): Seen[] {
  const seen: Seen[] = [];
  const reader = new RecordReader('live:test0', (r: ChildRecord) => {
    // Payloads are views valid only during the call: copy what we keep.
    seen.push({ type: r.type, tsSec: r.tsSec, tsNsec: r.tsNsec, wireLength: r.wireLength, payload: Buffer.from(r.payload).toString('hex') });
  });
  for (const c of chunks) reader.push(c);
  expect(reader.pendingBytes).toBe(0);
  return seen;
}

describe('RecordReader', () => {
  // Three records: a 42-byte ARP-sized packet, a JSON message, an empty packet.
  const arp = Buffer.alloc(42, 0xab);
  const json = Buffer.from('{"type":"ready","linkType":"ETHERNET"}');
  const stream = Buffer.concat([
    encodeRecord(RECORD_PACKET, arp, 1_763_717_389, 132_165_000, 60),
    encodeRecord(RECORD_MESSAGE, json),
    encodeRecord(RECORD_PACKET, new Uint8Array(0), 1_763_717_390, 999_999_999),
  ]);
  const expected: Seen[] = [
    { type: RECORD_PACKET, tsSec: 1_763_717_389, tsNsec: 132_165_000, wireLength: 60, payload: arp.toString('hex') },
    { type: RECORD_MESSAGE, tsSec: 0, tsNsec: 0, wireLength: json.length, payload: json.toString('hex') },
    { type: RECORD_PACKET, tsSec: 1_763_717_390, tsNsec: 999_999_999, wireLength: 0, payload: '' },
  ];

  it('decodes a whole stream in one chunk', () => {
    expect(collect([stream])).toEqual(expected);
  });

  it('decodes the same records whatever the chunk boundaries', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(collect([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
    // One byte at a time.
    expect(collect([...stream].map((b) => Buffer.of(b)))).toEqual(expected);
  });

  it('rejects an unknown record type with the byte offset', () => {
    const bad = Buffer.from(stream);
    const second = 20 + arp.length; // offset of the second record
    bad.writeUInt32LE(7, second);
    const reader = new RecordReader('live:test0', () => undefined);
    let error: unknown;
    try { reader.push(bad); } catch (e) { error = e; }
    expect(isBridgewatchError(error)).toBe(true);
    expect((error as Error).message).toBe(`live:test0, byte ${second}: corrupt record from the capture process (type 7, length ${json.length})`);
  });

  it('rejects an impossible payload length before buffering it', () => {
    const bad = encodeRecord(RECORD_PACKET, arp);
    bad.writeUInt32LE(0x7fffffff, 4);
    const reader = new RecordReader('live:test0', () => undefined);
    expect(() => reader.push(bad)).toThrow(/byte 0: corrupt record .*length 2147483647/);
  });
});
