/**
 * Capture mutations: each takes a well-formed sample and returns a damaged copy plus a short name
 * (recorded with crashes so a fixture says how it was made). Structure-aware where it matters:
 * lengths, boundaries and blocks come from {@link scanLayout}, so most cases get past the magic
 * and exercise the deep paths instead of failing on byte 0.
 */
import { gzipSync } from 'node:zlib';
import { headerBoundaries, scanLayout, type CaptureLayout, type RecordSpan } from './layout.js';
import type { Rng } from './rng.js';

/** A mutation result. */
export interface Mutated {
  bytes: Uint8Array;
  /** What was done, e.g. `truncate@1234 length@88=0xffffffff`. */
  steps: string[];
}

/** Values that break length arithmetic: zero, tiny, off by one, sign bit, all ones, just past our caps. */
const INTERESTING_U32 = [0, 1, 3, 4, 8, 11, 12, 15, 16, 27, 28, 31, 32, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000,
  262143, 262144, 262145, 0xfffff, 16 * 1024 * 1024, 16 * 1024 * 1024 + 4, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];

/** Values for frame bytes: EtherTypes, VLAN TPIDs, ARP sizes, IPv6 extension headers, option types. */
const INTERESTING_U16 = [0x0000, 0x0001, 0x0006, 0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x0604, 0x0410,
  0x0026, 0x05dc, 0x05dd, 0x003a, 0x2c00, 0x0000, 0xffff, 0x8000, 0x7fff, 0x0087, 0x0088, 0x4242];

type CaptureMutator = (bytes: Uint8Array, layout: CaptureLayout, rng: Rng, donor: Uint8Array) => Mutated | null;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const bitFlips: CaptureMutator = (bytes, _layout, rng) => {
  if (bytes.length === 0) return null;
  const out = bytes.slice();
  const n = rng.between(1, 8);
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = rng.below(out.length);
    out[o]! ^= 1 << rng.below(8);
    at.push(o);
  }
  return { bytes: out, steps: [`bitflip@${at.join(',')}`] };
};

const truncateAtBoundary: CaptureMutator = (bytes, layout, rng) => {
  const bounds = headerBoundaries(layout);
  if (bounds.length === 0) return null;
  const at = Math.max(0, Math.min(bytes.length, rng.pick(bounds) + rng.between(-3, 3)));
  return { bytes: bytes.slice(0, at), steps: [`truncate@${at}`] };
};

const corruptLength: CaptureMutator = (bytes, layout, rng) => {
  const fields = layout.records.flatMap((r) => r.lengthFields).filter((f) => f + 4 <= bytes.length);
  if (fields.length === 0) return null;
  const out = bytes.slice();
  const at = rng.pick(fields);
  const old = view(out).getUint32(at, layout.littleEndian);
  const value = rng.chance(0.7) ? rng.pick(INTERESTING_U32) : (old + rng.between(-8, 8)) >>> 0;
  // Half the time write it in the wrong byte order, as a writer with a byte-order bug would.
  const le = rng.chance(0.5) ? layout.littleEndian : !layout.littleEndian;
  view(out).setUint32(at, value, le);
  return { bytes: out, steps: [`length@${at}=0x${value.toString(16)}${le === layout.littleEndian ? '' : '(swapped)'}`] };
};

const byteOrderFlip: CaptureMutator = (bytes, layout, rng) => {
  const r = layout.records.length > 0 ? rng.pick(layout.records) : null;
  if (r === null) return null;
  const out = bytes.slice();
  // Reverse a 4-byte header word, or (for file/section headers) the whole magic.
  const words = r.lengthFields.concat([r.start, r.start + 8].filter((o) => o + 4 <= r.end));
  const at = rng.pick(words);
  if (at + 4 > out.length) return null;
  out.subarray(at, at + 4).reverse();
  return { bytes: out, steps: [`byteorder@${at}`] };
};

const packetRecords = (layout: CaptureLayout): RecordSpan[] => layout.records.filter((r) => r.dataAt >= 0);

const repeatRecord: CaptureMutator = (bytes, layout, rng) => {
  const candidates = layout.records.filter((r) => r.start > 0 || layout.kind === 'pcapng');
  if (candidates.length === 0) return null;
  const r = rng.pick(candidates);
  const times = rng.chance(0.8) ? rng.between(1, 4) : rng.between(5, 200);
  const block = bytes.subarray(r.start, r.end);
  const copies = Array.from({ length: times }, () => block);
  return { bytes: concat([bytes.subarray(0, r.end), ...copies, bytes.subarray(r.end)]), steps: [`repeat@${r.start}x${times}`] };
};

