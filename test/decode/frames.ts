/**
 * Frames for decoder tests. "eth-us.pcap #N" = frame N of samples/formats/eth-us.pcap (made by
 * samples/formats/make.sh), copied from `tshark -r eth-us.pcap -x`; others are hand-written from
 * the cited standard and checked with tshark.
 */

/** `hex` (an Ethernet frame) with VLAN tags `tags` (hex, e.g. `8100 0064`) inserted after the two MACs. */
export function withTags(hex: string, tags: string): string {
  return hex.replace(/^(\s*\S+\s+\S+)/, `$1 ${tags}`);
}

/** eth-us.pcap #21: ARP request, who has 192.0.2.2 tell 192.0.2.1. */
export const ARP_REQUEST = `
  ffffffffffff 00005e005301 0806            # Ethernet: broadcast <- 00:00:5e:00:53:01, ARP
  0001 0800 06 04 0001                      # Ethernet/IPv4, 6/4, request
  00005e005301 c0000201 000000000000 c0000202`;

/** eth-us.pcap #22: ARP reply, 192.0.2.2 is at 00:00:5e:00:53:10. */
export const ARP_REPLY = `
  00005e005301 00005e005310 0806
  0001 0800 06 04 0002                      # reply
  00005e005310 c0000202 00005e005301 c0000201`;

/** qinq.pcap #21 (tcprewrite added 802.1Q 100 then 802.1ad 200 to eth-us.pcap #21). */
export const ARP_REQUEST_QINQ = `
  ffffffffffff 00005e005301
  88a8 00c8                                 # 802.1ad S-tag, VLAN 200
  8100 0064                                 # 802.1Q C-tag, VLAN 100
  0806 0001 0800 0604 0001 00005e005301 c0000201 000000000000 c0000202`;

/** sll.pcap #22 (tcpdump -i any -y LINUX_SLL): ARP reply received from 00:00:5e:00:53:10. */
export const SLL_ARP_REPLY = `
  0000 0001 0006 00005e0053100000 0806      # to us, ARPHRD_ETHER, addr len 6, sender, ARP
  0001 0800 0604 0002 00005e005310 c0000202 00005e005301 c0000201`;

/** sll2.pcap #22 (tcpdump -i any -y LINUX_SLL2): the same reply. */
export const SLL2_ARP_REPLY = `
  0806 0000 00000002 0001 00 06 00005e0053100000   # ARP, reserved, ifindex 2, ARPHRD_ETHER, to us, len 6
  0001 0800 0604 0002 00005e005310 c0000202 00005e005301 c0000201`;

/** eth-us.pcap #23: ICMP echo request 192.0.2.1 -> 192.0.2.2, id 0x28fc seq 1 (payload cut to 8 bytes). */
export const ICMP_ECHO_REQUEST = `
  00005e005310 00005e005301 0800
  4500 0054 1191 4000 4001 a514 c0000201 c0000202   # IPv4, 20-byte header, proto 1
  0800 4175 28fc 0001 3966016b00000000`;

/** IPv4 TCP, 192.0.2.1:12345 -> 192.0.2.2:443, a pure ACK (hand-written, RFC 791/9293). */
export const IPV4_TCP_ACK = `
  00005e005302 00005e005301 0800
  4500 0028 0000 4000 40 06 0000 c0000201 c0000202   # IPv4, total length 40, TCP
  3039 01bb 00000001 00000001 5010 ffff 0000 0000    # data offset 5, flags ACK`;

/** The same connection: 4 bytes of data (PSH, ACK). */
export const IPV4_TCP_DATA = `
  00005e005302 00005e005301 0800
  4500 002c 0000 4000 40 06 0000 c0000201 c0000202   # total length 44
  3039 01bb 00000001 00000001 5018 ffff 0000 0000 deadbeef`;

/** A SYN with an MSS option (data offset 6): no data. */
export const IPV4_TCP_SYN = `
  00005e005302 00005e005301 0800
  4500 002c 0000 4000 40 06 0000 c0000201 c0000202
  3039 01bb 00000000 00000000 6002 ffff 0000 0000 020405b4`;

/** IPv6 TCP FIN|ACK, 2001:db8::1 -> 2001:db8::2, payload length 20 (RFC 8200). */
export const IPV6_TCP_FIN = `
  00005e005302 00005e005301 86dd
  6000 0000 0014 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002
  3039 01bb 00000001 00000001 5011 ffff 0000 0000`;

