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
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BridgewatchError } from '../errors.js';
import type { CapturePacket } from './types.js';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
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
  out.writeUInt16LE(OPT_ENDOFOPT, at);
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
  const opts = application ? encodeOptions([[SHB_USERAPPL, Buffer.from(application, 'utf8')]]) : Buffer.alloc(0);
  return encodeBlock(BLOCK_SHB, Buffer.concat([fixed, opts]));
}

/** Interface Description Block with `if_tsresol` = 9 (ns) and an optional `if_name`. */
export function encodeInterfaceDescription(iface: PcapngInterface): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(iface.linkType, 0);
  fixed.writeUInt16LE(0, 2);
  fixed.writeUInt32LE(iface.snapLength ?? SNAPLEN_UNLIMITED, 4);
  const options: Array<[number, Uint8Array]> = [];
  if (iface.name) options.push([IF_NAME, Buffer.from(iface.name, 'utf8')]);
  options.push([IF_TSRESOL, Uint8Array.of(9)]);
  return encodeBlock(BLOCK_IDB, Buffer.concat([fixed, encodeOptions(options)]));
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
  const opts = encodeOptions(comments.map((c): [number, Uint8Array] => [OPT_COMMENT, Buffer.from(c, 'utf8')]));
  return encodeBlock(BLOCK_EPB, Buffer.concat([fixed, opts]));
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
  private readonly tempPath: string | null;
  private fd: number | null;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Interface key -> IDB index in this section. */
  private readonly interfaces = new Map<string, number>();

  private constructor(path: string, fd: number, tempPath: string | null, private readonly noOverwrite = false) {
    this.path = path;
    this.fd = fd;
    this.tempPath = tempPath;
  }

  /**
   * Creates (or truncates) `path` and writes the Section Header Block. Errors are
   * BridgewatchErrors: REPORT_EXISTS with `noOverwrite` when `path` exists, REPORT_WRITE_FAILED
   * otherwise.
   */
  static open(path: string, options: PcapngWriterOptions = {}): PcapngWriter {
    const tempPath = options.atomic
      ? join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
      : null;
    if (options.noOverwrite && !options.atomic) {
      // 'wx' fails atomically when the file exists.
      const fd = openOrThrow(path, 'wx');
      return PcapngWriter.start(new PcapngWriter(path, fd, null), options);
    }
    if (options.noOverwrite && existsSync(path)) {
      throw new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: path });
    }
    const fd = openOrThrow(tempPath ?? path, tempPath ? 'wx' : 'w');
    return PcapngWriter.start(new PcapngWriter(path, fd, tempPath, options.noOverwrite ?? false), options);
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

  /** Flushes, closes, and (atomic mode) renames the temporary file over the target. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    const fd = this.fd;
    this.fd = null;
    try {
      if (this.tempPath) fsyncSync(fd);
      closeSync(fd);
      if (this.tempPath && this.noOverwrite) {
        // link() fails with EEXIST if the target appeared meanwhile: never replace it.
        linkSync(this.tempPath, this.path);
        this.removeTemp();
      } else if (this.tempPath) {
        renameSync(this.tempPath, this.path);
      }
    } catch (e) {
      this.removeTemp();
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new BridgewatchError('REPORT_EXISTS', 'already exists (use --force to overwrite)', { file: this.path });
      }
      throw new BridgewatchError('REPORT_WRITE_FAILED', `cannot finish writing: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
  }

  /** Stops writing; in atomic mode the temporary file is removed and the target left untouched. */
  abort(): void {
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* already failing: keep the first error */ }
      this.fd = null;
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    if (!this.tempPath) return;
    try { unlinkSync(this.tempPath); } catch { /* already gone */ }
  }

  private push(block: Buffer): void {
    if (this.fd === null) throw new BridgewatchError('REPORT_WRITE_FAILED', 'writer is closed', { file: this.path });
    this.chunks.push(block);
    this.buffered += block.length;
    this.bytesWritten += block.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  /** Writes buffered blocks to the file. */
  flush(): void {
    if (this.fd === null || this.buffered === 0) return;
    const data = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    try {
      let at = 0;
      while (at < data.length) at += writeSync(this.fd, data, at, data.length - at);
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