const deleteRecord: CaptureMutator = (bytes, layout, rng) => {
  if (layout.records.length === 0) return null;
  const r = rng.pick(layout.records);
  return { bytes: concat([bytes.subarray(0, r.start), bytes.subarray(r.end)]), steps: [`delete@${r.start}-${r.end}`] };
};

const swapRecords: CaptureMutator = (bytes, layout, rng) => {
  if (layout.records.length < 2) return null;
  let a = rng.pick(layout.records);
  let b = rng.pick(layout.records);
  if (a.start === b.start) return null;
  if (b.start < a.start) [a, b] = [b, a];
  return {
    bytes: concat([bytes.subarray(0, a.start), bytes.subarray(b.start, b.end), bytes.subarray(a.end, b.start),
      bytes.subarray(a.start, a.end), bytes.subarray(b.end)]),
    steps: [`swap@${a.start},${b.start}`],
  };
};

/** Splices a record or block (or a run of them) from another sample in at a record boundary. */
const spliceFromDonor: CaptureMutator = (bytes, layout, rng, donor) => {
  const donorLayout = scanLayout(donor);
  if (donorLayout.records.length === 0) return null;
  const first = rng.below(donorLayout.records.length);
  const last = Math.min(donorLayout.records.length - 1, first + rng.below(6));
  const piece = donor.subarray(donorLayout.records[first]!.start, donorLayout.records[last]!.end);
  const bounds = layout.records.map((r) => r.end);
  const at = bounds.length > 0 ? rng.pick(bounds) : bytes.length;
  return { bytes: concat([bytes.subarray(0, at), piece, bytes.subarray(at)]), steps: [`splice@${at}<-donor[${first}..${last}]`] };
};

const appendGarbage: CaptureMutator = (bytes, layout, rng) => {
  const kind = rng.below(3);
  let tail: Uint8Array;
  if (kind === 0) tail = rng.bytes(rng.between(1, 300));
  else {
    // A plausible partial header: a record or block start cut short, or a full header with a wild length.
    const r = layout.records.length > 0 ? rng.pick(layout.records) : null;
    tail = r === null ? rng.bytes(16) : bytes.slice(r.start, Math.min(r.end, r.start + rng.between(1, 40)));
  }
  return { bytes: concat([bytes, tail]), steps: [`garbage+${tail.length}`] };
};

/** Overwrites frame bytes with values decoders branch on (EtherTypes, lengths, VLAN tags). */
const frameFields: CaptureMutator = (bytes, layout, rng) => {
  const packets = packetRecords(layout).filter((r) => r.dataLength >= 2);
  if (packets.length === 0) return null;
  const out = bytes.slice();
  const steps: string[] = [];
  const n = rng.between(1, 4);
  for (let i = 0; i < n; i++) {
    const r = rng.pick(packets);
    const o = r.dataAt + rng.below(Math.min(r.dataLength - 1, 80));
    const value = rng.pick(INTERESTING_U16);
    view(out).setUint16(o, value, false);
    steps.push(`frame@${o}=0x${value.toString(16)}`);
  }
  return { bytes: out, steps };
};

/** Shrinks one packet's captured length in place (a snaplen cut the frame), keeping the file valid. */
const cutFrame: CaptureMutator = (bytes, layout, rng) => {
  const packets = packetRecords(layout).filter((r) => r.type === 1 && r.dataLength > 0);
  if (packets.length === 0) return null;
  const r = rng.pick(packets);
  const keep = rng.below(r.dataLength);
  const out = concat([bytes.subarray(0, r.dataAt + keep), bytes.subarray(r.end)]);
  view(out).setUint32(r.start + 8, keep, layout.littleEndian);
  return { bytes: out, steps: [`cutframe@${r.start}->${keep}`] };
};

/** Sets packet timestamps to extremes (0, 2^32-1, a fraction of a second or more). */
const timestamps: CaptureMutator = (bytes, layout, rng) => {
  const packets = packetRecords(layout);
  if (packets.length === 0) return null;
  const out = bytes.slice();
  const r = rng.pick(packets);
  // Classic pcap: ts_sec at +0, ts_usec at +4; EPB/OPB: ts high at +12, low at +16.
  const at = r.start + (r.type === 1 ? 0 : 12) + (rng.chance(0.5) ? 4 : 0);
  if (r.type === 3 || at + 4 > out.length) return null;
  const value = rng.pick([0, 1, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 0x7fffffff, 0x80000000, 0xffffffff]);
  view(out).setUint32(at, value, layout.littleEndian);
  return { bytes: out, steps: [`ts@${at}=0x${value.toString(16)}`] };
};

