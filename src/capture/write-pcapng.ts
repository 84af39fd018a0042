/**
 * A streaming pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, an Interface
 * Description Block per distinct (input file, interface, link type) emitted lazily before its first
 * packet, and an Enhanced Packet Block per packet with optional `opt_comment`s (Wireshark shows
 * them as `frame.comment` / `pkt_comment`).
 *
 * Used by `analyze --annotate` (atomic: temp file + rename) and by live `--save` (the LIVE team
 * rotates by closing one writer and opening the next; {@link PcapngWriter.bytesWritten} tells when).
 * Writes are synchronous and buffered: a packet's bytes are copied when `writePacket` returns, so
 * readers may reuse their buffers (see {@link CapturePacket}).
 *
 * Byte order: little-endian (the reader learns it from the SHB byte-order magic).
 * Timestamps: `if_tsresol` = 9, i.e. nanoseconds since the epoch in the EPB's 64-bit timestamp.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { AtomicFile } from '../atomic-file.js';
import { BridgewatchError } from '../errors.js';
import { BlockType, BYTE_ORDER_MAGIC, IdbOption, Option, ShbOption } from './pcapng-constants.js';
import type { CapturePacket } from './types.js';

/** Flush the write buffer once it holds this many bytes. */
const FLUSH_BYTES = 256 * 1024;
/** Default IDB snap length when the caller gives none: "no limit" per the pcapng spec. */
const SNAPLEN_UNLIMITED = 0;
/** Largest option value a 16-bit option length can describe, bytes. */
const MAX_OPTION_BYTES = 0xffff;

/** Options of {@link PcapngWriter.open}. */
export interface PcapngWriterOptions {
  /** Written as the SHB's `shb_userappl`, e.g. `bridgewatch 0.1.0`. */
  application?: string;
  /**
   * Write to a temporary file in the same folder and rename it over `path` on {@link
   * PcapngWriter.close} (so readers never see a half-written file). Default false (streaming).
   */
  atomic?: boolean;
  /** Refuse to replace an existing `path` (error REPORT_EXISTS). Default false. */
  noOverwrite?: boolean;
}

/** Describes the interface a packet was captured on; one IDB is written per distinct key. */
export interface PcapngInterface {
  /** LINKTYPE_* value. */
  linkType: number;
  /** Snap length, bytes (0 = unlimited). */
  snapLength?: number;
  /** `if_name` option, e.g. `br0`. */
  name?: string;
}

