/**
 * Writes synthetic classic pcaps (µs, little-endian, Ethernet) for the bench, deterministic (seeded),
 * documentation addresses only (192.0.2.0/24, 198.51.100.0/24, 2001:db8::/32; MACs 00:00:5e:00:53:xx).
 * `generate`: mixed traffic, conversations among 250 hosts where every request is answered
 * (bridgewatch finds nothing), ~5% ARP, ~2% NDP, ~0.5% STP, IPv4 and IPv6 TCP/UDP, ~10%
 * 802.1Q-tagged; lengths 60-1514 bytes.
 * `generateUdp` / `udpMixChunks`: the mix of issue 16's table: 200 hosts, ~5% ARP (every request
 * answered by a reply), the rest unicast IPv4 UDP of 60-1400 bytes (~730 on average: ~2.9 GB per 4M).
 * Usage: node bench/generate.js OUT COUNT [mixed|udp]
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

let seed = 0x2545f491;
/** xorshift32: deterministic and fast. */
function rand() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// Hosts 0..249: one MAC, one IPv4 and one IPv6 address each, so the mix has no address clashes
// (a bench of normal traffic; bench/flood.js is the one for pathological inputs).
const macOf = (i) => [0x00, 0x00, 0x5e, 0x00, 0x53, i & 0xff];
const ipv4Of = (i) => (i & 1 ? [192, 0, 2, 1 + i] : [198, 51, 100, 1 + i]);
const ipv6Of = (i) => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 + i];

function ethernet(dst, src, type, payload, vlan) {
  const tag = vlan ? [0x81, 0x00, (vlan >> 8) & 0x0f, vlan & 0xff] : [];
  return [...dst, ...src, ...tag, type >> 8, type & 0xff, ...payload];
}
function pad(frame, length) {
  while (frame.length < length) frame.push(frame.length & 0xff);
  return frame;
}
function arp(a, b, reply) {
  return ethernet(reply ? macOf(b) : [255, 255, 255, 255, 255, 255], macOf(a), 0x0806,
    [0, 1, 8, 0, 6, 4, 0, reply ? 2 : 1, ...macOf(a), ...ipv4Of(a), ...(reply ? macOf(b) : [0, 0, 0, 0, 0, 0]), ...ipv4Of(b)]);
}
/** A TCP segment of an established connection (ACK only), or a UDP header; padding follows. */
function transport(proto) {
  return proto === 6 ? [0x30, 0x39, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0]
    : [0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0];
}
function ipv4(a, b, proto, length, vlan) {
  const total = length - 14 - (vlan ? 4 : 0);
  const header = [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, proto, 0, 0, ...ipv4Of(a), ...ipv4Of(b), ...transport(proto)];
  return pad(ethernet(macOf(b), macOf(a), 0x0800, header, vlan), length);
}
function ipv6(a, b, next, length, vlan, payload = []) {
  const plen = length - 14 - 40 - (vlan ? 4 : 0);
  const header = [0x60, 0, 0, 0, plen >> 8, plen & 0xff, next, next === 58 ? 255 : 64, ...ipv6Of(a), ...ipv6Of(b),
    ...(next === 58 ? payload : transport(next))];
  return pad(ethernet(macOf(b), macOf(a), 0x86dd, header, vlan), length);
}
function ns(a, b) {
  return ipv6(a, b, 58, 86, 0, [135, 0, 0, 0, 0, 0, 0, 0, ...ipv6Of(b), 1, 1, ...macOf(a)]);
}
/** The solicited answer to ns(b, a): S and O flags, target `a`, its MAC as target link-layer address. */
function na(a, b) {
  return ipv6(a, b, 58, 86, 0, [136, 0, 0, 0, 0x60, 0, 0, 0, ...ipv6Of(a), 2, 1, ...macOf(a)]);
}
function stp() {
  return pad([0x01, 0x80, 0xc2, 0, 0, 0, ...macOf(250), 0, 38, 0x42, 0x42, 3, 0, 0, 0, 0, 0,
    0x80, 0, ...macOf(250), 0, 0, 0, 0, 0x80, 0, ...macOf(250), 0x80, 1, 0, 0, 20, 0, 2, 0, 15, 0], 60);
}

/**
 * A pool of conversations drawn from with the target mix (templates keep generation fast). Every
 * request is answered at once, as on a healthy LAN: ARP request and reply, NS and NA, IP packets
 * both ways; STP BPDUs come alone. Of the frames: ~5% ARP, ~2% NDP, ~0.5% STP, ~9% IPv6, the rest
 * IPv4 (TCP and UDP).
 */
