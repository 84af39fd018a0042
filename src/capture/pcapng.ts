/**
 * pcapng (draft-ietf-opsawg-pcapng): sections (SHB, either byte order), interfaces (IDB with
 * if_name, if_tsresol, if_tsoffset, if_fcslen), packets (EPB, SPB, obsolete OPB). Every other block
 * is skipped by its length. A packet's `interfaceId` is its IDB's index within the section (as
 * tshark 4.0 prints `frame.interface_id`); CaptureInfo lists every IDB in file order.
 */
import { BridgewatchError } from '../errors.js';
import type { ByteQueue } from './bytes.js';
import { MAX_PACKET_LENGTH, type FormatParser } from './format.js';
import type { PacketView } from './packet.js';
import { BlockType, BYTE_ORDER_MAGIC, IdbOption } from './pcapng-constants.js';
import { noteOverSnapLength, type CaptureFormat, type CaptureInfo } from './types.js';

/** Wireshark refuses blocks above 16 MiB; so do we, so a bad length cannot make us buffer GBs. */
const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
const MIN_BLOCK_LENGTH: Record<number, number> = {
  [BlockType.SHB]: 28, [BlockType.IDB]: 20, [BlockType.EPB]: 32, [BlockType.OPB]: 32, [BlockType.SPB]: 16,
};


/** How one interface's timestamps turn into seconds + ns. */
interface InterfaceClock {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second when it is 10^n with n <= 9 (fast exact path), else 0. */
  decimalUnits: number;
  /** ns per unit on the fast path. */
  nsPerUnit: number;
  /** Units per second for the other resolutions (2^-n, 10^-n with n > 9). */
  unitsBig: bigint;
  /** if_tsoffset, seconds added to every timestamp. */
  offsetSec: number;
}

export class PcapngParser implements FormatParser {
  readonly format: CaptureFormat = 'pcapng';
  private littleEndian = true;
  private interfaces: InterfaceClock[] = [];
  /** Global index of the current section's interface 0. */
  private sectionBase = 0;
  /** Interfaces defined so far in the current section. */
  private localCount = 0;
  private frame = 0;

  constructor(private readonly info: CaptureInfo) {
    info.format = 'pcapng';
  }

  private fail(code: 'PCAPNG_BAD_BLOCK_LENGTH' | 'PCAPNG_BAD_BYTE_ORDER' | 'PCAPNG_UNKNOWN_INTERFACE' |
    'PCAP_BAD_RECORD_LENGTH', message: string, offset: number): never {
    throw new BridgewatchError(code, message, { file: this.info.path, offset });
  }