/**
 * Replaces an interface description block by one with random clock options (if_tsresol, any
 * byte; if_tsoffset, any 64-bit value) and optionally an if_fcslen: the options that turn raw
 * timestamps into times and cut frames.
 */
const interfaceOptions: CaptureMutator = (bytes, layout, rng) => {
  const idbs = layout.records.filter((r) => r.type === 1 && r.end - r.start >= 20);
  if (layout.kind !== 'pcapng' || idbs.length === 0) return null;
  const r = rng.pick(idbs);
  const le = layout.littleEndian;
  const options: Array<[number, Uint8Array]> = [];
  if (rng.chance(0.7)) {
    const tsresol = rng.chance(0.5) ? rng.pick([0, 3, 6, 9, 10, 19, 63, 127, 0x80, 0x80 | 30, 0xff]) : rng.u32() & 0xff;
    options.push([9, Uint8Array.of(tsresol)]);
  }
  if (rng.chance(0.5)) {
    const off = new Uint8Array(8);
    const big = rng.pick([0n, 1n, -1n, 1n << 40n, (1n << 63n) - 1n, -(1n << 63n), BigInt(rng.u32()) * 4096n]);
    new DataView(off.buffer).setBigInt64(0, big, le);
    options.push([14, off]);
  }
  if (rng.chance(0.3)) options.push([13, Uint8Array.of(rng.pick([0, 2, 4, 60, 255]))]);
  const optBytes = options.reduce((n, [, v]) => n + 4 + ((v.length + 3) & ~3), 0) + 4;
  const len = 20 + optBytes;
  const idb = new Uint8Array(len);
  const v = view(idb);
  idb.set(bytes.subarray(r.start, r.start + 16), 0); // type, length (rewritten below), link type, snaplen
  v.setUint32(4, len, le);
  let o = 16;
  for (const [code, value] of options) {
    v.setUint16(o, code, le);
    v.setUint16(o + 2, value.length, le);
    idb.set(value, o + 4);
    o += 4 + ((value.length + 3) & ~3);
  }
  v.setUint32(len - 4, len, le); // opt_endofopt is the zero word before it
  return { bytes: concat([bytes.subarray(0, r.start), idb, bytes.subarray(r.end)]), steps: [`idb@${r.start}:${options.map(([c, val]) => `${c}=${Array.from(val).join('.')}`).join(',')}`] };
};

const MUTATORS: Array<[string, CaptureMutator, number]> = [
  ['timestamps', timestamps, 2],
  ['idb', interfaceOptions, 2],
  ['bitflip', bitFlips, 4],
  ['truncate', truncateAtBoundary, 3],
  ['length', corruptLength, 4],
  ['byteorder', byteOrderFlip, 2],
  ['repeat', repeatRecord, 2],
  ['delete', deleteRecord, 1],
  ['swap', swapRecords, 1],
  ['splice', spliceFromDonor, 2],
  ['garbage', appendGarbage, 2],
  ['frame', frameFields, 4],
  ['cutframe', cutFrame, 2],
];
const TOTAL_WEIGHT = MUTATORS.reduce((n, m) => n + m[2], 0);

function pickMutator(rng: Rng): CaptureMutator {
  let w = rng.below(TOTAL_WEIGHT);
  for (const [, m, weight] of MUTATORS) {
    if (w < weight) return m;
    w -= weight;
  }
  return bitFlips;
}

/**
 * Applies 1-3 random mutations to `sample` (re-scanning the layout between them), then gzips the
 * result one time in ten (and cuts the compressed stream one time in three of those).
 */
export function mutateCapture(sample: Uint8Array, donor: Uint8Array, rng: Rng): Mutated {
  // Mutators copy with `slice`, which on a Buffer would be a view: work on plain arrays only.
  let bytes = Buffer.isBuffer(sample) ? new Uint8Array(sample) : sample;
  const steps: string[] = [];
  const rounds = rng.chance(0.6) ? 1 : rng.between(2, 3);
  for (let i = 0; i < rounds; i++) {
    const layout = scanLayout(bytes);
    const m = pickMutator(rng)(bytes, layout, rng, donor) ?? bitFlips(bytes, layout, rng, donor);
    if (m === null) continue;
    bytes = m.bytes;
    steps.push(...m.steps);
  }
  if (rng.chance(0.1)) {
    let gz = new Uint8Array(gzipSync(bytes, { level: 1 }));
    if (rng.chance(0.33)) gz = gz.subarray(0, rng.below(gz.length));
    bytes = gz;
    steps.push(`gzip(${gz.length})`);
  }
  return { bytes, steps };
}
