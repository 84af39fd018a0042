/**
 * `--save` rotation (src/live/save.ts): the newest frames are always in FILE, older files shift to
 * FILE.1, FILE.2 ..., at most `files` are kept, and every kept file is a readable pcapng.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingPcapngSaver, rotatedName } from '../../src/live/save.js';
import { readCaptures } from '../../src/capture/index.js';
import type { CapturePacket } from '../../src/capture/types.js';

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function packet(frame: number, size: number): CapturePacket {
  const data = new Uint8Array(size).fill(frame % 256);
  return {
    frame, fileIndex: 0, tsSec: 1_763_717_389 + frame, tsNsec: 500, interfaceId: 0, linkType: 1,
    capturedLength: size, originalLength: size, data,
  };
}

async function frameBytes(path: string): Promise<number[]> {
  const firstBytes: number[] = [];
  const [result] = await readCaptures([path], (p) => firstBytes.push(p.data[0]!));
  expect(result?.error).toBeUndefined();
  return firstBytes;
}

describe('RotatingPcapngSaver', () => {
  it('names rotated files before the extension', () => {
    expect(rotatedName('/x/ev.pcapng', 1)).toBe('/x/ev.1.pcapng');
    expect(rotatedName('ev', 3)).toBe('ev.3');
  });

  it('keeps the newest frames in FILE and at most K files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bwlv-save-'));
    const path = join(dir, 'ev.pcapng');
    // 1000-byte frames, 4 KiB cap: a file rotates after 4 frames (EPB = 1032 bytes each).
    const saver = new RotatingPcapngSaver({ path, maxBytes: 4096, files: 3, iface: 'br0' });
    for (let i = 1; i <= 20; i++) saver.write(packet(i, 1000));
    const files = saver.close();
    expect(files).toEqual([path, rotatedName(path, 1), rotatedName(path, 2)]);
    expect(readdirSync(dir).sort()).toEqual(['ev.1.pcapng', 'ev.2.pcapng', 'ev.pcapng']);
    expect(saver.framesWritten).toBe(20);
    expect(saver.rotations).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(statSync(f).size).toBeLessThan(4096 + 1100);
    // Frames are consecutive across the kept files, oldest file first, ending with frame 20.
    const all = [...(await frameBytes(files[2]!)), ...(await frameBytes(files[1]!)), ...(await frameBytes(files[0]!))];
    expect(all[all.length - 1]).toBe(20);
    expect(all).toEqual(all.map((_, k) => 20 - all.length + 1 + k));
  });
});
