/**
 * A byte queue. Parsers read records in place from `buf` at `pos`. Two ways to fill it:
 * - {@link push} (streams: gzip, stdin): when a record straddles two chunks the unread tail is
 *   copied once in front of the next chunk;
 * - {@link fillFrom} (plain files, the fast path): reads straight into one reused buffer.
 * Either way a packet view is valid only until the next fill (see {@link CapturePacket}).
 */

import { readSync } from 'node:fs';

const EMPTY = new Uint8Array(0);

export class ByteQueue {
  /** Current buffer; unread bytes are `buf[pos..]`. */
  buf: Uint8Array = EMPTY;
  /** DataView over `buf` (rebuilt once per chunk, not per read). */
  view: DataView = new DataView(EMPTY.buffer);
  /** Read position within `buf`. */
  pos = 0;
  /** Offset in the (decompressed) input of `buf[0]`. */
  private base = 0;

  /** Appends a chunk. */
  push(chunk: Uint8Array): void {
    const rest = this.buf.length - this.pos;
    if (rest === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, rest);
      this.base += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Reusable backing store for {@link fillFrom} (direct file reads). */
  private backing: Uint8Array | null = null;

  /**
   * Reads up to `chunk` bytes from `fd` after the unread bytes, which are first moved to the front
   * of a reused buffer (no per-chunk allocation; the buffer grows only for records larger than it).
   * Views into the previous contents are overwritten. Returns the bytes read (0 at EOF).
   * Synchronous on purpose: a 1 MiB read of a regular file takes well under a millisecond, while
   * an async read leaves the thread idle waiting for the thread pool (a third of the run time);
   * the reader yields to the event loop between reads instead.
   */
  fillFrom(fd: number, chunk: number): number {
    const rest = this.buf.length - this.pos;
    let backing = this.backing;
    if (backing === null || backing.length < rest + chunk) {
      const grown = new Uint8Array(Math.max(rest + chunk, 2 * chunk));
      grown.set(this.buf.subarray(this.pos), 0);
      backing = this.backing = grown;
    } else if (rest > 0) {
      const from = this.buf.byteOffset - backing.byteOffset;
      backing.copyWithin(0, from + this.pos, from + this.buf.length);
    }
    this.base += this.pos;
    const bytesRead = readSync(fd, backing, rest, chunk, null);
    this.buf = backing.subarray(0, rest + bytesRead);
    this.pos = 0;
    this.view = new DataView(backing.buffer, backing.byteOffset, rest + bytesRead);
    return bytesRead;
  }

  /** Bytes buffered and not yet consumed. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Offset in the input of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }
}
