/**
 * The contract between the byte queue and a container format (classic pcap, pcapng). A parser is
 * a synchronous state machine: it reads whole records in place and asks for more bytes by
 * returning false, so a chunk is processed without a single await.
 */
import type { ByteQueue } from './bytes.js';
import type { PacketView } from './packet.js';
import type { CaptureFormat, CaptureInfo } from './types.js';

export interface FormatParser {
  /** Container format, known once the file header was read. */
  readonly format: CaptureFormat;
  /**
   * Fills `pkt` (all fields but `fileIndex`) with the next packet and consumes its bytes.
   * Returns false when the buffered bytes do not hold a whole record yet.
   * @throws BridgewatchError on a malformed file (nothing is consumed then).
   */
  next(q: ByteQueue, pkt: PacketView): boolean;
  /**
   * Optional fast path: calls `onPacket` for every whole record buffered, exactly as repeated
   * {@link next} calls would. @throws like {@link next}; records before the fault were delivered.
   */
  drain?(q: ByteQueue, pkt: PacketView, onPacket: (p: PacketView) => void): void;
  /**
   * Called at end of input. @throws BridgewatchError `CAPTURE_TRUNCATED` when bytes of an
   * incomplete header or record are left over.
   */
  finish(q: ByteQueue): void;
}

/** Largest packet we accept, bytes: libpcap's MAXIMUM_SNAPLEN and Wireshark's standard maximum. */
export const MAX_PACKET_LENGTH = 262144;

/** Fresh CaptureInfo for a path; parsers fill in the rest. */
export function emptyInfo(path: string): CaptureInfo {
  return { path, format: 'pcap', gzip: false, linkTypes: [], interfaceNames: [], snapLengths: [] };
}
