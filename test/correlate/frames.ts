/**
 * Hand-built Ethernet frames for end-to-end correlation tests: ARP (RFC 826), IPv4 with a valid
 * header checksum, ICMP echo, and a classic pcap with per-record times.
 */

function mac(text: string): number[] {
  return text.split(':').map((h) => Number.parseInt(h, 16));
}

function ip(text: string): number[] {
  return text.split('.').map(Number);
}

/** An Ethernet II frame: dst, src, EtherType, payload. */
export function ethernet(dst: string, src: string, etherType: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...mac(dst), ...mac(src), etherType >> 8, etherType & 0xff, ...payload]);
}

/** ARP for Ethernet/IPv4: op 1 request, 2 reply. */
export function arp(op: 1 | 2, senderMac: string, senderIp: string, targetMac: string, targetIp: string): Uint8Array {
  return Uint8Array.from([0, 1, 8, 0, 6, 4, 0, op, ...mac(senderMac), ...ip(senderIp), ...mac(targetMac), ...ip(targetIp)]);
}

/** An IPv4 packet (no options, TTL 64, DF) with its header checksum. */
export function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array): Uint8Array {
  const length = 20 + payload.length;
  const h = [0x45, 0, length >> 8, length & 0xff, 0, 0, 0x40, 0, 64, protocol, 0, 0, ...ip(src), ...ip(dst)];
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  h[10] = (~sum >> 8) & 0xff;
  h[11] = ~sum & 0xff;
  return Uint8Array.from([...h, ...payload]);
}

/** ICMP echo request (type 8) or reply (0), id 1, 16 bytes of data (checksum left 0). */
export function icmpEcho(type: 0 | 8, seq: number): Uint8Array {
  return Uint8Array.from([type, 0, 0, 0, 0, 1, seq >> 8, seq & 0xff, ...new Array<number>(16).fill(0x61)]);
}

/** Classic little-endian µs pcap (LINKTYPE_ETHERNET, snaplen 65535), records at their own times (epoch s). */
export function classicPcapRecords(records: readonly { t: number; frame: Uint8Array }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  return Buffer.concat([header, ...records.map(({ t, frame }) => {
    const rec = Buffer.alloc(16 + frame.length);
    let sec = Math.floor(t);
    let us = Math.round((t - sec) * 1e6);
    if (us === 1e6) { sec++; us = 0; }
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(us, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    rec.set(frame, 16);
    return rec;
  })]);
}
