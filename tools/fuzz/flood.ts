/**
 * Generated traffic for the flood and huge-input benchmarks (bench/flood.js, bench/huge.js) and
 * the flood tests: classic pcap (µs, little-endian, Ethernet) streamed in ~1 MiB chunks, so any
 * length can be produced without holding it in memory (or touching disk, when piped to stdin).
 * Deterministic from the seed. Addresses: 192.0.2.0/24 (RFC 5737) for the hosts of a normal
 * segment, 198.18.0.0/15 (RFC 2544, benchmarking) for the 131,072 addresses a flood needs, and
 * locally administered MACs (02:...) for random stations.
 */
import { Rng } from './rng.js';

/**
 * - `normal`: 40 hosts each pinged by a neighbour (request + reply), ARP refreshes now and then;
 * - `pairs`: ARP replies from random MACs claiming random addresses (an ARP-spoofing flood);
 * - `storm`: one requester asking for one address every ms, unanswered (identical requests);
 * - `proxy`: one MAC answering for every address of 198.18.0.0/15 (proxy ARP gone wrong).
 */
export type FloodKind = 'normal' | 'pairs' | 'storm' | 'proxy';

/** Every flood kind (bench/flood.js runs each). @public */
export const FLOOD_KINDS: readonly FloodKind[] = ['normal', 'pairs', 'storm', 'proxy'];

const NEIGHBOUR_MAC = 0x002590aabbcc;
const NEIGHBOUR_IP = 0xc00002fe; // 192.0.2.254
const HOST_MAC_BASE = 0xb499ba112200;
const PROXY_MAC = 0x020000000001;
const BENCH_NET = 0xc6120000; // 198.18.0.0/15
/** Default frame length, bytes (the Ethernet minimum without FCS). */
const MIN_FRAME = 60;
const PCAP_HEADER = 24;

/** The 24-byte classic pcap header (µs, LE, snaplen 65535, Ethernet). */
export function pcapHeader(): Uint8Array {
  const b = new Uint8Array(PCAP_HEADER);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  return b;
}

function putMac(v: DataView, o: number, mac: number): void {
  v.setUint16(o, Math.floor(mac / 2 ** 32), false);
  v.setUint32(o + 2, mac >>> 0, false);
}

/** Writes a pcap record header and the frame's Ethernet addresses at `o`; returns the frame's offset. */
function recordHeader(v: DataView, o: number, tUs: number, frameLength: number, srcMac: number, dstMac: number): number {
  v.setUint32(o, Math.floor(tUs / 1e6), true);
  v.setUint32(o + 4, tUs % 1e6, true);
  v.setUint32(o + 8, frameLength, true);
  v.setUint32(o + 12, frameLength, true);
  putMac(v, o + 16, dstMac);
  putMac(v, o + 22, srcMac);
  return o + 16;
}

/** Writes one 60-byte ARP frame record at `o`. */
function arpRecord(
  v: DataView, o: number, tUs: number, op: 1 | 2, srcMac: number, dstMac: number, senderIp: number, targetMac: number, targetIp: number,
  frameLength = MIN_FRAME,
): void {
  const f = recordHeader(v, o, tUs, frameLength, srcMac, dstMac);
  v.setUint16(f + 12, 0x0806, false);
  v.setUint32(f + 14, 0x00010800, false);
  v.setUint32(f + 18, 0x06040000 | op, false);
  putMac(v, f + 22, srcMac);
  v.setUint32(f + 28, senderIp, false);
  putMac(v, f + 32, targetMac);
  v.setUint32(f + 38, targetIp, false);
  // Padding bytes stay zero: chunks are freshly allocated.
}

