/**
 * Capture reading API: classic pcap (µs/ns, both byte orders), pcapng, gzip, stdin, and several
 * inputs merged by timestamp, all streamed in constant memory.
 */
import type { BridgewatchError } from '../errors.js';
import { CaptureReader } from './reader.js';
import type { CaptureInput } from './source.js';
import type { CaptureInfo, CapturePacket } from './types.js';

export type { CaptureInput, CaptureStreamInput } from './source.js';
export { CaptureReader } from './reader.js';

/** Options for {@link readCaptures}. */
export interface ReadOptions {
  /** Stops reading (between chunks) when aborted; results then describe what was read. */
  signal?: AbortSignal;
}

/** Outcome of reading one input. */
export interface CaptureReadResult {
  info: CaptureInfo;
  /** Set when a fault stopped this input; every packet before it was delivered. */
  error?: BridgewatchError;
}

/**
 * Reads `inputs` (paths, `-` for stdin, or named streams) and calls `onPacket` for every packet,
 * merged by timestamp across inputs (ties keep input order; within one input, file order).
 * `onPacket` receives a reused object whose `data` is valid only during the call.
 * A fault in one input never throws: it ends that input and is returned as its `error`.
 * @returns one result per input, in input order.
 */
export async function readCaptures(
  inputs: Array<CaptureInput>,
  onPacket: (p: CapturePacket) => void,
  options: ReadOptions = {},
): Promise<CaptureReadResult[]> {
  const readers = inputs.map((input, i) => new CaptureReader(input, i));
  try {
    if (readers.length === 1) await readOne(readers[0]!, onPacket, options.signal);
    else if (readers.length > 1) await readMerged(readers, onPacket, options.signal);
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
  return readers.map((r) => (r.error ? { info: r.info, error: r.error } : { info: r.info }));
}

async function readOne(reader: CaptureReader, onPacket: (p: CapturePacket) => void, signal?: AbortSignal): Promise<void> {
  while (signal?.aborted !== true && (await reader.fill())) reader.drain(onPacket);
}

/** Makes `reader.packet` the reader's next packet; false when the input is exhausted. */
async function advance(reader: CaptureReader, signal?: AbortSignal): Promise<boolean> {
  while (!reader.nextBuffered()) {
    if (signal?.aborted === true || !(await reader.fill())) return false;
  }
  return true;
}

/** k-way merge on timestamps; k is small (ring files, vantages), so a linear scan beats a heap. */
async function readMerged(readers: CaptureReader[], onPacket: (p: CapturePacket) => void, signal?: AbortSignal): Promise<void> {
  const active: CaptureReader[] = [];
  for (const r of readers) if (await advance(r, signal)) active.push(r);
  while (active.length > 0) {
    let best = 0;
    for (let i = 1; i < active.length; i++) {
      const a = active[i]!.packet;
      const b = active[best]!.packet;
      if (a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec < b.tsNsec)) best = i;
    }
    const reader = active[best]!;
    onPacket(reader.packet);
    // Synchronous when the next record is already buffered; awaits only at chunk boundaries.
    if (!reader.nextBuffered() && !(await advance(reader, signal))) active.splice(best, 1);
  }
}
