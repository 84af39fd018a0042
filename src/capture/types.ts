/**
 * What a capture reader yields. Readers (classic pcap, pcapng, gzip, merged files, live) all
 * produce {@link CapturePacket}s; decoders turn them into typed events (src/decode/).
 */

/** Container format of a capture file. */
export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng' | 'live';

/** Link-layer header types we decode (LINKTYPE_* from tcpdump.org/linktypes.html). */
export const LinkType = {
  ETHERNET: 1,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
} as const;

/**
 * One captured packet. Readers may reuse the object and the buffer behind `data`: a packet and its
 * `data` view are valid only until the reader yields the next packet (or the next batch, for batch
 * APIs). Copy (`Uint8Array.prototype.slice`) what must outlive that.
 */
export interface CapturePacket {
  /** 1-based frame number within its file, as Wireshark counts (all interfaces, all sections). */
  frame: number;
  /** Index of the file among the inputs given to the reader (0 for a single file). */
  fileIndex: number;
  /** Timestamp: whole seconds since the Unix epoch (UTC). */
  tsSec: number;
  /** Timestamp: nanoseconds within the second (0..999 999 999), whatever the file's resolution. */
  tsNsec: number;
  /** pcapng interface id (index of its IDB in the section); 0 for classic pcap. */
  interfaceId: number;
  /** LINKTYPE_* of the interface the packet was captured on (FCS bits stripped). */
  linkType: number;
  /** Bytes present in `data` (caplen). */
  capturedLength: number;
  /** Length of the packet on the wire (origlen); > capturedLength when the snaplen cut it. */
  originalLength: number;
  /** The captured bytes. A view into the reader's buffer: see the validity rule above. */
  data: Uint8Array;
  /**
   * Optional zero-copy access, set by the file readers: the buffer holding the packet and the
   * offset of its first byte, so `data` equals `buffer.subarray(offset, offset + capturedLength)`.
   * Lets the decoder skip creating a view per packet. Same validity as `data`; producers that do not
   * set it leave both undefined.
   */
  buffer?: Uint8Array;
  offset?: number;
}

/** Facts about one capture input, filled in as it is read. */
export interface CaptureInfo {
  /** Path as given (`-` for stdin). */
  path: string;
  format: CaptureFormat;
  /** True when the file was gzip-compressed. */
  gzip: boolean;
  /**
   * Link types seen, per interface id. For pcapng: one entry per IDB in file order; with several
   * sections the second section's interface 0 follows the first section's last entry.
   */
  linkTypes: number[];
  /** pcapng if_name per interface id (undefined where absent). */
  interfaceNames: (string | undefined)[];
  /** Snap length per interface id, bytes. */
  snapLengths: number[];
  /**
   * Bytes of FCS at the end of each frame, per interface id (pcap link-type FCS bits, pcapng
   * if_fcslen); 0 or absent when frames carry no FCS. Optional: live readers may omit it.
   */
  fcsLengths?: number[];
  /**
   * Records whose captured length exceeds their interface's snap length (up to the 256 KiB cap):
   * read whole, as libpcap and Wireshark do, and counted here; absent when there were none.
   */
  overSnapLength?: { records: number; firstFrame: number; detail: string };
}

/** Counts a record longer than its snap length into `info` (see {@link CaptureInfo.overSnapLength}). */
export function noteOverSnapLength(info: CaptureInfo, frame: number, caplen: number, snapLength: number): void {
  if (info.overSnapLength) info.overSnapLength.records++;
  else info.overSnapLength = { records: 1, firstFrame: frame, detail: `captured length ${caplen} exceeds the snap length ${snapLength}` };
}
