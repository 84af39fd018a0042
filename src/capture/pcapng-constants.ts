/**
 * pcapng numbers shared by the reader (pcapng.ts) and the writer (write-pcapng.ts), from
 * draft-ietf-opsawg-pcapng: block type codes (section 11.1), the byte-order magic and option codes.
 */

/** Block type codes (pcapng section 11.1). */
export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  OPB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
} as const;

/** Section Header Block byte-order magic, read in the file's byte order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes valid in every block (section 3.5). */
export const Option = {
  END_OF_OPT: 0,
  COMMENT: 1,
} as const;

/** Section Header Block option codes. */
export const ShbOption = {
  USER_APPL: 4,
} as const;

/** Interface Description Block option codes. */
export const IdbOption = {
  NAME: 2,
  TSRESOL: 9,
  FCSLEN: 13,
  TSOFFSET: 14,
} as const;