  next(q: ByteQueue, pkt: PacketView): boolean {
    for (;;) {
      if (q.available < 12) return false;
      const v = q.view;
      const p = q.pos;
      const start = q.offset;
      let type = v.getUint32(p, this.littleEndian);
      if (type === BlockType.SHB) {
        // The SHB type is a byte palindrome; its byte-order magic says how to read the rest.
        const bom = v.getUint32(p + 8, true);
        if (bom === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (bom === 0x4d3c2b1a) this.littleEndian = false;
        else this.fail('PCAPNG_BAD_BYTE_ORDER', `section header: bad byte-order magic 0x${bom.toString(16).padStart(8, '0')}`, start + 8);
        type = BlockType.SHB;
      }
      const le = this.littleEndian;
      const len = v.getUint32(p + 4, le);
      const min = MIN_BLOCK_LENGTH[type] ?? 12;
      if (len % 4 !== 0 || len < min || len > MAX_BLOCK_LENGTH) {
        this.fail('PCAPNG_BAD_BLOCK_LENGTH', `block type 0x${type.toString(16)}: bad length ${len}` +
          (len % 4 !== 0 ? ' (not a multiple of 4)' : len < min ? ` (smaller than its ${min}-byte minimum)` : ' (over 16 MiB)'),
        start + 4);
      }
      if (q.available < len) return false;
      const trailer = v.getUint32(p + len - 4, le);
      if (trailer !== len) {
        this.fail('PCAPNG_BAD_BLOCK_LENGTH', `block type 0x${type.toString(16)}: trailing length ${trailer} != leading length ${len}`, start + len - 4);
      }
      switch (type) {
        case BlockType.EPB:
        case BlockType.OPB: {
          const obsolete = type === BlockType.OPB;
          const localId = obsolete ? v.getUint16(p + 8, le) : v.getUint32(p + 8, le);
          const iface = this.interfaceFor(localId, start);
          const caplen = v.getUint32(p + 20, le);
          if (caplen > len - 32 || caplen > MAX_PACKET_LENGTH) {
            this.fail('PCAP_BAD_RECORD_LENGTH', `packet block ${this.frame + 1}: captured length ${caplen} exceeds ` +
              (caplen > len - 32 ? `its block (${len} bytes)` : `the ${MAX_PACKET_LENGTH}-byte maximum`), start + 20);
          }
          if (iface.snapLength > 0 && caplen > iface.snapLength) noteOverSnapLength(this.info, this.frame + 1, caplen, iface.snapLength);
          this.setTimestamp(pkt, iface, v.getUint32(p + 12, le), v.getUint32(p + 16, le));
          pkt.interfaceId = localId;
          pkt.linkType = iface.linkType;
          pkt.capturedLength = caplen;
          pkt.originalLength = v.getUint32(p + 24, le);
          pkt.point(q.buf, p + 28);
          pkt.frame = ++this.frame;
          q.pos = p + len;
          return true;
        }
        case BlockType.SPB: {
          const iface = this.interfaceFor(0, start);
          const origlen = v.getUint32(p + 8, le);
          // SPB has no caplen: it is the original length cut by the snap length and the block.
          let caplen = Math.min(origlen, len - 16);
          if (iface.snapLength > 0) caplen = Math.min(caplen, iface.snapLength);
          pkt.tsSec = 0; // SPBs carry no timestamp (Wireshark shows the epoch too).
          pkt.tsNsec = 0;
          pkt.interfaceId = 0;
          pkt.linkType = iface.linkType;
          pkt.capturedLength = caplen;
          pkt.originalLength = origlen;
          pkt.point(q.buf, p + 12);
          pkt.frame = ++this.frame;
          q.pos = p + len;
          return true;
        }
        case BlockType.SHB:
          this.sectionBase = this.interfaces.length;
          this.localCount = 0;
          break;
        case BlockType.IDB:
          this.readInterface(q, p, len);
          break;
        default:
          break; // NRB, ISB, DSB, custom and unknown blocks: not needed for packets.
      }
      q.pos = p + len;
    }
  }

  private interfaceFor(localId: number, offset: number): InterfaceClock {
    const iface = localId < this.localCount ? this.interfaces[this.sectionBase + localId] : undefined;
    if (iface === undefined) {
      this.fail('PCAPNG_UNKNOWN_INTERFACE', `packet block ${this.frame + 1}: interface ${localId} has no interface ` +
        `description block (section has ${this.localCount})`, offset + 8);
    }
    return iface;
  }

  private readInterface(q: ByteQueue, p: number, len: number): void {
    const v = q.view;
    const le = this.littleEndian;
    const iface: InterfaceClock = {
      linkType: v.getUint16(p + 8, le),
      snapLength: v.getUint32(p + 12, le),
      decimalUnits: 1e6,
      nsPerUnit: 1000,
      unitsBig: 1_000_000n,
      offsetSec: 0,
    };
    let name: string | undefined;
    let fcsBytes = 0;
    const end = p + len - 4;
    let o = p + 16;
    while (o + 4 <= end) {
      const code = v.getUint16(o, le);
      const optLen = v.getUint16(o + 2, le);
      if (code === 0 || o + 4 + optLen > end) break; // opt_endofopt, or an option overrunning its block
      const value = o + 4;
      if (code === IdbOption.NAME) {
        name = new TextDecoder().decode(q.buf.subarray(value, value + optLen)).replace(/\0+$/, '');
      } else if (code === IdbOption.TSRESOL && optLen >= 1) {
        setResolution(iface, q.buf[value]!);
      } else if (code === IdbOption.TSOFFSET && optLen >= 8) {
        iface.offsetSec = Number(v.getBigInt64(value, le));
      } else if (code === IdbOption.FCSLEN && optLen >= 1) {
        fcsBytes = q.buf[value]!;
      }
      o = value + ((optLen + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.localCount++;
    this.info.linkTypes.push(iface.linkType);
    this.info.interfaceNames.push(name);
    this.info.snapLengths.push(iface.snapLength);
    (this.info.fcsLengths ??= []).push(fcsBytes);
  }

  /** 64-bit timestamp (high, low words) in interface units to seconds + ns, exactly, truncating. */
  private setTimestamp(pkt: PacketView, iface: InterfaceClock, high: number, low: number): void {
    const d = iface.decimalUnits;
    if (d > 0) {
      // Long division in base 2^16 keeps every intermediate below 2^53.
      let q = Math.floor(high / d);
      let r = high - q * d;
      let a = r * 65536 + (low >>> 16);
      const q2 = Math.floor(a / d);
      r = a - q2 * d;
      a = r * 65536 + (low & 0xffff);
      const q3 = Math.floor(a / d);
      r = a - q3 * d;
      q = (q * 65536 + q2) * 65536 + q3;
      pkt.tsSec = q + iface.offsetSec;
      pkt.tsNsec = r * iface.nsPerUnit;
    } else {
      const ts = (BigInt(high) << 32n) | BigInt(low);
      const units = iface.unitsBig;
      pkt.tsSec = Number(ts / units) + iface.offsetSec;
      pkt.tsNsec = Number(((ts % units) * 1_000_000_000n) / units);
    }
  }

  finish(q: ByteQueue): void {
    if (q.available === 0) return;
    const len = q.available >= 8 ? q.view.getUint32(q.pos + 4, this.littleEndian) : 0;
    throw new BridgewatchError('CAPTURE_TRUNCATED',
      `truncated block after packet ${this.frame} (${q.available} of ${len > 0 ? len : 'at least 12'} bytes)`,
      { file: this.info.path, offset: q.offset });
  }
}

/** if_tsresol: bit 7 clear = 10^-n s, set = 2^-n s (pcapng section 4.2). */
function setResolution(iface: InterfaceClock, tsresol: number): void {
  const n = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0 && n <= 9) {
    iface.decimalUnits = 10 ** n;
    iface.nsPerUnit = 10 ** (9 - n);
    iface.unitsBig = BigInt(10 ** n);
  } else {
    iface.decimalUnits = 0;
    iface.unitsBig = (tsresol & 0x80) === 0 ? 10n ** BigInt(n) : 1n << BigInt(n);
  }
}
