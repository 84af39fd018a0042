/**
 * Pure classification helpers: what an ARP/NDP frame means (RFC 826, RFC 5227, RFC 4861/4862),
 * which IP packets await an answer, and which MACs are virtual router MACs that legitimately move
 * between stations.
 */
import type { ArpEvent, IpEvent, NdpEvent, TcpSegment } from '../decode/events.js';
import type { BindingSource } from './types.js';
import { BROADCAST_MAC, isMulticast, type Mac } from '../net/mac.js';

/** What an ARP frame is, for detection. */
export type ArpMeaning =
  /** RFC 5227 probe: sender IP 0.0.0.0; asks "is anyone using target IP?"; not a binding. */
  | { type: 'probe' }
  /** A claim of sender IP -> sender MAC, plus (for requests) a request for target IP. */
  | { type: 'claim'; source: BindingSource; announced: boolean; request: boolean };

/** Classifies an ARP frame (op 1 request, 2 reply). */
export function classifyArp(ev: ArpEvent): ArpMeaning {
  if (ev.senderIp === '0.0.0.0') return { type: 'probe' };
  if (ev.senderIp === ev.targetIp) {
    // RFC 5227 "ARP Announcement" is a request with sender IP = target IP; a reply of that shape is
    // the classic gratuitous ARP. Both tell every neighbour to update at once.
    return ev.op === 1
      ? { type: 'claim', source: 'arp-announcement', announced: true, request: false }
      : { type: 'claim', source: 'arp-gratuitous', announced: true, request: false };
  }
  if (ev.op === 1) return { type: 'claim', source: 'arp-request', announced: false, request: true };
  return { type: 'claim', source: 'arp-reply', announced: false, request: false };
}

/** The binding an NA establishes: target IP -> target link-layer address (or frame source). */
export function naBinding(ev: NdpEvent): { ip: string; mac: Mac; source: BindingSource; announced: boolean } | null {
  if (ev.type !== 'na' || ev.targetIp === null) return null;
  const mac = ev.targetLinkAddr ?? ev.info.srcMac;
  if (mac === null) return null;
  // RFC 4861 7.2.6: an unsolicited NA with the override flag is how a node announces a new
  // link-layer address (Linux sends it with ndisc_notify=1).
  if (!ev.solicited) return { ip: ev.targetIp, mac, source: 'ndp-unsolicited-na', announced: ev.override };
  return { ip: ev.targetIp, mac, source: ev.override ? 'ndp-na-override' : 'ndp-na', announced: false };
}

/** True for frames sent to one station (not broadcast/multicast); unknown (SLL) counts as false. */
export function isUnicastDst(mac: Mac | null): mac is Mac {
  return mac !== null && mac !== BROADCAST_MAC && !isMulticast(mac);
}

/**
 * First-hop redundancy virtual MACs: these move between routers by design, and the routers' own
 * MACs may appear for the virtual IP, so they never make clashes or incidents.
 * VRRP IPv4 00:00:5e:00:01:xx and IPv6 00:00:5e:00:02:xx (RFC 5798; CARP reuses them),
 * HSRPv1 00:00:0c:07:ac:xx, HSRPv2 00:00:0c:9f:fx:xx, GLBP 00:07:b4:xx:xx:xx.
 */
export function isFhrpMac(mac: Mac): boolean {
  const high = Math.floor(mac / 0x100); // first five octets
  if (high === 0x00005e0001 || high === 0x00005e0002) return true;
  if (high === 0x00000c07ac) return true;
  if (Math.floor(mac / 0x1000) === 0x00000c9ff) return true;
  return Math.floor(mac / 0x1000000) === 0x0007b4;
}

/** Addresses that are always on-link: IPv4 169.254/16 (RFC 3927) and IPv6 fe80::/10. */
export function isLinkLocal(ip: string): boolean {
  if (ip.includes(':')) return /^fe[89ab]/i.test(ip);
  return ip.startsWith('169.254.');
}

const CHAR_DOT = 0x2e;
const CHAR_ZERO = 0x30;
const CHAR_F_LOWER = 0x66;
/** ORed into an ASCII letter, makes it lower case. */
const ASCII_LOWER = 0x20;

/**
 * Broadcast/multicast/unspecified addresses, which nobody "answers", from their text (for events
 * built by hand; the decoder sets `IpEvent.srcGroup`/`dstGroup` from the bytes). Reads characters
 * instead of slicing or matching the text.
 */
export function isGroupOrUnspecifiedIp(ip: string): boolean {
  if (ip.includes(':')) {
    return ip === '::' || ((ip.charCodeAt(0) | ASCII_LOWER) === CHAR_F_LOWER && (ip.charCodeAt(1) | ASCII_LOWER) === CHAR_F_LOWER);
  }
  // Subnet broadcasts (x.x.x.255 in a /24) are not recognisable without the prefix length; they
  // never claim anything, so they never get a binding that a gap could be measured on.
  if (ip === '0.0.0.0') return true;
  // 224/4 multicast, 240/4 reserved and 255.255.255.255: a first octet of 224 or more.
  let first = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === CHAR_DOT) break;
    first = first * 10 + (c - CHAR_ZERO);
  }
  return first >= 224;
}

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;

const TCP_ACK = 0x10;

/**
 * True for a TCP segment the receiver must acknowledge (RFC 9293 section 3.4): SYN, FIN or data.
 * A pure ACK (what an idle connection ends on) and a reset await nothing. Nor, for reachability,
 * does a SYN-ACK without data: it answers the receiver's own SYN, and a receiver that leaves its
 * handshake unfinished (a scanner, a P2P client giving up, a NAT that lost the state) has not
 * become unreachable; the peer retransmitting it shows the peer's patience, not a dependence.
 */
export function tcpAwaitsAnswer(seg: TcpSegment): boolean {
  if ((seg.flags & TCP_RST) !== 0) return false;
  if ((seg.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) return seg.payloadBytes > 0;
  return (seg.flags & (TCP_SYN | TCP_FIN)) !== 0 || seg.payloadBytes > 0;
}

/**
 * True when an IP packet awaits an answer from its destination: an echo request or a TCP segment
 * that must be acknowledged. Other traffic (UDP streams, pure ACKs) may never be answered.
 */
export function ipAwaitsAnswer(ev: IpEvent): boolean {
  return ev.echo?.type === 'request' || (ev.tcp !== null && tcpAwaitsAnswer(ev.tcp));
}
