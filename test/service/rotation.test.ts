/**
 * What the service keeps on disk: postmortems stamped with the stop time and pruned by count and
 * age (a run = its .md, .html and .json; other files are never touched), and `--save` files
 * started anew on SIGHUP (RotatingPcapngSaver.reopen): rotated when the file is still in place,
 * a fresh file when logrotate moved it away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneReports, reportsToPrune, reportStamp, stampedReportName } from '../../src/service/reports.js';
import { RotatingPcapngSaver } from '../../src/live/save.js';
import { readCaptures } from '../../src/capture/index.js';
import type { CapturePacket } from '../../src/capture/types.js';

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

const NOW = new Date('2026-12-05T03:00:00Z');
const day = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);
const run = (base: string, d: Date): string[] => ['md', 'html', 'json'].map((e) => `${stampedReportName(base, d)}.${e}`);

describe('report rotation', () => {
  it('stamps names with the UTC stop time, to the second', () => {
    expect(reportStamp(new Date('2026-12-05T03:19:00.789Z'))).toBe('20261205T031900Z');
    expect(stampedReportName('live-vmbr0', NOW)).toBe('live-vmbr0-20261205T030000Z');
  });

  it('keeps the newest N runs whole', () => {
    const names = [...run('live-br0', day(3)), ...run('live-br0', day(1)), ...run('live-br0', day(2)), 'live-br0.json', 'notes.md'];
    expect(reportsToPrune(names, 'live-br0', { keep: 2 }, NOW)).toEqual(run('live-br0', day(3)).sort());
    expect(reportsToPrune(names, 'live-br0', { keep: 5 }, NOW)).toEqual([]);
  });

  it('removes runs older than the age limit, and only runs of this base', () => {
    const names = [...run('live-br0', day(10)), ...run('live-br0', day(40)), ...run('live-br1', day(400)), 'live-br0-garbage.md'];
    expect(reportsToPrune(names, 'live-br0', { maxAgeDays: 30 }, NOW)).toEqual(run('live-br0', day(40)).sort());
    expect(reportsToPrune(names, 'live-br0', {}, NOW)).toEqual([]);
  });

  it('prunes a real directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'bwsv-rot-'));
    for (const n of [...run('live-br0', day(1)), ...run('live-br0', day(2)), 'keep.txt']) writeFileSync(join(dir, n), 'x');
    const removed = pruneReports(dir, 'live-br0', { keep: 1 }, NOW);
    expect(removed).toHaveLength(3);
    expect(readdirSync(dir).sort()).toEqual([...run('live-br0', day(1)), 'keep.txt'].sort());
    expect(pruneReports(join(dir, 'missing'), 'live-br0', { keep: 1 })).toEqual([]);
  });
});

function packet(frame: number): CapturePacket {
  const data = new Uint8Array(60).fill(frame);
  return {
    frame, fileIndex: 0, tsSec: 1_763_717_389 + frame, tsNsec: 0, interfaceId: 0, linkType: 1, capturedLength: 60, originalLength: 60, data,
  };
}

async function firstBytes(path: string): Promise<number[]> {
  const out: number[] = [];
  const [r] = await readCaptures([path], (p) => out.push(p.data[0]!));
  expect(r?.error).toBeUndefined();
  return out;
}

describe('--save on SIGHUP (reopen)', () => {
  it('file still in place: rotates it, the new frames go to a fresh FILE', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bwsv-hup-'));
    const path = join(dir, 'ev.pcapng');
    const saver = new RotatingPcapngSaver({ path, maxBytes: 1 << 20, files: 3, iface: 'br0' });
    saver.write(packet(1));
    saver.reopen();
    saver.write(packet(2));
    expect(saver.close()).toEqual([path, join(dir, 'ev.1.pcapng')]);
    expect(await firstBytes(join(dir, 'ev.1.pcapng'))).toEqual([1]);
    expect(await firstBytes(path)).toEqual([2]);
    expect(saver.rotations).toBe(1);
  });

  it('file moved away by logrotate: a fresh file at the path, the moved one untouched', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bwsv-hup-'));
    const path = join(dir, 'ev.pcapng');
    const saver = new RotatingPcapngSaver({ path, maxBytes: 1 << 20, files: 3, iface: 'br0' });
    saver.write(packet(1));
    renameSync(path, join(dir, 'ev.pcapng-20261205'));
    saver.reopen();
    saver.write(packet(2));
    saver.close();
    expect(existsSync(join(dir, 'ev.1.pcapng'))).toBe(false);
    expect(await firstBytes(join(dir, 'ev.pcapng-20261205'))).toEqual([1]);
    expect(await firstBytes(path)).toEqual([2]);
  });
});
