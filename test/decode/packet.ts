/** Builds a CapturePacket around fixture bytes (frame 7 of file 0, a fixed timestamp). */
import type { CapturePacket } from '../../src/capture/types.js';
import { decodePacket } from '../../src/decode/index.js';
import type { DecodedEvent } from '../../src/decode/events.js';
import { fromHex } from '../capture/fixtures.js';

export function packetOf(hex: string, linkType = 1): CapturePacket {
  const data = fromHex(hex);
  return { frame: 7, fileIndex: 0, tsSec: 1795253811, tsNsec: 977386000, interfaceId: 0, linkType,
    capturedLength: data.length, originalLength: data.length, data };
}

export function decodeHex(hex: string, linkType = 1): DecodedEvent | null {
  return decodePacket(packetOf(hex, linkType));
}

/** Narrows to one event kind or fails the test. */
export function as<K extends DecodedEvent['kind']>(ev: DecodedEvent | null, kind: K): Extract<DecodedEvent, { kind: K }> {
  if (ev === null || ev.kind !== kind) throw new Error(`expected ${kind}, got ${ev === null ? 'null' : `${ev.kind} ${JSON.stringify(ev)}`}`);
  return ev as Extract<DecodedEvent, { kind: K }>;
}

/** Every proper prefix of a frame (what a snap length could leave). */
export function prefixes(hex: string): Uint8Array[] {
  const data = fromHex(hex);
  return Array.from({ length: data.length }, (_, n) => data.subarray(0, n));
}
