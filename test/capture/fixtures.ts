/**
 * Hand-written capture fixtures, annotated field by field. Each was checked by writing it to a
 * file and opening it with tshark 4.0.17 (`tshark -r F -T fields -e frame.time_epoch ...`); the
 * tests repeat that comparison when tshark is installed.
 */

/** Hex with `#` comments and any whitespace -> bytes. */
export function fromHex(annotated: string): Uint8Array {
  const hex = annotated.replace(/#.*$/gm, '').replace(/\s+/g, '');
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error(`bad fixture hex: ${hex.length} digits`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/** ARP request 192.0.2.1 (00:00:5e:00:53:01) asks for 192.0.2.2, Ethernet, 42 bytes. */
export const ARP_REQUEST_HEX = `
  ffffffffffff 00005e005301 0806      # Ethernet: broadcast <- 00:00:5e:00:53:01, ARP
  0001 0800 06 04 0001                # Ethernet/IPv4, lengths 6/4, op 1 (request)
  00005e005301 c0000201               # sender 00:00:5e:00:53:01 192.0.2.1
  000000000000 c0000202               # target ? 192.0.2.2
`;

/**
 * pcapng, two sections. Section 1 little-endian: IDB 0 (Ethernet, snaplen 1024, if_tsresol 2^-20,
 * if_tsoffset +100 s, if_name eth9), an unknown block (skipped), IDB 1 (Ethernet, defaults: µs),
 * EPB on 0, OPB on 1, SPB (interface 0). Section 2 big-endian: IDB 0 (Ethernet, if_tsresol 10^-9),
 * EPB on 0. Every packet is {@link ARP_REQUEST_HEX}.
 */
export const PCAPNG_TWO_SECTIONS_HEX = `
  # --- section 1, little-endian ---
  0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000   # SHB, 28 bytes, v1.0, length unknown
  01000000 34000000 0100 0000 00040000                            # IDB, 52 bytes: linktype 1, snaplen 1024
    0900 0100 94000000                                            #   if_tsresol 0x94 = 2^-20 s
    0e00 0800 6400000000000000                                    #   if_tsoffset 100 s
    0200 0400 65746839                                            #   if_name "eth9"
    0000 0000                                                     #   opt_endofopt
  34000000
  78563412 10000000 deadbeef 10000000                             # unknown block type 0x12345678, 16 bytes
  01000000 14000000 0100 0000 00000000 14000000                   # IDB, 20 bytes: linktype 1, snaplen 0, no options
  06000000 4c000000 00000000                                      # EPB, 76 bytes, interface 0
    3f550600 01000810                                             #   ts high 0x0006553f, low 0x10080001 =
                                                                  #   1700000000 s * 2^20 + 2^19 + 1 units
    2a000000 3c000000                                             #   caplen 42, origlen 60
    ${ARP_REQUEST_HEX} 0000                                       #   packet + 2 bytes padding
  4c000000
  02000000 4c000000 0100 0000                                     # OPB, 76 bytes, interface 1, drops 0
    5ee70500 40420f00                                             #   ts 0x0005e75e_000f4240 µs = 1661765797.495360 s
    2a000000 2a000000                                             #   caplen 42, origlen 42
    ${ARP_REQUEST_HEX} 0000
  4c000000
  03000000 3c000000 2a000000                                      # SPB, 60 bytes, origlen 42 (interface 0)
    ${ARP_REQUEST_HEX} 0000
  3c000000
  # --- section 2, big-endian ---
  0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c   # SHB, 28 bytes, big-endian
  00000001 0000001c 0001 0000 00010000                            # IDB, 28 bytes: linktype 1, snaplen 65536
    0009 0001 09000000                                            #   if_tsresol 9 = 10^-9 s (no opt_endofopt)
  0000001c
  00000006 0000004c 00000000                                      # EPB, 76 bytes, interface 0
    179b3e73 b6ee2f15                                             #   ts 0x179b3e73_b6ee2f15 ns = 1701021950.973718293 s
    0000002a 0000002a
    ${ARP_REQUEST_HEX} 0000
  0000004c
`;
