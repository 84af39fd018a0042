/**
 * Byte sources: a path, stdin (`-`) or any Readable, as an async iterator of chunks. gzip is
 * detected from the first two bytes (1f 8b) and inflated on the fly, so a compressed capture is
 * read in the same constant memory as a plain one.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { PipeChunks } from './pipe.js';

/** A capture given as a stream, with the name used in messages and summaries. */
export interface CaptureStreamInput {
  /** Name shown to users (like a path). */
  path: string;
  stream: Readable;
}

/**
 * A pipe or FIFO already open, with the name used in messages: read like stdin on a pipe (one
 * reused buffer, nothing read while a chunk is worked on); the reader closes the descriptor.
 */
export interface CapturePipeInput {
  path: string;
  fd: number;
}

/** What readers accept: a path, `-` for stdin, a named stream or an open pipe. */
export type CaptureInput = string | CaptureStreamInput | CapturePipeInput;

/** Read size for files, bytes: large enough that per-chunk costs vanish, small enough to stay flat. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Buffer of a pipe reader: the most one read returns (a Linux pipe holds 64 KiB by default). */
export const PIPE_READ_BYTES = 256 * 1024;

export function inputPath(input: CaptureInput): string {
  return typeof input === 'string' ? input : input.path;
}

function openRaw(input: CaptureInput | PipeChunks): { chunks: AsyncIterator<Uint8Array>; reused: boolean; close(): void } {
  if (input instanceof PipeChunks) return { chunks: input, reused: true, close: () => input.close() };
  if (typeof input !== 'string' && 'fd' in input) {
    const pipe = new PipeChunks(input.fd, PIPE_READ_BYTES);
    return { chunks: pipe, reused: true, close: () => pipe.close() };
  }
  if (typeof input !== 'string') return { chunks: input.stream[Symbol.asyncIterator](), reused: false, close: () => undefined };
  if (input === '-') return { chunks: process.stdin[Symbol.asyncIterator](), reused: false, close: () => undefined };
  const stream = createReadStream(input, { highWaterMark: READ_CHUNK_BYTES });
  return { chunks: stream[Symbol.asyncIterator](), reused: false, close: () => stream.destroy() };
}

/**
 * Yields the decompressed bytes of `input`, each chunk valid only until the next is asked for
 * (a pipe's chunks are views into one buffer). Sets `state.gzip` once the first chunk was seen.
 * Errors propagate as thrown by fs/zlib/net (the reader maps them to error codes).
 */
export async function* captureChunks(input: CaptureInput | PipeChunks, state: { gzip: boolean }): AsyncGenerator<Uint8Array> {
  const { chunks: raw, reused, close } = openRaw(input);
  let gunzip: { destroy(): void } | null = null;
  try {
    const first = await raw.next();
    if (first.done === true) return;
    const head = first.value;
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      state.gzip = true;
      // Loaded on first use: the two modules cost ~10 ms of startup that plain captures never need.
      const [{ createGunzip }, { Readable }] = await Promise.all([import('node:zlib'), import('node:stream')]);
      const inflater = createGunzip({ chunkSize: 256 * 1024 });
      gunzip = inflater;
      // zlib keeps what it is given until it has inflated it: a reused buffer's chunks are copied.
      const own = (chunk: Uint8Array): Uint8Array => (reused ? chunk.slice() : chunk);
      const compressed = Readable.from((async function* () {
        yield own(head);
        for (;;) {
          const n = await raw.next();
          if (n.done === true) return;
          yield own(n.value);
        }
      })());
      compressed.on('error', (e) => inflater.destroy(e));
      compressed.pipe(inflater);
      for await (const chunk of inflater) yield chunk as Uint8Array;
    } else {
      yield head;
      for (;;) {
        const n = await raw.next();
        if (n.done === true) return;
        yield n.value;
      }
    }
  } finally {
    gunzip?.destroy();
    close();
  }
}
