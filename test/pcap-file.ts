/**
 * Classic pcap files for tests: little-endian, µs timestamps, snaplen 65535, LINKTYPE_ETHERNET.
 * One writer for every test that needs frames on disk (tcpreplay input, report fixtures).
 */

/** When the first frame is stamped and how far apart the frames are. */
export interface PcapTiming {
  /** Timestamp of the first frame, whole seconds since the epoch. */
  startSec: number;
  /** Gap between consecutive frames, µs. */
  spacingUs: number;
}

/** `frames` as a classic pcap file. */
export function classicPcapFile(frames: Uint8Array[], timing: PcapTiming): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((data, i) => {
    const rec = Buffer.alloc(16 + data.length);
    const us = i * timing.spacingUs;
    rec.writeUInt32LE(timing.startSec + Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(data.length, 8);
    rec.writeUInt32LE(data.length, 12);
    rec.set(data, 16);
    return rec;
  });
  return Buffer.concat([header, ...records]);
}
