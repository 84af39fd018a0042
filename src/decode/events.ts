/**
 * Typed events decoded from frames. Detection (src/detect/) consumes only these, never buffers.
 * Decoders allocate a fresh event per frame of interest, so events may be kept freely.
 *
 * Addresses: MACs are {@link Mac} numbers; IPv4 and IPv6 addresses are canonical strings
 * (`192.0.2.1`, RFC 5952 `2001:db8::1`), and IPv4 addresses come as unsigned 32-bit numbers too
 * (`192.0.2.1` is 0xc0000201), which is what detection keys its state by.
 */
import type { Mac } from '../net/mac.js';

/** Linux SLL/SLL2 packet types (`PACKET_*` in linux/if_packet.h). */
export const PacketType = {
  HOST: 0,
  BROADCAST: 1,
  MULTICAST: 2,
  OTHERHOST: 3,
  OUTGOING: 4,
} as const;

/** Where and when a frame was seen; shared by every event decoded from it. */
export interface FrameInfo {
  /** 1-based frame number within its capture file (open it in Wireshark with `frame.number == N`). */
  frame: number;
  /** Index of the capture file among the inputs. */
  fileIndex: number;
  /** Timestamp, whole seconds since the epoch (UTC). */
  tsSec: number;
  /** Timestamp, ns within the second. */
  tsNsec: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
  /** Ethernet (or SLL) source MAC; for SLL the sender address when it is 6 bytes, else null. */
  srcMac: Mac | null;
  /** Ethernet destination MAC; null for SLL/SLL2 (which carry no destination). */
  dstMac: Mac | null;
  /** Innermost 802.1Q VLAN id, null when untagged. */
  vlan: number | null;
  /** All VLAN ids, outermost first (802.1ad S-tag then C-tag); empty when untagged. */
  vlans: readonly number[];
  /** SLL/SLL2 packet type ({@link PacketType}); null for Ethernet. */
  packetType: number | null;
  /** SLL2 interface index; null otherwise. */
  ifIndex: number | null;
  /** Frame length on the wire, bytes. */
  wireLength: number;
}

/** ARP over Ethernet/IPv4 (RFC 826). Classification (probe, gratuitous) is left to detection. */
export interface ArpEvent {
  kind: 'arp';
  info: FrameInfo;
  /** 1 request, 2 reply (others kept as-is). */
  op: number;
  senderMac: Mac;
  /** `0.0.0.0` for RFC 5227 probes. */
  senderIp: string;
  /** {@link senderIp} as an unsigned 32-bit number. */
  senderIpv4: number;
  targetMac: Mac;
  targetIp: string;
  /** {@link targetIp} as an unsigned 32-bit number. */
  targetIpv4: number;
}

/** ICMPv6 Neighbor Discovery (RFC 4861). */
export interface NdpEvent {
  kind: 'ndp';
  info: FrameInfo;
  type: 'rs' | 'ra' | 'ns' | 'na' | 'redirect';
  /** IPv6 source (`::` for DAD probes, RFC 4862). */
  srcIp: string;
  dstIp: string;
  /** NS/NA/redirect target address; null for RS/RA. */
  targetIp: string | null;
  /** Source link-layer address option (type 1), if present. */
  sourceLinkAddr: Mac | null;
  /** Target link-layer address option (type 2), if present. */
  targetLinkAddr: Mac | null;
  /** NA flags (false for other types). */
  router: boolean;
  solicited: boolean;
  override: boolean;
}

/** ICMP (RFC 792) or ICMPv6 (RFC 4443) echo request/reply identification. */
export interface IpEcho {
  type: 'request' | 'reply';
  id: number;
  seq: number;
}

/** What a TCP segment (RFC 9293) says about answers: its flags and how much data it carries. */
export interface TcpSegment {
  /** The flags octet: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80. */
  flags: number;
  /** Payload length in bytes, from the IP length fields (so it holds in snap-length-cut captures). */
  payloadBytes: number;
}

/** An IPv4 or IPv6 packet that is not NDP: evidence of traffic to/from a MAC. */
export interface IpEvent {
  kind: 'ip';
  info: FrameInfo;
  version: 4 | 6;
  srcIp: string;
  dstIp: string;
  /** {@link srcIp} as an unsigned 32-bit number for IPv4, -1 for IPv6. */
  srcIpv4: number;
  /** {@link dstIp} as an unsigned 32-bit number for IPv4, -1 for IPv6. */
  dstIpv4: number;
  /**
   * The source is a group or unspecified address: IPv4 0.0.0.0 or 224.0.0.0 and above (multicast,
   * reserved, 255.255.255.255); IPv6 :: or ff00::/8. Read from the bytes by the decoder.
   */
  srcGroup: boolean;
  /** The destination is a group or unspecified address (as {@link srcGroup}): nobody answers it. */
  dstGroup: boolean;
  /** IP protocol / IPv6 next header (after skipping extension headers where possible). */
  protocol: number;
  /** ICMP/ICMPv6 echo details when the packet is an echo request/reply, else null. */
  echo: IpEcho | null;
  /** TCP flags and payload length when the packet is TCP with its flags captured (not a later fragment), else null. */
  tcp: TcpSegment | null;
}

/** An 802.1D STP, RSTP or MSTP BPDU (IEEE 802.1D-2004 clause 9). */
export interface StpEvent {
  kind: 'stp';
  info: FrameInfo;
  /** 0 STP, 2 RSTP, 3 MSTP. */
  protocolVersion: number;
  /** 0x00 configuration, 0x80 TCN, 0x02 RST/MST. */
  bpduType: number;
  /** Raw flags octet (bit 0 topology change, bit 7 TC ack). */
  flags: number;
  /** Root bridge id `8000.0019b9cdb57d` style; null for TCN. */
  rootId: string | null;
  bridgeId: string | null;
  portId: number | null;
  rootPathCost: number | null;
  topologyChange: boolean;
}

/** A frame we could not decode fully: counted, never thrown. */
export interface AnomalyEvent {
  kind: 'anomaly';
  info: FrameInfo;
  /** Stable code, e.g. `ARP_TRUNCATED`, `VLAN_TOO_DEEP`, `UNKNOWN_LINKTYPE`. */
  code: string;
  detail: string;
}

/** Everything the decoders emit. */
export type DecodedEvent = ArpEvent | NdpEvent | IpEvent | StpEvent | AnomalyEvent;
