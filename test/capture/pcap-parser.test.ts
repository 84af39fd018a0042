/**
 * On classic µs pcap our packets equal pcap-parser's (the oracle named in the issue): same count,
 * header fields and bytes, for a capture made by tcpdump (samples/formats/eth-us.pcap) and for the
 * same file big-endian (swap-endian.py).
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readAll } from './helpers.js';

interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as {
  parse(path: string): { on(event: 'packet', cb: (p: PcapParserPacket) => void): void; on(event: 'end' | 'error', cb: (e?: Error) => void): void };
};

function parseWithPcapParser(path: string): Promise<PcapParserPacket[]> {
  return new Promise((resolve, reject) => {
    const packets: PcapParserPacket[] = [];
    const parser = pcapParser.parse(path);
    parser.on('packet', (p) => packets.push(p));
    parser.on('error', (e) => reject(e ?? new Error('pcap-parser failed')));
    parser.on('end', () => resolve(packets));
  });
}

const dir = fileURLToPath(new URL('../../samples/formats/', import.meta.url));

describe('classic µs pcap equals pcap-parser', () => {
  for (const file of ['eth-us.pcap', 'eth-us-be.pcap', 'vlan.pcap', 'sll2.pcap']) {
    it(file, async () => {
      const theirs = await parseWithPcapParser(dir + file);
      const { packets } = await readAll([dir + file]);
      expect(theirs.length).toBeGreaterThan(10);
      expect(packets.map((p) => [p.tsSec, p.tsNsec / 1000, p.capturedLength, p.originalLength, Buffer.from(p.data).toString('hex')]))
        .toEqual(theirs.map((p) => [p.header.timestampSeconds, p.header.timestampMicroseconds, p.header.capturedLength,
          p.header.originalLength, p.data.toString('hex')]));
    });
  }
});
