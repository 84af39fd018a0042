/**
 * One capture input read packet by packet: format sniffing, chunk feeding and error mapping.
 * {@link readCaptures} (index.ts) drives one or several of these.
 */
import { close as closeFd, createReadStream, fstatSync, open as openFd, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { BridgewatchError, isBridgewatchError } from '../errors.js';
import { ByteQueue } from './bytes.js';
import { emptyInfo, type FormatParser } from './format.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { PcapngParser } from './pcapng.js';
import { BlockType } from './pcapng-constants.js';
import { captureChunks, inputPath, PIPE_READ_BYTES, READ_CHUNK_BYTES, type CaptureInput } from './source.js';
import { PacketView } from './packet.js';
import { PipeChunks } from './pipe.js';
import type { CaptureInfo, CapturePacket } from './types.js';

/** Magic prefixes we know, for telling "truncated" from "wrong magic" on files under 4 bytes. */
const KNOWN_MAGICS = [[0xa1, 0xb2, 0xc3, 0xd4], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d],
  [0x4d, 0x3c, 0xb2, 0xa1], [0x0a, 0x0d, 0x0d, 0x0a]];

/**
 * Room kept in front of each read-ahead chunk for the unread tail of the one before: a record
 * header and the largest record a reader accepts (256 KiB).
 */
const READ_HEAD_ROOM = 256 * 1024 + 64;


const openAsync = promisify(openFd);
const closeAsync = promisify(closeFd);

/** True when `fd` is a pipe, a FIFO or a socket: read with {@link PipeChunks}, not as a file or stream. */
function isPipe(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

export class CaptureReader {
  readonly info: CaptureInfo;
  /** The fault that stopped reading, if any; every packet before it was delivered. */
  error: BridgewatchError | undefined;
  /** The packet most recently produced; reused (see {@link CapturePacket} for validity). */
  readonly packet: PacketView;
  private readonly queue = new ByteQueue();
  private parser: FormatParser | null = null;
  /** A descriptor opened here (closed with the reader)... */
  private fd: number | null = null;
  /** ...read straight into the queue's buffer when it is a plain file (fast path)... */
  private direct = false;
  /** ...else (gzip, pipes, stdin, streams) the input arrives as chunks. */
  private chunks: AsyncGenerator<Uint8Array> | null = null;
  private opened = false;
  private done = false;
  private bytesSeen = 0;

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
    const { fd, chunks } = this;
    this.fd = null;
    this.direct = false;
    this.chunks = null;
    await this.queue.settleReadAhead();
    await chunks?.return(undefined).catch(() => undefined);
    if (fd !== null) await closeAsync(fd).catch(() => undefined);
  }

  /**
   * Opens the input: a plain regular file gets the direct path; pipes, FIFOs and stdin on a pipe
   * are read into a reused buffer; gzip (sniffed: 1f 8b), other stdin and streams arrive as chunks.
   */
  private async open(): Promise<void> {
    this.opened = true;
    const input = this.input;
    if (input === '-' && isPipe(0)) {
      this.chunks = captureChunks(new PipeChunks(0, PIPE_READ_BYTES), this.info);
      return;
    }
    if (typeof input === 'string' && input !== '-') {
      // Opened off the main thread: opening a FIFO waits for its writer.
      const fd = await openAsync(input, 'r');
      try {
        const st = fstatSync(fd);
        if (st.isFIFO()) {
          // Pipes and FIFOs (`<(zcat f)`) cannot be peeked or reopened: read from this descriptor.
          this.chunks = captureChunks(new PipeChunks(fd, PIPE_READ_BYTES), this.info);
          return;
        }
        if (!st.isFile()) {
          // Anything else (a device, a directory): a stream reports what reading it does.
          this.fd = fd;
          this.chunks = captureChunks({ path: input, stream: createReadStream('', { fd, highWaterMark: READ_CHUNK_BYTES, autoClose: false }) },
            this.info);
          return;
        }
        const head = new Uint8Array(2);
        if (!(readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b)) {
          this.fd = fd;
          this.direct = true;
          return;
        }
      } catch (e) {
        await closeAsync(fd).catch(() => undefined);
        throw e;
      }
      await closeAsync(fd);
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
      if (this.direct) {
        // Each chunk is awaited, so timers and I/O callbacks run between chunks, as with a stream.
        if (this.fd === null) return false; // closed meanwhile (stopped)
        const q = this.queue;
        if (!q.readingAhead) q.startReadAhead(this.fd, READ_CHUNK_BYTES, READ_HEAD_ROOM);
        const n = await q.takeReadAhead(READ_HEAD_ROOM);
        if (n > 0) {
          this.bytesSeen += n;
          // The next chunk is read while this one is parsed.
          if (this.fd !== null) q.startReadAhead(this.fd, READ_CHUNK_BYTES, READ_HEAD_ROOM);
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
