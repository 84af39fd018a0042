/**
 * A byte queue. Parsers read records in place from `buf` at `pos`. Two ways to fill it, both into
 * one reused buffer (no allocation per chunk once it has grown to its working size):
 * - {@link push} (streams and pipes: stdin, FIFOs, gzip) copies a chunk after the unread tail;
 * - {@link fillFrom} (plain files, the fast path) reads straight after the unread tail.
 * Either way the unread tail is first moved to the front, so a packet view is valid only until
 * the next fill (see {@link CapturePacket}).
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
  /** Reused backing store of `buf`. */
  private backing: Uint8Array | null = null;

  /**
   * Appends a copy of `chunk`, which the caller may reuse as soon as this returns (a pipe reads
   * every chunk into one buffer). Copying costs what joining a record split across two chunks
   * cost before, and a stream's spent chunks no longer wait for the garbage collector: they were
   * allocated outside the JS heap, which detection barely touches, so the collector ran rarely
   * and tens of MiB of them piled up (issue 16).
   */
  push(chunk: Uint8Array): void {
    const rest = this.makeRoom(chunk.length);
    this.backing!.set(chunk, rest);
    this.filled(rest + chunk.length);
  }

  /**
   * Reads up to `chunk` bytes from `fd` after the unread bytes. Returns the bytes read (0 at EOF).
   * Synchronous on purpose: a 1 MiB read of a regular file takes well under a millisecond, while
   * an async read leaves the thread idle waiting for the thread pool (a third of the run time);
   * the reader yields to the event loop between reads instead.
   */
  fillFrom(fd: number, chunk: number): number {
    const rest = this.makeRoom(chunk);
    const bytesRead = readSync(fd, this.backing!, rest, chunk, null);
    this.filled(rest + bytesRead);
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

  /**
   * Moves the unread bytes to the front of the backing store, grown when it cannot take `extra`
   * more bytes after them (twice the need, so a run of chunks settles on one size); returns
   * their count. Views into the previous contents are overwritten.
   */
  private makeRoom(extra: number): number {
    const rest = this.buf.length - this.pos;
    let backing = this.backing;
    if (backing === null || backing.length < rest + extra) {
      const grown = new Uint8Array(2 * (rest + extra));
      grown.set(this.buf.subarray(this.pos), 0);
      backing = this.backing = grown;
    } else if (rest > 0) {
      // `buf` is always a view of the backing store from its start (see filled).
      backing.copyWithin(0, this.pos, this.buf.length);
    }
    this.base += this.pos;
    return rest;
  }

  private filled(length: number): void {
    const backing = this.backing!;
    this.buf = backing.subarray(0, length);
    this.pos = 0;
    this.view = new DataView(backing.buffer, backing.byteOffset, length);
  }
}
