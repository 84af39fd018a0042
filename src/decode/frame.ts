/**
 * What the link layer learned about a frame, kept in one reused scratch object while decoding and
 * copied into a {@link FrameInfo} only when an event is actually emitted (most frames emit none
 * or one, so the hot path allocates nothing for frames of no interest).
 */
import type { CapturePacket } from '../capture/types.js';
import { readMac } from '../net/mac.js';
import type { AnomalyEvent, FrameInfo, IpEcho, IpEvent, TcpSegment } from './events.js';

/** Most VLAN tags we follow (802.1ad + 802.1Q is 2; more is almost surely garbage). */
export const MAX_VLAN_TAGS = 8;

const NO_VLANS: readonly number[] = Object.freeze([]);

/**
 * Which IP packets become `ip` events (IpEvent): `all` (the default), `echo` (only ICMP/ICMPv6 echo
 * requests and replies, what outage measurement needs), or `none`. ARP, NDP and STP are always
 * decoded. Fewer IP events is what makes the reader+decoder keep up with a BPF filter.
 */
export type IpEventMode = 'all' | 'echo' | 'none';

/** {@link IpEventMode} as a small integer, so the hot path compares numbers, not strings. */
export const IP_ALL = 0;
export const IP_ECHO = 1;
export const IP_NONE = 2;

export function ipModeCode(mode: IpEventMode | undefined): number {
  return mode === 'none' ? IP_NONE : mode === 'echo' ? IP_ECHO : IP_ALL;
}

export interface LinkScratch {
  packet: CapturePacket;
  /** True when events are reused objects (see DecodeOptions.reuse). */
  reuse: boolean;
  /** The FrameInfo filled in place in reuse mode. */
  sharedInfo: FrameInfo;
  /** The IpEvent filled in place in reuse mode, and its echo details. */
  sharedIp: IpEvent;
  sharedEcho: IpEcho;
  sharedTcp: TcpSegment;
  /** IP_ALL, IP_ECHO or IP_NONE. */
  ipMode: number;
  /** Buffer holding the frame; decoders read `bytes[start..end)` (a view into the reader's buffer). */
  bytes: Uint8Array;
  /** Offset one past the last captured byte of the frame in `bytes`. Bounds checks use this, never `bytes.length`. */
  end: number;
  /** Offset of the source MAC in `bytes`, -1 when there is none. Read lazily: most frames emit nothing. */
  srcMacAt: number;
  /** Offset of the destination MAC in `bytes`, -1 when there is none. */
  dstMacAt: number;
  /** VLAN ids, outermost first; only `vlanCount` entries are meaningful. */
  vlans: number[];
  vlanCount: number;
  packetType: number | null;
  ifIndex: number | null;
}

/** A blank FrameInfo. MACs start as numbers so V8 keeps them as in-place doubles on Ethernet. */
function emptyInfo(): FrameInfo {
  return { frame: 0, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, srcMac: 0, dstMac: 0, vlan: null, vlans: NO_VLANS,
    packetType: null, ifIndex: null, wireLength: 0 };
}

export function newScratch(packet: CapturePacket): LinkScratch {
  const sharedInfo = emptyInfo();
  return { packet, reuse: false, sharedInfo,
    sharedIp: {
      kind: 'ip', info: sharedInfo, version: 4, srcIp: '', dstIp: '', srcIpv4: -1, dstIpv4: -1, srcGroup: false, dstGroup: false,
      protocol: 0, echo: null, tcp: null,
    },
    sharedEcho: { type: 'request', id: 0, seq: 0 },
    sharedTcp: { flags: 0, payloadBytes: 0 },
    ipMode: IP_ALL, bytes: packet.data, end: 0, srcMacAt: -1, dstMacAt: -1, vlans: new Array<number>(MAX_VLAN_TAGS).fill(0),
    vlanCount: 0, packetType: null, ifIndex: null };
}

/** Resets the scratch for the next packet. */
export function resetScratch(s: LinkScratch, packet: CapturePacket, bytes: Uint8Array, end: number): void {
  // Compared first: both are the same for most packets, and a pointer store costs a write barrier.
  if (s.packet !== packet) s.packet = packet;
  if (s.bytes !== bytes) s.bytes = bytes;
  s.end = end;
  s.srcMacAt = -1;
  s.dstMacAt = -1;
  s.vlanCount = 0;
  s.packetType = null;
  s.ifIndex = null;
}

