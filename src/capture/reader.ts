/**
 * One capture input read packet by packet: format sniffing, chunk feeding and error mapping.
 * {@link readCaptures} (index.ts) drives one or several of these.
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BridgewatchError, isBridgewatchError } from '../errors.js';
import { ByteQueue } from './bytes.js';
import { emptyInfo, type FormatParser } from './format.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { PcapngParser } from './pcapng.js';
import { BlockType } from './pcapng-constants.js';
import { captureChunks, inputPath, READ_CHUNK_BYTES, type CaptureInput } from './source.js';
import { PacketView } from './packet.js';
import type { CaptureInfo, CapturePacket } from './types.js';

/** Magic prefixes we know, for telling "truncated" from "wrong magic" on files under 4 bytes. */
const KNOWN_MAGICS = [[0xa1, 0xb2, 0xc3, 0xd4], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d],
  [0x4d, 0x3c, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a]];

/** Direct file reads between two turns of the event loop (16 MiB with 1 MiB reads). */
const YIELD_EVERY_READS = 16;

export class CaptureReader {
  readonly info: CaptureInfo;
  /** The fault that stopped reading, if any; every packet before it was delivered. */
  error: BridgewatchError | undefined;
  /** The packet most recently produced; reused (see {@link CapturePacket} for validity). */
  readonly packet: PacketView;
  private readonly queue = new ByteQueue();
  private parser: FormatParser | null = null;
  /** Plain files are read straight into the queue's buffer (fast path)... */
  private file: FileHandle | null = null;
  /** ...everything else (gzip, stdin, streams) arrives as chunks. */
  private chunks: AsyncGenerator<Uint8Array> | null = null;
  /** A pipe or FIFO opened here and streamed from (closed with the reader). */
  private pipe: FileHandle | null = null;
  private opened = false;
  private done = false;
  private bytesSeen = 0;
  private reads = 0;

  constructor(private readonly input: CaptureInput, fileIndex: number) {
    this.info = emptyInfo(inputPath(input));
    this.packet = new PacketView(fileIndex);
  }

  /** True once input ended or a fault stopped reading. */
  get finished(): boolean {
    return this.done;
  }

  private stop(e: unknown): void {
    this.error = isBridgewatchError(e) ? e : mapIoError(e, this.info.path, this.bytesSeen);
    this.done = true;
    void this.close();
  }

  /** Releases the file or stream; safe to call more than once. */
  async close(): Promise<void> {
    const { file, chunks, pipe } = this;
    this.file = null;
    this.chunks = null;
    this.pipe = null;
    await file?.close().catch(() => undefined);
    await chunks?.return(undefined).catch(() => undefined);
    await pipe?.close().catch(() => undefined);
  }

  /**
   * Opens the input: a plain regular file gets the direct path; gzip (sniffed: 1f 8b), pipes, stdin
   * and streams the chunk path.
   */
  private async open(): Promise<void> {
    this.opened = true;
    const input = this.input;
    if (typeof input === 'string' && input !== '-') {
      // Opened off the main thread: opening a FIFO waits for its writer.
      const handle = await open(input, 'r');
      try {
        if (!(await handle.stat()).isFile()) {
          // Pipes and FIFOs (`<(zcat f)`) cannot be peeked or reopened: stream from this handle.
          this.pipe = handle;
          const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES, autoClose: false });
          this.chunks = captureChunks({ path: input, stream }, this.info);
          return;
        }
        const head = new Uint8Array(2);
        if (!(readSync(handle.fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b)) {
          this.file = handle;
          return;
        }
      } catch (e) {
        await handle.close().catch(() => undefined);
        throw e;
      }
      await handle.close();
    }
    this.chunks = captureChunks(input, this.info);
  }

  private sniff(): boolean {
    const q = this.queue;
    if (q.available < 4) return false;
    const magic = q.view.getUint32(q.pos, false);
    if (isPcapMagic(magic)) this.parser = new PcapParser(this.info);
    else if (magic === BlockType.SHB) this.parser = new PcapngParser(this.info);
    else {
      throw new BridgewatchError('PCAP_BAD_MAGIC',
        `not a pcap or pcapng file (magic ${hex(q.buf.subarray(q.pos, q.pos + 4))}${this.info.gzip ? ' after gunzip' : ''})`,
        { file: this.info.path, offset: 0 });
    }
    return true;
  }

  /** Produces the next packet from buffered bytes into {@link packet}; false when more input is needed. */
  nextBuffered(): boolean {
    if (this.done) return false;
    try {
      if (this.parser === null && !this.sniff()) return false;
      return this.parser!.next(this.queue, this.packet);
    } catch (e) {
      this.stop(e);
      return false;
    }
  }

  /** Delivers every packet the buffered bytes hold, synchronously. */
  drain(onPacket: (p: CapturePacket) => void): void {
    if (this.done) return;
    const q = this.queue;
    const pkt = this.packet;
    try {
      if (this.parser === null && !this.sniff()) return;
      const parser = this.parser!;
      if (parser.drain !== undefined) parser.drain(q, pkt, onPacket);
      else while (parser.next(q, pkt)) onPacket(pkt);
    } catch (e) {
      this.stop(e);
    }
  }

  /** Reads the next chunk. Resolves false at end of input or on a fault (see {@link error}). */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    try {
      if (!this.opened) await this.open();
      if (this.file !== null) {
        // Let timers and I/O callbacks run between reads, as a stream would.
        if (++this.reads % YIELD_EVERY_READS === 0) await nextTurn();
        const n = this.queue.fillFrom(this.file.fd, READ_CHUNK_BYTES);
        if (n > 0) {
          this.bytesSeen += n;
          return true;
        }
      } else if (this.chunks !== null) {
        const next = await this.chunks.next();
        if (next.done !== true) {
          this.bytesSeen += next.value.length;
          this.queue.push(next.value);
          return true;
        }
      }
    } catch (e) {
      this.stop(e);
      return false;
    }
    this.done = true;
    await this.close();
    try {
      this.endOfInput();
    } catch (e) {
      this.error = e as BridgewatchError;
    }
    return false;
  }

  private endOfInput(): void {
    const q = this.queue;
    if (this.parser !== null) {
      this.parser.finish(q);
      return;
    }
    const file = this.info.path;
    if (this.bytesSeen === 0) throw new BridgewatchError('CAPTURE_EMPTY', 'empty capture (0 bytes)', { file, offset: 0 });
    const head = Array.from(q.buf.subarray(q.pos));
    const isPrefix = KNOWN_MAGICS.some((m) => head.every((b, i) => m[i] === b));
    if (isPrefix) throw new BridgewatchError('CAPTURE_TRUNCATED', `truncated file header (${head.length} bytes)`, { file, offset: 0 });
    throw new BridgewatchError('PCAP_BAD_MAGIC', `not a pcap or pcapng file (magic ${hex(q.buf.subarray(q.pos))})`, { file, offset: 0 });
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** fs/zlib errors to codes: zlib's are Z_*, everything else means we could not read the input. */
function mapIoError(e: unknown, file: string, offset: number): BridgewatchError {
  const err = e as { code?: string; message?: string };
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return new BridgewatchError('GZIP_CORRUPT', `gzip data corrupt or truncated (${err.message ?? err.code}); ` +
      `${offset} bytes were inflated`, { file, offset }, { cause: e });
  }
  const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory'
    : err.code === 'EACCES' ? 'permission denied' : (err.message ?? String(e));
  return new BridgewatchError('CAPTURE_UNREADABLE', `cannot read capture: ${why}`, { file }, { cause: e });
}