function templates() {
  const pool = [];
  const lengths = [60, 60, 60, 66, 74, 74, 128, 128, 200, 590, 1514];
  for (let i = 0; i < 4000; i++) {
    const a = Math.floor(rand() * 250);
    let b = Math.floor(rand() * 250);
    if (b === a) b = (a + 1) % 250;
    const vlan = rand() < 0.1 ? 1 + Math.floor(rand() * 4094) : 0;
    const r = rand();
    let group;
    if (r < 0.07) group = [pad(arp(a, b, false), 60), pad(arp(b, a, true), 60)];
    else if (r < 0.098) group = [ns(a, b), na(b, a)];
    else if (r < 0.112) group = [stp()];
    else {
      // A TCP or UDP exchange; the initiator's next datagram closes it, so no segment is left unanswered.
      const ip = r < 0.202
        ? (x, y, proto, length) => ipv6(x, y, proto, Math.max(74, length), vlan)
        : (x, y, proto, length) => ipv4(x, y, proto, length, vlan);
      const proto = rand() < 0.6 ? 6 : 17;
      group = [ip(a, b, proto, pick(lengths)), ip(b, a, proto, pick(lengths)), ip(a, b, 17, pick(lengths))];
    }
    pool.push(group.map((frame) => Buffer.from(frame)));
  }
  return pool;
}

/**
 * The pcap file as chunks of up to 8 MiB (the first is the file header): `count` frames taken from
 * `nextFrame()`, each `1 + rand() * 400` µs after the one before. Every chunk is a buffer of its
 * own (a stream may still hold it when the next is asked for).
 */
function* pcapChunks(count, nextFrame) {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16); header.writeUInt32LE(1, 20);
  yield header;
  let chunk = Buffer.allocUnsafe(8 << 20);
  let used = 0;
  let sec = 1795253811;
  let usec = 0;
  for (let i = 0; i < count; i++) {
    const frame = nextFrame();
    if (used + 16 + frame.length > chunk.length) {
      yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(8 << 20);
      used = 0;
    }
    usec += 1 + Math.floor(rand() * 400);
    if (usec >= 1e6) { sec += 1; usec -= 1e6; }
    chunk.writeUInt32LE(sec, used); chunk.writeUInt32LE(usec, used + 4);
    chunk.writeUInt32LE(frame.length, used + 8); chunk.writeUInt32LE(frame.length, used + 12);
    frame.copy(chunk, used + 16);
    used += 16 + frame.length;
  }
  if (used > 0) yield chunk.subarray(0, used);
}

/** Frames drawn group by group (a group is a request and its answer) from a pool of templates. */
function fromPool(pool) {
  let group = [];
  let next = 0;
  return () => {
    if (next === group.length) { group = pool[Math.floor(rand() * pool.length)]; next = 0; }
    return group[next++];
  };
}

function writeChunks(out, chunks) {
  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, 'w');
  let bytes = 0;
  try {
    for (const chunk of chunks) { writeSync(fd, chunk); bytes += chunk.length; }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Writes `count` frames of the mixed traffic to `out`; returns the file's size in bytes. */
export function generate(out, count) {
  seed = 0x2545f491;
  return writeChunks(out, pcapChunks(count, fromPool(templates())));
}

/**
 * The UDP mix's pool: pairs of frames between two of 200 hosts, 5% of them an ARP request
 * (broadcast) and its reply, the others a unicast IPv4 UDP datagram and the answer, each 60-1400
 * bytes long (uniform).
 */
function udpTemplates() {
  const hosts = 200;
  const pool = [];
  const length = () => 60 + Math.floor(rand() * 1341);
  for (let i = 0; i < 4000; i++) {
    const a = Math.floor(rand() * hosts);
    let b = Math.floor(rand() * hosts);
    if (b === a) b = (a + 1) % hosts;
    const group = rand() < 0.05
      ? [pad(arp(a, b, false), 60), pad(arp(b, a, true), 60)]
      : [ipv4(a, b, 17, length(), 0), ipv4(b, a, 17, length(), 0)];
    const buffers = group.map((frame) => Buffer.from(frame));
    // The UDP length field: the whole datagram (header and payload), as a real stack writes it.
    for (const f of buffers) if (f[23] === 17) f.writeUInt16BE(f.length - 14 - 20, 14 + 20 + 4);
    pool.push(buffers);
  }
  return pool;
}

/** The UDP mix as pcap chunks (see pcapChunks), for streaming without a file. */
export function udpMixChunks(count) {
  seed = 0x1b873593;
  return pcapChunks(count, fromPool(udpTemplates()));
}

/** Writes `count` frames of the UDP mix to `out`; returns the file's size in bytes. */
export function generateUdp(out, count) {
  return writeChunks(out, udpMixChunks(count));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [out, count, kind = 'mixed'] = process.argv.slice(2);
  console.log(`${(kind === 'udp' ? generateUdp : generate)(out, Number(count))} bytes`);
}
