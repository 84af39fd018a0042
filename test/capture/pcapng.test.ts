/**
 * pcapng details no capture tool writes on demand: power-of-two if_tsresol, if_tsoffset, OPB, SPB,
 * unknown blocks, a big-endian second section. Fixture: PCAPNG_TWO_SECTIONS_HEX (fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ARP_REQUEST_HEX, fromHex, PCAPNG_TWO_SECTIONS_HEX } from './fixtures.js';
import { epoch, toolOrSkip, readAll, tshark } from './helpers.js';

const bytes = fromHex(PCAPNG_TWO_SECTIONS_HEX);

/** The fixture as a stream of `size`-byte chunks, so records straddle chunk boundaries. */
function chunked(buf: Uint8Array, size: number): Readable {
  const parts: Buffer[] = [];
  for (let o = 0; o < buf.length; o += size) parts.push(Buffer.from(buf.subarray(o, o + size)));
  return Readable.from(parts);
}

describe('pcapng reader on a hand-made two-section file', () => {
  it('reads every packet block type with exact timestamps and interface data', async () => {
    const { packets, results } = await readAll([{ path: 'two.pcapng', stream: chunked(bytes, 4096) }]);
    expect(results[0]!.error).toBeUndefined();
    const info = results[0]!.info;
    expect(info.format).toBe('pcapng');
    expect(info.linkTypes).toEqual([1, 1, 1]);
    expect(info.interfaceNames).toEqual(['eth9', undefined, undefined]);
    expect(info.snapLengths).toEqual([1024, 0, 65536]);
    expect(packets.map((p) => [p.frame, epoch(p), p.interfaceId, p.capturedLength, p.originalLength])).toEqual([
      [1, '1700000100.500000953', 0, 42, 60], // EPB: 2^-20 units, + if_tsoffset 100 s, truncated to ns
      [2, '1661765797.495360000', 1, 42, 42], // OPB: default µs resolution
      [3, '0.000000000', 0, 42, 42], // SPB: no timestamp (tshark shows none)
      [4, '1701021950.973718293', 0, 42, 42], // big-endian section, ns resolution
    ]);
    for (const p of packets) expect(p.event?.kind === 'arp' ? p.event.targetIp : null).toBe('192.0.2.2');
  });

  it('gives the same packets whatever the chunk size (records straddling chunks)', async () => {
    const whole = await readAll([{ path: 'a', stream: chunked(bytes, bytes.length) }]);
    for (const size of [1, 3, 7, 64]) {
      const split = await readAll([{ path: 'b', stream: chunked(bytes, size) }]);
      expect(split.results[0]!.error).toBeUndefined();
      expect(split.packets.map((p) => [epoch(p), Buffer.from(p.data).toString('hex')]))
        .toEqual(whole.packets.map((p) => [epoch(p), Buffer.from(p.data).toString('hex')]));
    }
  });

  it.skipIf(!toolOrSkip('tshark'))('matches tshark on the fixture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bwcap-'));
    try {
      const file = join(dir, 'two.pcapng');
      writeFileSync(file, bytes);
      const rows = tshark(file, ['frame.time_epoch', 'frame.interface_id', 'frame.len']);
      const { packets } = await readAll([file]);
      expect(packets.map((p) => [p.tsSec === 0 ? '' : epoch(p), String(p.interfaceId), String(p.originalLength)])).toEqual(rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('classic pcap link-type field', () => {
  it('strips the FCS bits (draft-ietf-opsawg-pcap 4) and records the FCS length', async () => {
    // Hand-made: eth-us.pcap's header with link-type field 0x24000001 = FCS present (bit 26),
    // FCS length 2 x 16-bit words (bits 28-31), LINKTYPE_ETHERNET; one ARP record, 42 + 4 FCS bytes.
    const file = fromHex(`
      d4c3b2a1 0200 0400 00000000 00000000 00000400 01000024   # LE µs header, snaplen 262144, FCS bits
      00c4b465 10270000 2e000000 2e000000                       # ts 1706345472.010000, caplen = origlen 46
      ${ARP_REQUEST_HEX} deadbeef                               # frame + 4-byte FCS
    `);
    const { packets, results } = await readAll([{ path: 'fcs.pcap', stream: chunked(file, file.length) }]);
    expect(results[0]!.info).toMatchObject({ linkTypes: [1], fcsLengths: [4] });
    expect(packets.map((p) => [epoch(p), p.capturedLength, p.event?.kind])).toEqual([['1706345472.010000000', 46, 'arp']]);
  });
});
