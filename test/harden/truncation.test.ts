/**
 * Truncation at EVERY header boundary (and one byte either side) of every shipped capture format
 * sample (samples/formats: pcap µs/ns in both byte orders, SLL, SLL2, VLAN, QinQ, pcapng LE/BE,
 * two sections, merged interfaces; plus a lab pcapng cut to 24 KiB): as when a reboot stopped the
 * capture. Whatever was whole before the cut must be delivered, and the cut must be reported as
 * CAPTURE_TRUNCATED at the offset where the incomplete record starts (CAPTURE_EMPTY at 0 bytes),
 * or not at all when the cut falls exactly between records.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/index.js';
import { headerBoundaries, scanLayout } from '../../tools/fuzz/layout.js';
import { trimCapture } from '../../tools/fuzz/corpus.js';

const root = new URL('../../samples/', import.meta.url).pathname;
const samples: Array<[string, Uint8Array]> = readdirSync(`${root}formats`)
  .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
  .map((f): [string, Uint8Array] => {
    const raw = readFileSync(`${root}formats/${f}`);
    return [f, new Uint8Array(f.endsWith('.gz') ? gunzipSync(raw) : raw)];
  });
samples.push(['guest-start-stop-sll2/br0.pcapng (24 KiB)', trimCapture(new Uint8Array(readFileSync(`${root}guest-start-stop-sll2/br0.pcapng`)), 24 * 1024)]);

async function read(bytes: Uint8Array): Promise<{ packets: number; code?: string; offset?: number }> {
  let packets = 0;
  const [r] = await readCaptures([{ path: 'cut', stream: Readable.from([bytes]) }], () => { packets++; });
  if (!r?.error) return { packets };
  return { packets, code: r.error.code, ...(r.error.location.offset !== undefined ? { offset: r.error.location.offset } : {}) };
}

describe('truncation at every header boundary', () => {
  it('found the samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });
  for (const [name, bytes] of samples) {
    it(name, async () => {
      const layout = scanLayout(bytes);
      expect(layout.kind).not.toBe('unknown');
      // The scan must cover the whole (well-formed) sample, or the expectations below are wrong.
      expect(layout.records.at(-1)?.end).toBe(bytes.length);
      const packetEnds = layout.records.filter((r) => r.dataAt >= 0).map((r) => r.end);
      const recordEnds = new Set(layout.records.map((r) => r.end));
      const cuts = new Set<number>();
      for (const b of headerBoundaries(layout)) for (const d of [-1, 0, 1]) if (b + d >= 0 && b + d <= bytes.length) cuts.add(b + d);
      let checked = 0;
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const got = await read(bytes.subarray(0, cut));
        const whole = packetEnds.filter((e) => e <= cut).length;
        expect(got.packets, `cut at ${cut}`).toBe(whole);
        if (cut === 0) expect(got.code).toBe('CAPTURE_EMPTY');
        else if (recordEnds.has(cut)) expect(got.code, `cut at ${cut}`).toBeUndefined();
        else {
          expect(got.code, `cut at ${cut}`).toBe('CAPTURE_TRUNCATED');
          const lastWhole = Math.max(0, ...[...recordEnds].filter((e) => e <= cut));
          // A file header cut short is reported at byte 0; a record at its first byte.
          expect(got.offset, `cut at ${cut}`).toBe(lastWhole);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(3 * packetEnds.length);
    });
  }
});
