/**
 * The packet object a reader reuses for every record. `data` is created lazily: the decoder reads
 * `buffer` at `offset` directly, so the common path allocates nothing per packet.
 */
import type { CapturePacket } from './types.js';

const EMPTY = new Uint8Array(0);

export class PacketView implements CapturePacket {
  frame = 0;
  tsSec = 0;
  tsNsec = 0;
  interfaceId = 0;
  linkType = 0;
  capturedLength = 0;
  originalLength = 0;
  buffer: Uint8Array = EMPTY;
  offset = 0;
  private view: Uint8Array | null = null;

  constructor(public fileIndex: number) {}

  /** Points at a record's bytes (`capturedLength` must be set too). */
  point(buffer: Uint8Array, offset: number): void {
    // Compared first: the buffer is the same for a whole chunk, and a store costs a write barrier.
    if (this.buffer !== buffer) this.buffer = buffer;
    this.offset = offset;
    if (this.view !== null) this.view = null;
  }

  /** The captured bytes, a view made on first use (valid as long as the packet, see CapturePacket). */
  get data(): Uint8Array {
    return (this.view ??= this.buffer.subarray(this.offset, this.offset + this.capturedLength));
  }

  set data(bytes: Uint8Array) {
    this.point(bytes, 0);
    this.view = bytes;
  }
}
