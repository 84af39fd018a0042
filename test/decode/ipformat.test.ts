/**
 * IPv6 text form per RFC 5952, checked against tshark: each address is written as the source of a
 * 40-byte IPv6 header in a LINKTYPE_RAW pcap made here, and tshark's `ipv6.src` must equal ours.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatIpv4, formatIpv6 } from '../../src/decode/ipformat.js';
import { toolOrSkip, tshark } from '../capture/helpers.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

/** RFC 5952 section 4 and 5 cases (hex of the 16 bytes -> text). */
const CASES: Array<[string, string]> = [
  ['20010db8000000000000000000000001', '2001:db8::1'],
  ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // 4.2.2: one zero group stays
  ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // 4.2.3: first of equal runs
  ['20010000000000010000000000000001', '2001:0:0:1::1'], // 4.2.3: longest run
  ['00000000000000000000000000000000', '::'],
  ['00000000000000000000000000000001', '::1'],
  ['fe80000000000000020005efffe00530'.slice(0, 32), 'fe80::200:5ef:ffe0:530'],
  ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // section 5: IPv4-mapped
  ['20010db8aaaabbbbccccddddeeeeffff', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff'],
  ['ff020000000000000000000000000016', 'ff02::16'],
  ['20010db8000000000000000000010000', '2001:db8::1:0'],
  ['000000000000000000000000c0000201', '::192.0.2.1'], // IPv4-compatible, as inet_ntop prints it
  ['0000000000000000000000000000ffff', '::ffff'],
];

describe('formatIpv6 (RFC 5952)', () => {
  it.each(CASES)('%s -> %s', (bytes, text) => {
    expect(formatIpv6(hex(bytes), 0)).toBe(text);
  });

  it('formatIpv4, through its cache and slot collisions', () => {
    expect(formatIpv4(hex('c0000201'), 0)).toBe('192.0.2.1');
    const addresses = fc.sample(fc.uint8Array({ minLength: 4, maxLength: 4 }), { numRuns: 20000, seed: 791 });
    for (let pass = 0; pass < 2; pass++) {
      for (const a of addresses) expect(formatIpv4(a, 0)).toBe(Array.from(a).join('.'));
    }
  });

  it.skipIf(!toolOrSkip('tshark'))('equals tshark on the cases and on random zero-heavy addresses', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    const random = fc.sample(fc.array(group, { minLength: 8, maxLength: 8 }), { numRuns: 300, seed: 5952 })
      .map((groups) => Buffer.from(Uint16Array.from(groups, (g) => ((g & 0xff) << 8) | (g >> 8)).buffer).toString('hex'));
    const addresses = [...CASES.map(([b]) => b), ...random];
    // pcap, LINKTYPE_RAW (101): a 40-byte IPv6 header per address, next header 59 (no next header).
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16); header.writeUInt32LE(101, 20);
    const records = addresses.map((a, i) => {
      const rec = Buffer.alloc(16 + 40);
      rec.writeUInt32LE(1700000000 + i, 0); rec.writeUInt32LE(40, 8); rec.writeUInt32LE(40, 12);
      rec.writeUInt32BE(0x60000000, 16); rec[22] = 59; rec[23] = 64;
      Buffer.from(a, 'hex').copy(rec, 24); Buffer.from(a, 'hex').copy(rec, 40);
      return rec;
    });
    const dir = mkdtempSync(join(tmpdir(), 'bwdec-'));
    try {
      const file = join(dir, 'v6.pcap');
      writeFileSync(file, Buffer.concat([header, ...records]));
      const theirs = tshark(file, ['ipv6.src']).map((r) => r[0]);
      expect(addresses.map((a) => formatIpv6(hex(a), 0))).toEqual(theirs);
      // Again, now from the cache (and with the cache's slot collisions): still the same text.
      expect(addresses.map((a) => formatIpv6(hex(a), 0))).toEqual(theirs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