/**
 * The FrameInfo for an event: a fresh one (events may be kept, so nothing in it is reused; the one
 * shared part is the frozen empty VLAN list of untagged frames), or in reuse mode the scratch's.
 */
export function frameInfo(s: LinkScratch): FrameInfo {
  return fillInfo(s.reuse ? s.sharedInfo : emptyInfo(), s);
}

/** Writes the current frame's facts into `i`. */
function fillInfo(i: FrameInfo, s: LinkScratch): FrameInfo {
  const p = s.packet;
  i.frame = p.frame;
  i.fileIndex = p.fileIndex;
  i.tsSec = p.tsSec;
  i.tsNsec = p.tsNsec;
  i.interfaceId = p.interfaceId;
  i.srcMac = s.srcMacAt < 0 ? null : readMac(s.bytes, s.srcMacAt);
  i.dstMac = s.dstMacAt < 0 ? null : readMac(s.bytes, s.dstMacAt);
  i.vlan = s.vlanCount === 0 ? null : s.vlans[s.vlanCount - 1]!;
  i.vlans = s.vlanCount === 0 ? NO_VLANS : s.vlans.slice(0, s.vlanCount);
  i.packetType = s.packetType;
  i.ifIndex = s.ifIndex;
  i.wireLength = p.originalLength;
  return i;
}

/** An anomaly for the current frame. */
export function anomaly(s: LinkScratch, code: string, detail: string): AnomalyEvent {
  return { kind: 'anomaly', info: frameInfo(s), code, detail };
}

/** Echo kinds for {@link ipEvent}: none, request, reply. */
export const NO_ECHO = 0;
export const ECHO_REQUEST = 1;
export const ECHO_REPLY = 2;

/** Bits of {@link ipEvent}'s `groups`: the source, the destination is a group or unspecified address. */
export const SRC_GROUP = 1;
export const DST_GROUP = 2;

/** `tcpFlags` for {@link ipEvent} when the packet is not TCP (or its flags were not captured). */
export const NOT_TCP = -1;

/**
 * The `ip` event for the current frame: fresh, or the scratch's reused one in reuse mode.
 * `echoKind` is NO_ECHO, ECHO_REQUEST or ECHO_REPLY; `id`/`seq` matter only with an echo.
 * `tcpFlags` is the TCP flags octet or NOT_TCP; `tcpPayloadBytes` matters only for TCP.
 * `srcIpv4`/`dstIpv4`: the addresses as numbers (IPv4), or -1 (IPv6). `groups`: SRC_GROUP and DST_GROUP ORed.
 */
export function ipEvent(s: LinkScratch, version: 4 | 6, srcIp: string, dstIp: string, srcIpv4: number, dstIpv4: number, groups: number,
  protocol: number,
  echoKind: number, id: number, seq: number, tcpFlags: number, tcpPayloadBytes: number): IpEvent {
  if (s.reuse) {
    const ev = s.sharedIp;
    frameInfo(s);
    ev.version = version;
    ev.srcIp = srcIp;
    ev.dstIp = dstIp;
    ev.srcIpv4 = srcIpv4;
    ev.dstIpv4 = dstIpv4;
    ev.srcGroup = (groups & SRC_GROUP) !== 0;
    ev.dstGroup = (groups & DST_GROUP) !== 0;
    ev.protocol = protocol;
    if (echoKind === NO_ECHO) ev.echo = null;
    else {
      const echo = s.sharedEcho;
      echo.type = echoKind === ECHO_REQUEST ? 'request' : 'reply';
      echo.id = id;
      echo.seq = seq;
      ev.echo = echo;
    }
    if (tcpFlags === NOT_TCP) ev.tcp = null;
    else {
      const tcp = s.sharedTcp;
      tcp.flags = tcpFlags;
      tcp.payloadBytes = tcpPayloadBytes;
      ev.tcp = tcp;
    }
    return ev;
  }
  const echo: IpEcho | null = echoKind === NO_ECHO ? null : { type: echoKind === ECHO_REQUEST ? 'request' : 'reply', id, seq };
  const tcp: TcpSegment | null = tcpFlags === NOT_TCP ? null : { flags: tcpFlags, payloadBytes: tcpPayloadBytes };
  return {
    kind: 'ip', info: frameInfo(s), version, srcIp, dstIp, srcIpv4, dstIpv4, srcGroup: (groups & SRC_GROUP) !== 0,
    dstGroup: (groups & DST_GROUP) !== 0, protocol, echo, tcp,
  };
}
