/**
 * Byte sources: a path, stdin (`-`) or any Readable, as an async iterator of chunks. gzip is
 * detected from the first two bytes (1f 8b) and inflated on the fly, so a compressed capture is
 * read in the same constant memory as a plain one.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** A capture given as a stream, with the name used in messages and summaries. */
export interface CaptureStreamInput {
  /** Name shown to users (like a path). */
  path: string;
  stream: Readable;
}

/** What readers accept: a path, `-` for stdin, or a named stream. */
export type CaptureInput = string | CaptureStreamInput;

/** Read size for files, bytes: large enough that per-chunk costs vanish, small enough to stay flat. */
export const READ_CHUNK_BYTES = 1 << 20;

export function inputPath(input: CaptureInput): string {
  return typeof input === 'string' ? input : input.path;
}

function openRaw(input: CaptureInput): { stream: Readable; owned: boolean } {
  if (typeof input !== 'string') return { stream: input.stream, owned: false };
  if (input === '-') return { stream: process.stdin, owned: false };
  return { stream: createReadStream(input, { highWaterMark: READ_CHUNK_BYTES }), owned: true };
}

/**
 * Yields the decompressed bytes of `input`. Sets `state.gzip` once the first chunk was seen.
 * Errors propagate as thrown by fs/zlib (the reader maps them to error codes).
 */
export async function* captureChunks(input: CaptureInput, state: { gzip: boolean }): AsyncGenerator<Uint8Array> {
  const { stream, owned } = openRaw(input);
  const raw = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
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
      const compressed = Readable.from((async function* () {
        yield head;
        for (;;) {
          const n = await raw.next();
          if (n.done === true) return;
          yield n.value;
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
    if (owned) stream.destroy();
  }
}