/** Encodes options (code, value) into 32-bit aligned TLVs ending with opt_endofopt. */
function encodeOptions(options: Array<[number, Uint8Array]>): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  // An option length is 16 bits: longer values (a huge comment) are cut, not fatal.
  options = options.map(([code, value]) => [code, value.length > MAX_OPTION_BYTES ? value.subarray(0, MAX_OPTION_BYTES) : value]);
  let size = 4;
  for (const [, value] of options) size += 4 + pad4(value.length);
  const out = Buffer.alloc(size);
  let at = 0;
  for (const [code, value] of options) {
    out.writeUInt16LE(code, at);
    out.writeUInt16LE(value.length, at + 2);
    out.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  out.writeUInt16LE(Option.END_OF_OPT, at);
  out.writeUInt16LE(0, at + 2);
  return out;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Wraps a body into a block: type, total length, body, total length. */
function encodeBlock(type: number, body: Uint8Array): Buffer {
  const total = 12 + body.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  out.set(body, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** Section Header Block, version 1.0, section length unknown (-1). */
export function encodeSectionHeader(application?: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8);
  const opts = application ? encodeOptions([[ShbOption.USER_APPL, Buffer.from(application, 'utf8')]]) : Buffer.alloc(0);
  return encodeBlock(BlockType.SHB, Buffer.concat([fixed, opts]));
}

/** Interface Description Block with `if_tsresol` = 9 (ns) and an optional `if_name`. */
export function encodeInterfaceDescription(iface: PcapngInterface): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(iface.linkType, 0);
  fixed.writeUInt16LE(0, 2);
  fixed.writeUInt32LE(iface.snapLength ?? SNAPLEN_UNLIMITED, 4);
  const options: Array<[number, Uint8Array]> = [];
  if (iface.name) options.push([IdbOption.NAME, Buffer.from(iface.name, 'utf8')]);
  options.push([IdbOption.TSRESOL, Uint8Array.of(9)]);
  return encodeBlock(BlockType.IDB, Buffer.concat([fixed, encodeOptions(options)]));
}

/**
 * Enhanced Packet Block. `tsSec`/`tsNsec` are written as ns since the epoch (IDB if_tsresol 9);
 * each comment becomes one `opt_comment` (UTF-8).
 */
export function encodeEnhancedPacket(
  interfaceId: number,
  packet: Pick<CapturePacket, 'tsSec' | 'tsNsec' | 'originalLength' | 'data'>,
  comments: readonly string[] = [],
): Buffer {
  const data = packet.data;
  const fixed = Buffer.alloc(20 + pad4(data.length));
  // The EPB timestamp is an unsigned 64-bit count: a damaged input's time before 1970 or past
  // year 2554 wraps (as it would in any pcapng writer) instead of throwing mid-file.
  const ns = BigInt.asUintN(64, BigInt(Math.trunc(packet.tsSec)) * 1_000_000_000n + BigInt(Math.trunc(packet.tsNsec)));
  fixed.writeUInt32LE(interfaceId, 0);
  fixed.writeUInt32LE(Number(ns >> 32n), 4);
  fixed.writeUInt32LE(Number(ns & 0xffffffffn), 8);
  fixed.writeUInt32LE(data.length, 12);
  fixed.writeUInt32LE(Math.max(packet.originalLength, data.length), 16);
  fixed.set(data, 20);
  const opts = encodeOptions(comments.map((c): [number, Uint8Array] => [Option.COMMENT, Buffer.from(c, 'utf8')]));
  return encodeBlock(BlockType.EPB, Buffer.concat([fixed, opts]));
}

/**
 * Streams pcapng to a file. Not thread-safe; one writer per output file.
 *
 * ```ts
 * const w = PcapngWriter.open('out.pcapng', { application: 'bridgewatch' });
 * w.writePacket(packet, ['bridgewatch: 192.0.2.1 outage begins']);
 * w.close();
 * ```
 */
export class PcapngWriter {
  /** Bytes handed to the file so far (including buffered ones): use it for size-capped rotation. */
  bytesWritten = 0;
  /** Enhanced Packet Blocks written. */
  packetsWritten = 0;
  readonly path: string;
  /** Atomic mode: the temporary file moved into place on {@link close}. */
  private readonly atomic: AtomicFile | null;
  /** Streaming mode: the target file itself. */
  private fd: number | null;
  private closed = false;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Interface key -> IDB index in this section. */
  private readonly interfaces = new Map<string, number>();

  private constructor(path: string, target: AtomicFile | number) {
    this.path = path;
    this.atomic = typeof target === 'number' ? null : target;
    this.fd = typeof target === 'number' ? target : null;
  }

  /**
   * Creates (or truncates) `path` and writes the Section Header Block. Errors are
   * BridgewatchErrors: REPORT_EXISTS with `noOverwrite` when `path` exists, REPORT_WRITE_FAILED
   * otherwise.
   */
  static open(path: string, options: PcapngWriterOptions = {}): PcapngWriter {
    const target = options.atomic
      ? AtomicFile.create(path, { force: !options.noOverwrite })
      : openOrThrow(path, options.noOverwrite ? 'wx' : 'w'); // 'wx' fails atomically when the file exists
    return PcapngWriter.start(new PcapngWriter(path, target), options);
  }

  private static start(w: PcapngWriter, options: PcapngWriterOptions): PcapngWriter {
    w.push(encodeSectionHeader(options.application));
    return w;
  }

  /**
   * Declares an interface explicitly and returns its IDB index. Packets normally declare theirs
   * implicitly through {@link writePacket}; call this to name an interface (`if_name`).
   */
  addInterface(key: string, iface: PcapngInterface): number {
    const known = this.interfaces.get(key);
    if (known !== undefined) return known;
    const id = this.interfaces.size;
    this.interfaces.set(key, id);
    this.push(encodeInterfaceDescription(iface));
    return id;
  }

  /**
   * Appends one packet (its bytes are copied before returning). The interface is keyed by the
   * packet's file index, interface id and link type; `iface` supplies name/snaplen for a new one.
   */
  writePacket(packet: CapturePacket, comments: readonly string[] = [], iface?: Omit<PcapngInterface, 'linkType'>): void {
    const key = `${packet.fileIndex}/${packet.interfaceId}/${packet.linkType}`;
    const id = this.interfaces.get(key) ?? this.addInterface(key, { linkType: packet.linkType, ...iface });
    this.push(encodeEnhancedPacket(id, packet, comments));
    this.packetsWritten++;
  }

  /** Flushes, closes, and (atomic mode) moves the temporary file into place. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.atomic) {
      this.atomic.commit();
      return;
    }
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      closeSync(fd);
    } catch (e) {
      throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot finish writing: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }

  /** Stops writing; in atomic mode the temporary file is removed and the target left untouched. */
  abort(): void {
    this.closed = true;
    this.atomic?.abort();
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* already failing: keep the first error */ }
      this.fd = null;
    }
  }

  private push(block: Buffer): void {
    if (this.closed) throw new BridgewatchError('REPORT_WRITE_FAILED', 'writer is closed', { file: this.path });
    this.chunks.push(block);
    this.buffered += block.length;
    this.bytesWritten += block.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  /** Writes buffered blocks to the file. */
  flush(): void {
    if (this.closed || this.buffered === 0) return;
    const data = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    if (this.atomic) {
      try {
        this.atomic.write(data);
      } catch (e) {
        this.abort(); // the temporary file is gone: nothing more can be written
        throw e;
      }
      return;
    }
    try {
      let at = 0;
      while (at < data.length) at += writeSync(this.fd as number, data, at, data.length - at);
    } catch (e) {
      this.abort();
      throw new BridgewatchError('REPORT_WRITE_FAILED', `write failed: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }
}

function openOrThrow(path: string, flags: 'w' | 'wx'): number {
  try {
    return openSync(path, flags, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && flags === 'wx') {
      throw new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: path });
    }
    throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot create: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}

