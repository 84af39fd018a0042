/**
 * Where the headers of a (well-formed) capture are, so mutations can hit them on purpose:
 * truncation at every header boundary, corrupted length fields, spliced or repeated records.
 * A tolerant scan: it stops at the first thing it cannot make sense of (mutated inputs included).
 */

/** One record (classic pcap) or block (pcapng), as byte offsets into the file. */
export interface RecordSpan {
  /** First byte of the record/block header. */
  start: number;
  /** One past the last byte of the record/block. */
  end: number;
  /** pcapng block type (0 for the classic pcap file header, 1 for a classic pcap record). */
  type: number;
  /** Offsets of 32-bit length fields inside it (block lengths, caplen, origlen). */
  lengthFields: number[];
  /** Offset of the frame bytes (packet records only), -1 otherwise. */
  dataAt: number;
  /** Frame bytes captured (packet records only). */
  dataLength: number;
}

/** A capture's layout: container kind, byte order of its (first) header, and its records. */
export interface CaptureLayout {
  kind: 'pcap' | 'pcapng' | 'unknown';
  littleEndian: boolean;
  records: RecordSpan[];
}

const PCAP_MAGICS_BE = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);

/** Scans `bytes` (not gzip-compressed). */
export function scanLayout(bytes: Uint8Array): CaptureLayout {
  if (bytes.length < 4) return { kind: 'unknown', littleEndian: true, records: [] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (PCAP_MAGICS_BE.has(magic)) return scanPcap(bytes, view, magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1);
  if (magic === 0x0a0d0d0a) return scanPcapng(bytes, view);
  return { kind: 'unknown', littleEndian: true, records: [] };
}

function scanPcap(bytes: Uint8Array, view: DataView, le: boolean): CaptureLayout {
  const records: RecordSpan[] = [];
  if (bytes.length < 24) return { kind: 'pcap', littleEndian: le, records };
  // File header: snaplen at 16 counts as a length field too.
  records.push({ start: 0, end: 24, type: 0, lengthFields: [16], dataAt: -1, dataLength: 0 });
  let o = 24;
  while (o + 16 <= bytes.length) {
    const caplen = view.getUint32(o + 8, le);
    const end = o + 16 + caplen;
    if (end > bytes.length) break;
    records.push({ start: o, end, type: 1, lengthFields: [o + 8, o + 12], dataAt: o + 16, dataLength: caplen });
    o = end;
  }
  return { kind: 'pcap', littleEndian: le, records };
}

function scanPcapng(bytes: Uint8Array, view: DataView): CaptureLayout {
  const records: RecordSpan[] = [];
  let le = true;
  let firstLe: boolean | null = null;
  let o = 0;
  while (o + 12 <= bytes.length) {
    let type = view.getUint32(o, le);
    if (type === 0x0a0d0d0a) {
      const bom = view.getUint32(o + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else break;
      type = 0x0a0d0d0a;
      firstLe ??= le;
    }
    const len = view.getUint32(o + 4, le);
    if (len < 12 || len % 4 !== 0 || o + len > bytes.length) break;
    const fields = [o + 4, o + len - 4];
    let dataAt = -1;
    let dataLength = 0;
    if ((type === 6 || type === 2) && len >= 32) {
      fields.push(o + 20, o + 24);
      dataAt = o + 28;
      dataLength = Math.min(view.getUint32(o + 20, le), len - 32);
    } else if (type === 3 && len >= 16) {
      fields.push(o + 8);
      dataAt = o + 12;
      dataLength = len - 16;
    } else if (type === 1 && len >= 20) {
      fields.push(o + 12);
    }
    records.push({ start: o, end: o + len, type, lengthFields: fields, dataAt, dataLength });
    o += len;
  }
  return { kind: 'pcapng', littleEndian: firstLe ?? true, records };
}

/** Every offset at which a header or record begins or ends (for truncation), ascending, unique. */
export function headerBoundaries(layout: CaptureLayout): number[] {
  const out = new Set<number>();
  for (const r of layout.records) {
    out.add(r.start);
    out.add(r.end);
    for (const f of r.lengthFields) {
      out.add(f);
      out.add(f + 4);
    }
    if (r.dataAt >= 0) out.add(r.dataAt);
  }
  return [...out].sort((a, b) => a - b);
}