/** Writes one 60-byte ICMP echo (request or reply) frame record at `o`. */
function echoRecord(
  v: DataView, o: number, tUs: number, srcMac: number, dstMac: number, srcIp: number, dstIp: number, reply: boolean, seq: number,
  frameLength = MIN_FRAME,
): void {
  const f = recordHeader(v, o, tUs, frameLength, srcMac, dstMac);
  v.setUint16(f + 12, 0x0800, false);
  const ip = f + 14;
  v.setUint32(ip, 0x45000000 | (frameLength - 14), false); // v4, IHL 5, total length
  v.setUint32(ip + 4, 0, false);
  v.setUint32(ip + 8, 0x40010000, false); // TTL 64, ICMP, checksum not checked
  v.setUint32(ip + 12, srcIp, false);
  v.setUint32(ip + 16, dstIp, false);
  const icmp = ip + 20;
  v.setUint32(icmp, reply ? 0 : 0x08000000, false);
  v.setUint16(icmp + 4, 0x4242, false);
  v.setUint16(icmp + 6, seq & 0xffff, false);
}

/** Start of the generated capture: 2026-11-21T09:00:00Z. */
const T0_US = 1_795_251_600 * 1e6;

/**
 * Yields a classic pcap of `packets` frames of `kind`, in chunks of about `chunkBytes`.
 * Frames are 100 µs apart (10,000 frames per second of capture time) and `frameLength` bytes long
 * (60..65535; larger frames make a multi-GB stream out of fewer packets).
 */
export function* floodCapture(
  kind: FloodKind, packets: number, seed = 1, chunkBytes = 1 << 20, frameLength = MIN_FRAME,
): Generator<Uint8Array> {
  if (!(frameLength >= MIN_FRAME && frameLength <= 65535)) throw new RangeError(`frameLength must be 60..65535 (got ${frameLength})`);
  yield pcapHeader();
  const rng = new Rng(seed);
  const recordBytes = 16 + frameLength;
  const perChunk = Math.max(1, Math.floor(chunkBytes / recordBytes));
  let i = 0;
  while (i < packets) {
    const n = Math.min(perChunk, packets - i);
    const chunk = new Uint8Array(n * recordBytes);
    const v = new DataView(chunk.buffer);
    for (let k = 0; k < n; k++, i++) {
      const o = k * recordBytes;
      const t = T0_US + i * 100;
      switch (kind) {
        case 'normal': {
          // Cycle: request/reply pairs to 40 hosts; every 2000th pair is an ARP refresh instead.
          const pair = i >> 1;
          const host = pair % 40;
          const hostIp = 0xc0000200 + 1 + host;
          const hostMac = HOST_MAC_BASE + host;
          const reply = (i & 1) === 1;
          if (pair % 2000 === 1999) {
            if (!reply) arpRecord(v, o, t, 1, NEIGHBOUR_MAC, 0xffffffffffff, NEIGHBOUR_IP, 0, hostIp, frameLength);
            else arpRecord(v, o, t, 2, hostMac, NEIGHBOUR_MAC, hostIp, NEIGHBOUR_MAC, NEIGHBOUR_IP, frameLength);
          } else if (!reply) echoRecord(v, o, t, NEIGHBOUR_MAC, hostMac, NEIGHBOUR_IP, hostIp, false, pair, frameLength);
          else echoRecord(v, o, t, hostMac, NEIGHBOUR_MAC, hostIp, NEIGHBOUR_IP, true, pair, frameLength);
          break;
        }
        case 'pairs': {
          const mac = 0x020000000000 + (rng.u32() & 0xffffff) * 0x100 + (rng.u32() & 0xff);
          arpRecord(v, o, t, 2, mac, NEIGHBOUR_MAC, BENCH_NET + (rng.u32() & 0x1ffff), NEIGHBOUR_MAC, NEIGHBOUR_IP, frameLength);
          break;
        }
        case 'storm':
          arpRecord(v, o, T0_US + i * 1000, 1, NEIGHBOUR_MAC, 0xffffffffffff, NEIGHBOUR_IP, 0, 0xc0000201, frameLength);
          break;
        case 'proxy':
          arpRecord(v, o, t, 2, PROXY_MAC, NEIGHBOUR_MAC, BENCH_NET + (i & 0x1ffff), NEIGHBOUR_MAC, NEIGHBOUR_IP, frameLength);
          break;
      }
    }
    yield chunk;
  }
}