/** IPv6 UDP, 2001:db8::1 -> 2001:db8::2 (RFC 768). */
export const IPV6_UDP = `
  00005e005302 00005e005301 86dd
  6000 0000 0008 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002
  3039 0035 0008 0000`;

/** eth-us.pcap #1: MLDv2 report behind a hop-by-hop header (router alert), :: -> ff02::16. */
export const MLD_REPORT_HBH = `
  333300000016 00005e005301 86dd
  6000 0000 0038 00 01                              # next header 0 (hop-by-hop), hop limit 1
  00000000000000000000000000000000 ff020000000000000000000000000016
  3a 00 0502 0000 0100                              # HBH: next 58, 8 bytes, router alert, PadN
  8f00 1a6e 0000 0002 04000000 ff020000000000000000000001ff005301 04000000 ff0200000000000000000001ff000001`;

/** eth-us.pcap #29: NS for 2001:db8::2 from 2001:db8::1 with source link-layer address. */
export const NDP_NS = `
  3333ff000002 00005e005301 86dd
  6000 0000 0020 3a ff 20010db8000000000000000000000001 ff0200000000000000000001ff000002
  87 00 6d26 00000000 20010db8000000000000000000000002   # NS, target 2001:db8::2
  01 01 00005e005301                                   # SLLAO`;

/** eth-us.pcap #30: NA 2001:db8::2 (solicited, override) is at 00:00:5e:00:53:10. */
export const NDP_NA = `
  00005e005301 00005e005310 86dd
  6000 0000 0020 3a ff 20010db8000000000000000000000002 20010db8000000000000000000000001
  88 00 db62 60000000 20010db8000000000000000000000002   # NA, flags S|O
  02 01 00005e005310                                   # TLLAO`;

/** eth-us.pcap #6: RS from fe80::200:5eff:fe00:5301 with SLLAO. */
export const NDP_RS = `
  333300000002 00005e005301 86dd
  6000 0000 0010 3a ff fe8000000000000002005efffe005301 ff020000000000000000000000000002
  85 00 192b 00000000 01 01 00005e005301`;

/** Hand-written RA (RFC 4861 4.2): fe80::1 -> ff02::1, router lifetime 1800 s, SLLAO 00:00:5e:00:53:fe. */
export const NDP_RA = `
  333300000001 00005e0053fe 86dd
  6000 0000 0018 3a ff fe800000000000000000000000000001 ff020000000000000000000000000001
  86 00 0000 40 00 0708 00000000 00000000             # RA: hop limit 64, lifetime 1800
  01 01 00005e0053fe`;

/** Hand-written Redirect (RFC 4861 4.5): target fe80::2, destination 2001:db8::9, TLLAO. */
export const NDP_REDIRECT = `
  00005e005301 00005e0053fe 86dd
  6000 0000 0030 3a ff fe800000000000000000000000000001 20010db8000000000000000000000001
  89 00 0000 00000000 fe800000000000000000000000000002 20010db8000000000000000000000009
  02 01 00005e005302`;

/** eth-us.pcap #4: 802.1D configuration BPDU, root 8000.00005e005310, cost 0, port 0x8001. */
export const STP_CONFIG = `
  0180c2000000 00005e005302 0026              # 802.3, length 38
  42 42 03                                    # LLC: STP SAPs, UI
  0000 00 00 00                               # protocol 0, version 0 (STP), type 0 (config), flags 0
  8000 00005e005310 00000000                  # root id, root path cost 0
  8000 00005e005310 8001                      # bridge id, port 0x8001
  0000 1400 0100 0200                         # message age 0, max age 20, hello 1, forward delay 2`;

/** Hand-written RSTP BPDU (802.1D-2004 9.3.3): version 2, type 2, flags proposal|TC, 36 bytes. */
export const RSTP = `
  0180c2000000 00005e005302 0027 424203
  0000 02 02 3d
  7000 00005e005311 00000004
  8000 00005e005302 8002
  0000 1400 0200 0f00 00`;

/** Hand-written topology change notification BPDU (802.1D-2004 9.3.2), 4 bytes. */
export const STP_TCN = `0180c2000000 00005e005302 0007 424203 0000 00 80`;
