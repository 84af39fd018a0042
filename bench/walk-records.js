/**
 * The floor of any Node reader: reads a classic little-endian pcap in 1 MiB chunks into one reused
 * buffer and walks the record headers, counting frames whose EtherType is ARP. No decoding, no
 * objects per frame. `npm run bench` times it next to the real contenders: no Node process that
 * looks at every frame can take less time than this (plus whatever it does per frame).
 *   node bench/walk-records.js FILE   -> {"packets":N,"arp":N}
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;
/** Largest record we accept (classic pcap's usual snaplen). */
const MAX_RECORD = 262144;
const PCAP_HEADER = 24;
const RECORD_HEADER = 16;

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(CHUNK + MAX_RECORD + RECORD_HEADER);
let have = readSync(fd, buf, 0, CHUNK, null);
if (have < PCAP_HEADER || buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian microsecond pcap');
let at = PCAP_HEADER;
let packets = 0;
let arp = 0;
for (;;) {
  const left = have - at;
  if (left < RECORD_HEADER || left < RECORD_HEADER + buf.readUInt32LE(at + 8)) {
    buf.copy(buf, 0, at, have);
    have = left;
    at = 0;
    const n = readSync(fd, buf, have, CHUNK, null);
    if (n === 0) break;
    have += n;
    continue;
  }
  const captured = buf.readUInt32LE(at + 8);
  if (captured > MAX_RECORD) throw new Error(`record ${packets + 1}: ${captured} bytes`);
  const frame = at + RECORD_HEADER;
  if (captured >= 14 && buf[frame + 12] === 0x08 && buf[frame + 13] === 0x06) arp++;
  packets++;
  at = frame + captured;
}
closeSync(fd);
process.stdout.write(`${JSON.stringify({ packets, arp })}\n`);
