/**
 * ByteQueue's read-ahead (plain files): the next chunk is read into a spare buffer while the
 * current one is parsed, and the unread tail of the current one is joined in front of it. Random
 * bytes (xorshift32, seed below) are read back in small chunks while a consumer takes random
 * amounts, leaving tails both shorter and longer than the head room; every byte must come back
 * once, in order, at the offset the queue reports.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src/capture/bytes.js';
import { xorshift32 } from '../xorshift.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-read-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomFile(bytes: number, seed: number): { path: string; data: Uint8Array } {
  const next = xorshift32(seed);
  const data = Uint8Array.from({ length: bytes }, () => next() & 0xff);
  const path = join(dir, `random-${seed}.bin`);
  writeFileSync(path, data);
  return { path, data };
}

/** Reads `path` through the read-ahead, consuming random amounts; returns the bytes consumed and the tails seen. */
async function readBack(path: string, chunk: number, headRoom: number, seed: number): Promise<{ out: number[]; longTails: number }> {
  const q = new ByteQueue();
  const next = xorshift32(seed);
  const fd = openSync(path, 'r');
  const out: number[] = [];
  let longTails = 0;
  try {
    q.startReadAhead(fd, chunk, headRoom);
    for (;;) {
      const n = await q.takeReadAhead(headRoom);
      if (n === 0) break;
      q.startReadAhead(fd, chunk, headRoom);
      // Consume all but a random tail, as a parser leaves a partial record.
      const keep = Math.min(q.available, next() % (2 * headRoom));
      expect(q.offset).toBe(out.length);
      for (let i = q.pos; i < q.buf.length - keep; i++) out.push(q.buf[i]!);
      expect(q.view.getUint8(q.pos)).toBe(q.buf[q.pos]);
      q.pos = q.buf.length - keep;
      if (keep > headRoom) longTails++;
    }
    for (let i = q.pos; i < q.buf.length; i++) out.push(q.buf[i]!);
  } finally {
    await q.settleReadAhead();
    closeSync(fd);
  }
  return { out, longTails };
}

describe('ByteQueue read-ahead', () => {
  it('returns every byte once and in order, with tails shorter and longer than the head room', async () => {
    const { path, data } = randomFile(200_000, 0x5eed1);
    const { out, longTails } = await readBack(path, 1000, 64, 0x5eed2);
    expect(out.length).toBe(data.length);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    expect(longTails).toBeGreaterThan(0);
  });

  it('joins a tail longer than the head room in front of a short last read', async () => {
    // 2300 bytes in chunks of 1000: the second chunk sits 64 bytes into its buffer (after an
    // empty tail), and the last read brings 300 bytes behind a 100-byte tail, more than the room.
    const { path, data } = randomFile(2300, 0x5eed3);
    const q = new ByteQueue();
    const fd = openSync(path, 'r');
    const out: number[] = [];
    const take = (keep: number): void => {
      for (let i = q.pos; i < q.buf.length - keep; i++) out.push(q.buf[i]!);
      q.pos = q.buf.length - keep;
    };
    try {
      for (const keep of [0, 100, 0]) {
        q.startReadAhead(fd, 1000, 64);
        expect(await q.takeReadAhead(64)).toBeGreaterThan(0);
        expect(q.offset).toBe(out.length);
        take(keep);
      }
      q.startReadAhead(fd, 1000, 64);
      expect(await q.takeReadAhead(64)).toBe(0);
    } finally {
      await q.settleReadAhead();
      closeSync(fd);
    }
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
  });

  it('settles a pending read before the descriptor is closed, and ends at 0 on an empty file', async () => {
    const { path } = randomFile(0, 1);
    const q = new ByteQueue();
    const fd = openSync(path, 'r');
    q.startReadAhead(fd, 1000, 64);
    expect(q.readingAhead).toBe(true);
    expect(await q.takeReadAhead(64)).toBe(0);
    q.startReadAhead(fd, 1000, 64);
    await q.settleReadAhead();
    expect(q.readingAhead).toBe(false);
    closeSync(fd);
  });
});
