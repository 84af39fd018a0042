/**
 * The byte stream between the capture child process and the parent (see capture.ts for why a
 * child). Little-endian records, each a 20-byte header then `length` payload bytes:
 *
 * | offset | field                                                                 |
 * |-------:|-----------------------------------------------------------------------|
 * | 0      | u32 type: 1 packet, 2 JSON message (ready/stats/error)                |
 * | 4      | u32 length of the payload, bytes                                      |
 * | 8      | u32 timestamp, whole seconds since the epoch (packets; 0 for JSON)    |
 * | 12     | u32 timestamp, ns within the second                                   |
 * | 16     | u32 packet: length on the wire as far as cap tells (caplen, or more when truncated) |
 *
 * The encoder lives in the child's source (cap-child.ts) and must stay in step with this file;
 * the unit tests run both against each other.
 */
import { BridgewatchError } from '../errors.js';

export const RECORD_HEADER_BYTES = 20;
export const RECORD_PACKET = 1;
export const RECORD_MESSAGE = 2;
/** Larger payloads cannot come from cap (its buffer is 64 KiB): the stream is corrupt. */
export const MAX_RECORD_PAYLOAD = 1 << 20;

/** One decoded record. `payload` is a view valid only during the callback. */
export interface ChildRecord {
  type: number;
  tsSec: number;
  tsNsec: number;
  wireLength: number;
  payload: Uint8Array;
}

/** Encodes one record (used by tests and as the reference for the child's inline encoder). */
export function encodeRecord(type: number, payload: Uint8Array, tsSec = 0, tsNsec = 0, wireLength = payload.length): Buffer {
  const out = Buffer.alloc(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(payload.length, 4);
  out.writeUInt32LE(tsSec, 8);
  out.writeUInt32LE(tsNsec, 12);
  out.writeUInt32LE(wireLength, 16);
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

/**
 * Reassembles records from arbitrary chunk boundaries. Holds at most one partial record between
 * chunks, so memory is bounded by the chunk size plus {@link MAX_RECORD_PAYLOAD}.
 */
export class RecordReader {
  /** Bytes consumed so far (the offset reported in errors). */
  offset = 0;
  private rest: Buffer | null = null;
  private readonly record: ChildRecord = { type: 0, tsSec: 0, tsNsec: 0, wireLength: 0, payload: new Uint8Array(0) };

  constructor(private readonly source: string, private readonly onRecord: (r: ChildRecord) => void) {}

  /** Feeds one chunk; calls `onRecord` for every complete record. Throws on a corrupt stream. */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    let at = 0;
    while (buf.length - at >= RECORD_HEADER_BYTES) {
      const type = buf.readUInt32LE(at);
      const length = buf.readUInt32LE(at + 4);
      if ((type !== RECORD_PACKET && type !== RECORD_MESSAGE) || length > MAX_RECORD_PAYLOAD) {
        throw new BridgewatchError('CAPTURE_TRUNCATED', `corrupt record from the capture process (type ${type}, length ${length})`, {
          file: this.source,
          offset: this.offset + at,
        });
      }
      if (buf.length - at - RECORD_HEADER_BYTES < length) break;
      const r = this.record;
      r.type = type;
      r.tsSec = buf.readUInt32LE(at + 8);
      r.tsNsec = buf.readUInt32LE(at + 12);
      r.wireLength = buf.readUInt32LE(at + 16);
      r.payload = buf.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length);
      at += RECORD_HEADER_BYTES + length;
      this.onRecord(r);
    }
    this.offset += at;
    // Copy the tail: `chunk` may be reused by the stream after this call returns.
    if (at < buf.length) this.rest = Buffer.from(buf.subarray(at));
  }

  /** Bytes of an incomplete record left at the end (non-zero after a crash mid-write). */
  get pendingBytes(): number {
    return this.rest?.length ?? 0;
  }
}
