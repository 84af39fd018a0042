/**
 * Oracle tests: the samples in samples/formats/ were made with real tools (see its README and
 * make.sh); every packet we read must equal what tshark reads: count, timestamp to the ns,
 * lengths, interface id, VLAN ids, and the addresses the decoders extract.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectSameAsTshark, SAMPLES } from './compare.js';
import { epoch, toolOrSkip, readAll, tshark, tsharkOrSkip } from './helpers.js';

const dir = fileURLToPath(new URL('../../samples/formats/', import.meta.url));
const haveTshark = tsharkOrSkip();

describe.skipIf(!haveTshark)('samples read exactly as tshark reads them', () => {
  for (const sample of SAMPLES) {
    it(sample.file, async () => {
      await expectSameAsTshark(dir + sample.file, sample);
    });
  }

  it('merges several files by timestamp, keeping each file\'s frame numbers', async () => {
    const files = ['eth-ns.pcap', 'sll2.pcap'].map((f) => dir + f);
    const { packets } = await readAll(files);
    const counts = files.map((f) => tshark(f, ['frame.number']).length);
    expect(packets.length).toBe(counts[0]! + counts[1]!);
    for (let i = 1; i < packets.length; i++) {
      const a = packets[i - 1]!;
      const b = packets[i]!;
      expect(a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec <= b.tsNsec)).toBe(true);
    }
    for (const fileIndex of [0, 1]) {
      const frames = packets.filter((p) => p.fileIndex === fileIndex).map((p) => p.frame);
      expect(frames).toEqual(frames.map((_, i) => i + 1));
    }
    // mergecap did the same merge: same timestamps in the same order.
    const merged = tshark(dir + 'merged.pcapng', ['frame.time_epoch']).map((r) => r[0]);
    expect(packets.map(epoch)).toEqual(merged);
  });
});

describe.skipIf(!haveTshark || !toolOrSkip('editcap'))('ring files', () => {
  it('files split by editcap -c (like tcpdump -C rings) merge back into the original order', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bwcap-'));
    try {
      execFileSync('editcap', ['-c', '10', dir + 'eth-ns.pcap', join(tmp, 'ring.pcap')], { stdio: 'ignore' });
      const parts = readdirSync(tmp).sort().map((f) => join(tmp, f));
      expect(parts.length).toBeGreaterThan(3);
      // Given in reverse order: the merge goes by timestamp, not by argument order.
      const { packets, results } = await readAll([...parts].reverse());
      expect(results.every((r) => r.error === undefined)).toBe(true);
      const original = tshark(dir + 'eth-ns.pcap', ['frame.time_epoch', 'frame.len']);
      expect(packets.map((p) => [epoch(p), String(p.originalLength)])).toEqual(original);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
