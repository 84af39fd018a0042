/**
 * Classic libpcap files (draft-ietf-opsawg-pcap): magic a1b2c3d4 (µs) or a1b23c4d (ns) in
 * either byte order, a 24-byte file header and 16-byte record headers.
 */
import { BridgewatchError } from '../errors.js';
import type { ByteQueue } from './bytes.js';
import { MAX_PACKET_LENGTH, type FormatParser } from './format.js';
import type { PacketView } from './packet.js';
import type { CaptureFormat, CaptureInfo } from './types.js';

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

/** Magic numbers as read big-endian from the first 4 bytes. */
export const PCAP_MAGIC = {
  MICRO_BE: 0xa1b2c3d4,
  MICRO_LE: 0xd4c3b2a1,
  NANO_BE: 0xa1b23c4d,
  NANO_LE: 0x4d3cb2a1,
} as const;

/** True when the first 4 bytes (read big-endian) are a classic pcap magic. */
export function isPcapMagic(magicBe: number): boolean {
  return magicBe === PCAP_MAGIC.MICRO_BE || magicBe === PCAP_MAGIC.MICRO_LE ||
    magicBe === PCAP_MAGIC.NANO_BE || magicBe === PCAP_MAGIC.NANO_LE;
}

/**
 * Splits the link-type field of the file header: bits 0-15 LINKTYPE_*, bit 26 "FCS present",
 * bits 28-31 FCS length in 16-bit words (draft-ietf-opsawg-pcap section 4).
 */
export function splitLinkTypeField(field: number): { linkType: number; fcsBytes: number } {
  const fcsPresent = (field & 0x04000000) !== 0;
  return { linkType: field & 0xffff, fcsBytes: fcsPresent ? ((field >>> 28) & 0xf) * 2 : 0 };
}

export class PcapParser implements FormatParser {
  format: CaptureFormat = 'pcap';
  private headerRead = false;
  private littleEndian = false;
  private nanosecond = false;
  private snapLength = 0;
  private linkType = 0;
  private frame = 0;

  constructor(private readonly info: CaptureInfo) {}

  private readHeader(q: ByteQueue): void {
    const magic = q.view.getUint32(q.pos, false);
    this.littleEndian = magic === PCAP_MAGIC.MICRO_LE || magic === PCAP_MAGIC.NANO_LE;
    this.nanosecond = magic === PCAP_MAGIC.NANO_BE || magic === PCAP_MAGIC.NANO_LE;
    this.format = this.nanosecond ? 'pcap-ns' : 'pcap';
    this.snapLength = q.view.getUint32(q.pos + 16, this.littleEndian);
    const { linkType, fcsBytes } = splitLinkTypeField(q.view.getUint32(q.pos + 20, this.littleEndian));
    this.linkType = linkType;
    this.info.format = this.format;
    this.info.linkTypes.push(linkType);
    this.info.interfaceNames.push(undefined);
    this.info.snapLengths.push(this.snapLength);
    (this.info.fcsLengths ??= []).push(fcsBytes);
    q.pos += FILE_HEADER_LENGTH;
    this.headerRead = true;
  }

  next(q: ByteQueue, pkt: PacketView): boolean {
    if (!this.headerRead) {
      if (q.available < FILE_HEADER_LENGTH) return false;
      this.readHeader(q);
    }
    if (q.available < RECORD_HEADER_LENGTH) return false;
    return this.record(q, pkt, q.view, q.pos, q.buf.length);
  }

  /**
   * Every whole record buffered, in a loop that keeps the queue's state in locals: the per-packet
   * path of a plain pcap file.
   */
  drain(q: ByteQueue, pkt: PacketView, onPacket: (p: PacketView) => void): void {
    if (!this.headerRead) {
      if (q.available < FILE_HEADER_LENGTH) return;
      this.readHeader(q);
    }
    const v = q.view;
    const length = q.buf.length;
    while (length - q.pos >= RECORD_HEADER_LENGTH && this.record(q, pkt, v, q.pos, length)) onPacket(pkt);
  }

  /** Reads the record at `p` (its header is buffered) into `pkt`; false when its data is not. */
  private record(q: ByteQueue, pkt: PacketView, v: DataView, p: number, length: number): boolean {
    const le = this.littleEndian;
    const caplen = v.getUint32(p + 8, le);
    // Snap length 0 means "unknown" in some writers; a record above 256 KiB is never real.
    if (caplen > MAX_PACKET_LENGTH || (this.snapLength > 0 && caplen > this.snapLength)) {
      throw new BridgewatchError(
        'PCAP_BAD_RECORD_LENGTH',
        `record ${this.frame + 1}: captured length ${caplen} exceeds ` +
          (caplen > MAX_PACKET_LENGTH ? `the ${MAX_PACKET_LENGTH}-byte maximum` : `the snap length ${this.snapLength}`),
        { file: this.info.path, offset: q.offset + 8 },
      );
    }
    if (length - p < RECORD_HEADER_LENGTH + caplen) return false;
    let sec = v.getUint32(p, le);
    let nsec = this.nanosecond ? v.getUint32(p + 4, le) : v.getUint32(p + 4, le) * 1000;
    if (nsec >= 1e9) {
      // Some writers overflow the fraction; carry it so the Timestamp invariant holds.
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
    pkt.frame = ++this.frame;
    pkt.tsSec = sec;
    pkt.tsNsec = nsec;
    pkt.interfaceId = 0;
    pkt.linkType = this.linkType;
    pkt.capturedLength = caplen;
    pkt.originalLength = v.getUint32(p + 12, le);
    pkt.point(q.buf, p + RECORD_HEADER_LENGTH);
    q.pos = p + RECORD_HEADER_LENGTH + caplen;
    return true;
  }

  finish(q: ByteQueue): void {
    if (q.available === 0) return;
    const message = !this.headerRead
      ? `truncated file header (${q.available} of ${FILE_HEADER_LENGTH} bytes)`
      : `truncated ${q.available < RECORD_HEADER_LENGTH ? 'record header' : 'packet data'} of record ${this.frame + 1}` +
        ` (${q.available} bytes left)`;
    throw new BridgewatchError('CAPTURE_TRUNCATED', message, { file: this.info.path, offset: q.offset });
  }
}
