/**
 * Classic libpcap files (draft-ietf-opsawg-pcap): magic a1b2c3d4 (µs) or a1b23c4d (ns) in
 * either byte order, a 24-byte file header and 16-byte record headers.
 */
import { BridgewatchError } from '../errors.js';
import type { ByteQueue } from './bytes.js';
import { MAX_PACKET_LENGTH, type FormatParser } from './format.js';
import type { PacketView } from './packet.js';
import { noteOverSnapLength, type CaptureFormat, type CaptureInfo } from './types.js';

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

/** Some writers overflow the fraction; carry it so the Timestamp invariant (nsec < 1e9) holds. */
function carryFraction(pkt: PacketView, sec: number, nsec: number): void {
  pkt.tsSec = sec + Math.floor(nsec / 1e9);
  pkt.tsNsec = nsec % 1e9;
}

export class PcapParser implements FormatParser {
  format: CaptureFormat = 'pcap';
  private headerRead = false;
  private littleEndian = false;
  private nanosecond = false;
  private snapLength = 0;
  /** Largest captured length accepted: the snap length (0 means "unknown" in some writers), at most 256 KiB. */
  private captureLimit = MAX_PACKET_LENGTH;
  /** Nanoseconds per unit of the timestamp fraction: 1000 (µs files) or 1 (ns files). */
  private nsPerUnit = 1000;
  private linkType = 0;
  private frame = 0;

  constructor(private readonly info: CaptureInfo) {}

  private readHeader(q: ByteQueue): void {
    const magic = q.view.getUint32(q.pos, false);
    this.littleEndian = magic === PCAP_MAGIC.MICRO_LE || magic === PCAP_MAGIC.NANO_LE;
    this.nanosecond = magic === PCAP_MAGIC.NANO_BE || magic === PCAP_MAGIC.NANO_LE;
    this.format = this.nanosecond ? 'pcap-ns' : 'pcap';
    this.snapLength = q.view.getUint32(q.pos + 16, this.littleEndian);
    this.captureLimit = this.snapLength > 0 ? Math.min(this.snapLength, MAX_PACKET_LENGTH) : MAX_PACKET_LENGTH;
    this.nsPerUnit = this.nanosecond ? 1 : 1000;
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

  /**
   * Reads the record at `p` (its header is buffered) into `pkt`; false when its data is not.
   * Kept small (cold paths are separate methods) so the JIT inlines it into {@link drain}'s loop.
   */
  private record(q: ByteQueue, pkt: PacketView, v: DataView, p: number, length: number): boolean {
    const le = this.littleEndian;
    const caplen = v.getUint32(p + 8, le);
    if (caplen > this.captureLimit) this.overLimit(q, caplen);
    if (length - p < RECORD_HEADER_LENGTH + caplen) return false;
    const nsec = v.getUint32(p + 4, le) * this.nsPerUnit;
    if (nsec < 1e9) {
      pkt.tsSec = v.getUint32(p, le);
      pkt.tsNsec = nsec;
    } else {
      carryFraction(pkt, v.getUint32(p, le), nsec);
    }
    pkt.frame = ++this.frame;
    pkt.interfaceId = 0;
    pkt.linkType = this.linkType;
    pkt.capturedLength = caplen;
    pkt.originalLength = v.getUint32(p + 12, le);
    pkt.point(q.buf, p + RECORD_HEADER_LENGTH);
    q.pos = p + RECORD_HEADER_LENGTH + caplen;
    return true;
  }

  /**
   * A captured length above the snap length: read anyway and counted (libpcap and Wireshark read
   * such files; writers that cut packets after writing the header make them), unless it is above
   * the 256 KiB cap, which no real link produces: then the file is damaged and reading stops.
   */
  private overLimit(q: ByteQueue, caplen: number): void {
    if (caplen <= MAX_PACKET_LENGTH) {
      noteOverSnapLength(this.info, this.frame + 1, caplen, this.snapLength);
      return;
    }
    throw new BridgewatchError(
      'PCAP_BAD_RECORD_LENGTH',
      `record ${this.frame + 1}: captured length ${caplen} exceeds the ${MAX_PACKET_LENGTH}-byte maximum`,
      { file: this.info.path, offset: q.offset + 8 },
    );
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
