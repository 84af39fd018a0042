/**
 * What the link layer learned about a frame, kept in one reused scratch object while decoding and
 * copied into a {@link FrameInfo} only when an event is actually emitted (most frames emit none
 * or one, so the hot path allocates nothing for frames of no interest).
 */
import type { CapturePacket } from '../capture/types.js';
import { readMac } from '../net/mac.js';
import type { AnomalyEvent, FrameInfo } from './events.js';

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

export function newScratch(packet: CapturePacket): LinkScratch {
  return { packet, ipMode: IP_ALL, bytes: packet.data, end: 0, srcMacAt: -1, dstMacAt: -1, vlans: new Array<number>(MAX_VLAN_TAGS).fill(0), vlanCount: 0, packetType: null, ifIndex: null };
}

/** Resets the scratch for the next packet. */
export function resetScratch(s: LinkScratch, packet: CapturePacket, bytes: Uint8Array, end: number): void {
  s.packet = packet;
  s.bytes = bytes;
  s.end = end;
  s.srcMacAt = -1;
  s.dstMacAt = -1;
  s.vlanCount = 0;
  s.packetType = null;
  s.ifIndex = null;
}

/**
 * A fresh FrameInfo for an event (events may be kept, so nothing in it is reused; the one shared
 * part is the frozen empty VLAN list of untagged frames).
 */
export function frameInfo(s: LinkScratch): FrameInfo {
  const p = s.packet;
  const vlans = s.vlanCount === 0 ? NO_VLANS : s.vlans.slice(0, s.vlanCount);
  return {
    frame: p.frame,
    fileIndex: p.fileIndex,
    tsSec: p.tsSec,
    tsNsec: p.tsNsec,
    interfaceId: p.interfaceId,
    srcMac: s.srcMacAt < 0 ? null : readMac(s.bytes, s.srcMacAt),
    dstMac: s.dstMacAt < 0 ? null : readMac(s.bytes, s.dstMacAt),
    vlan: s.vlanCount === 0 ? null : s.vlans[s.vlanCount - 1]!,
    vlans,
    packetType: s.packetType,
    ifIndex: s.ifIndex,
    wireLength: p.originalLength,
  };
}

/** An anomaly for the current frame. */
export function anomaly(s: LinkScratch, code: string, detail: string): AnomalyEvent {
  return { kind: 'anomaly', info: frameInfo(s), code, detail };
}
