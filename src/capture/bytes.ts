/**
 * A byte queue. Parsers read records in place from `buf` at `pos`. Two ways to fill it, with no
 * allocation per chunk once the buffers have their working size:
 * - {@link push} (streams and pipes: stdin, FIFOs, gzip) copies a chunk after the unread tail;
 * - read-ahead (plain files, the fast path: {@link startReadAhead}, {@link takeReadAhead}) reads
 *   the next chunk on the thread pool into a second buffer while the current one is parsed.
 *   Reading a 1 MiB chunk is a copy from the page cache of about a fifth of a millisecond; done
 *   on the main thread, it was a sixth of the run's wall time on a capture of large frames.
 * Either way a packet view is valid only until the next fill (see {@link CapturePacket}).
 */

import { read } from 'node:fs';

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
   * Read-ahead for plain files: {@link startReadAhead} reads the next chunk into a spare buffer
   * on the thread pool while the caller parses the current one, and {@link takeReadAhead} makes
   * it current. The unread tail (at most one partial record) is copied in front of the new bytes,
   * which land `headRoom` bytes into the spare buffer to leave room for it.
   */
  private spare: Uint8Array | null = null;
  private ahead: Promise<number> | null = null;

  /** Starts reading up to `chunk` bytes of `fd` into the spare buffer (one read at a time). */
  startReadAhead(fd: number, chunk: number, headRoom: number): void {
    if (this.ahead !== null) throw new Error('a read-ahead is already pending');
    let spare = this.spare;
    if (spare === null || spare.length !== headRoom + chunk) spare = this.spare = new Uint8Array(headRoom + chunk);
    const into = spare;
    this.ahead = new Promise((resolve, reject) => {
      read(fd, into, headRoom, chunk, null, (e, n) => (e ? reject(e) : resolve(n)));
    });
  }

  /** True while a read-ahead is pending. */
  get readingAhead(): boolean {
    return this.ahead !== null;
  }

  /**
   * Waits for the pending read-ahead and makes its bytes current after the unread tail; returns
   * the bytes read (0 at EOF). A tail longer than `headRoom` (a record larger than any real link
   * makes) is joined by copying instead.
   */
  async takeReadAhead(headRoom: number): Promise<number> {
    const pending = this.ahead!;
    this.ahead = null;
    const n = await pending;
    if (n === 0) return 0;
    const spare = this.spare!;
    const fresh = spare.subarray(headRoom, headRoom + n);
    const rest = this.buf.length - this.pos;
    if (rest > headRoom) {
      this.push(fresh);
      return n;
    }
    const start = headRoom - rest;
    spare.set(this.buf.subarray(this.pos), start);
    // The current buffer becomes the spare of the next read-ahead (its packet views end here).
    const previous = this.backing;
    this.base += this.pos;
    this.backing = spare;
    this.spare = previous !== null && previous.length === spare.length ? previous : null;
    this.buf = spare.subarray(start, headRoom + n);
    this.pos = 0;
    this.view = new DataView(spare.buffer, spare.byteOffset + start, rest + n);
    return n;
  }

  /** Waits for a pending read-ahead and drops it (before the descriptor is closed). */
  async settleReadAhead(): Promise<void> {
    const pending = this.ahead;
    this.ahead = null;
    await pending?.catch(() => undefined);
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
      // `buf` is a view of the backing store: from its start after a push, from the head room's
      // tail after a read-ahead (see takeReadAhead).
      const at = this.buf.byteOffset - backing.byteOffset;
      backing.copyWithin(0, at + this.pos, at + this.buf.length);
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
