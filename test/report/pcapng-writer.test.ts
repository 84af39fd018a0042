import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/index.js';
import { encodeEnhancedPacket, PcapngWriter } from '../../src/capture/write-pcapng.js';
import { BridgewatchError } from '../../src/errors.js';
import { ARP_WHO_HAS, haveTshark, packet, skipWithout, tempDir, tshark } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => { tmp = tempDir(); });
afterEach(() => tmp.cleanup());

describe('encodeEnhancedPacket', () => {
  it('lays out an EPB with a padded comment option (pcapng spec section 4.3)', () => {
    const block = encodeEnhancedPacket(0, packet(1, ARP_WHO_HAS, 0.5), ['abc']);
    // 28 header/fixed bytes + 44 data (42 padded) + comment TLV 4+4 + endofopt 4 + trailing length 4
    expect(block.length).toBe(28 + 44 + 8 + 4 + 4);
    expect(block.readUInt32LE(0)).toBe(6);
    expect(block.readUInt32LE(4)).toBe(block.length);
    expect(block.readUInt32LE(block.length - 4)).toBe(block.length);
    expect(block.readUInt32LE(20)).toBe(42); // captured length
    const ns = (BigInt(block.readUInt32LE(12)) << 32n) | BigInt(block.readUInt32LE(16));
    expect(ns).toBe(BigInt(Date.UTC(2026, 10, 21, 9, 9, 0) / 1000) * 1_000_000_000n + 500_000_000n);
    expect(block.readUInt16LE(72)).toBe(1); // opt_comment
    expect(block.readUInt16LE(74)).toBe(3);
    expect(block.subarray(76, 79).toString()).toBe('abc');
  });
});

describe('PcapngWriter', () => {
  it('writes a file our reader reads back packet for packet, comments aside', async () => {
    const out = join(tmp.dir, 'out.pcapng');
    const w = PcapngWriter.open(out, { application: 'bridgewatch test' });
    for (let i = 1; i <= 5; i++) w.writePacket(packet(i, ARP_WHO_HAS, i * 0.25), i === 3 ? ['third'] : []);
    w.close();
    const seen: Array<{ frame: number; sec: number; nsec: number; bytes: string }> = [];
    const [result] = await readCaptures([out], (p) => seen.push({ frame: p.frame, sec: p.tsSec, nsec: p.tsNsec, bytes: Buffer.from(p.data).toString('hex') }));
    expect(result?.error).toBeUndefined();
    expect(result?.info.format).toBe('pcapng');
    expect(seen.map((s) => s.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[3]).toEqual({ frame: 4, sec: Date.UTC(2026, 10, 21, 9, 9, 1) / 1000, nsec: 0, bytes: Buffer.from(ARP_WHO_HAS).toString('hex') });
  });

  it('copies packet bytes at once, so a reader may reuse its buffer', () => {
    const out = join(tmp.dir, 'reuse.pcapng');
    const w = PcapngWriter.open(out);
    const buf = Uint8Array.from(ARP_WHO_HAS);
    w.writePacket(packet(1, buf, 0));
    buf.fill(0);
    w.close();
    expect(readFileSync(out).includes(Buffer.from(ARP_WHO_HAS))).toBe(true);
  });

  it('emits one IDB per (input, interface, link type) and tracks bytes for rotation', () => {
    const out = join(tmp.dir, 'ifaces.pcapng');
    const w = PcapngWriter.open(out);
    w.writePacket(packet(1, ARP_WHO_HAS, 0, 0));
    w.writePacket(packet(1, ARP_WHO_HAS, 0.1, 1));
    w.writePacket(packet(2, ARP_WHO_HAS, 0.2, 0));
    w.close();
    const data = readFileSync(out);
    expect(w.bytesWritten).toBe(data.length);
    expect(w.packetsWritten).toBe(3);
    let idbs = 0;
    for (let at = 0; at < data.length; at += data.readUInt32LE(at + 4)) if (data.readUInt32LE(at) === 1) idbs++;
    expect(idbs).toBe(2);
  });

  it('atomic mode leaves no file until close, and abort leaves nothing at all', () => {
    const out = join(tmp.dir, 'atomic.pcapng');
    const w = PcapngWriter.open(out, { atomic: true });
    w.writePacket(packet(1, ARP_WHO_HAS, 0));
    w.flush();
    expect(existsSync(out)).toBe(false);
    w.close();
    expect(existsSync(out)).toBe(true);
    const w2 = PcapngWriter.open(join(tmp.dir, 'aborted.pcapng'), { atomic: true });
    w2.writePacket(packet(1, ARP_WHO_HAS, 0));
    w2.abort();
    expect(readdirSync(tmp.dir)).toEqual(['atomic.pcapng']);
  });

  it('noOverwrite refuses an existing file with REPORT_EXISTS and keeps it intact', () => {
    const out = join(tmp.dir, 'exists.pcapng');
    writeFileSync(out, 'precious');
    for (const atomic of [false, true]) {
      let err: unknown;
      try { PcapngWriter.open(out, { atomic, noOverwrite: true }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(BridgewatchError);
      expect((err as BridgewatchError).code).toBe('REPORT_EXISTS');
      expect((err as BridgewatchError).message).toContain(out);
    }
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(readdirSync(tmp.dir)).toEqual(['exists.pcapng']);
  });

  it.skipIf(skipWithout('tshark', haveTshark()))('tshark decodes the frames and shows the comments where written', () => {
    const out = join(tmp.dir, 'tshark.pcapng');
    const w = PcapngWriter.open(out);
    for (let i = 1; i <= 4; i++) w.writePacket(packet(i, ARP_WHO_HAS, i), i % 2 === 0 ? [`bridgewatch: note ${i}`, 'second'] : []);
    w.close();
    const arp = tshark(['-r', out, '-T', 'fields', '-e', 'frame.number', '-e', 'arp.src.proto_ipv4', '-e', 'arp.dst.proto_ipv4', '-e', 'eth.src']);
    expect(arp).toEqual([1, 2, 3, 4].map((n) => `${n}\t192.0.2.1\t192.0.2.254\t00:18:51:00:00:01`));
    const comments = tshark(['-r', out, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment']);
    expect(comments).toEqual(['2\tbridgewatch: note 2,second', '4\tbridgewatch: note 4,second']);
  });
});

describe('timestamps outside the pcapng range (damaged inputs)', () => {
  it('wrap to 64 bits instead of throwing', () => {
    const before1970 = { ...packet(1, ARP_WHO_HAS, 0), tsSec: -5, tsNsec: 0 };
    const farFuture = { ...packet(2, ARP_WHO_HAS, 0), tsSec: 1e12, tsNsec: 1 };
    const a = encodeEnhancedPacket(0, before1970);
    const b = encodeEnhancedPacket(0, farFuture);
    const ts = (blk: Buffer): bigint => (BigInt(blk.readUInt32LE(12)) << 32n) | BigInt(blk.readUInt32LE(16));
    expect(ts(a)).toBe(2n ** 64n - 5_000_000_000n);
    expect(ts(b)).toBe((10n ** 21n + 1n) % 2n ** 64n);
  });
});

describe('oversized comments', () => {
  it('are cut to the 65535 bytes an option length can say, and the block stays well-formed', () => {
    const blk = encodeEnhancedPacket(0, packet(1, ARP_WHO_HAS, 0), ['x'.repeat(70_000)]);
    expect(blk.readUInt16LE(74)).toBe(65535);
    expect(blk.readUInt32LE(blk.length - 4)).toBe(blk.length);
    expect(blk.length % 4).toBe(0);
  });
});
