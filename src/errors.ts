/**
 * Errors with stable codes. Every condition a user can cause (bad file, bad log line, missing
 * interface, no permission) is a {@link BridgewatchError} whose `code` is data, never parsed
 * from the message. The CLI prints `bridgewatch: <message>` on one line and exits 2.
 */

/** Stable error codes. Add new ones here; never rename a published one. */
export type ErrorCode =
  // capture files
  | 'CAPTURE_UNREADABLE'
  | 'CAPTURE_EMPTY'
  | 'PCAP_BAD_MAGIC'
  | 'CAPTURE_TRUNCATED'
  | 'PCAP_BAD_RECORD_LENGTH'
  | 'PCAPNG_BAD_BLOCK_LENGTH'
  | 'PCAPNG_BAD_BYTE_ORDER'
  | 'PCAPNG_NO_SECTION'
  | 'PCAPNG_UNKNOWN_INTERFACE'
  | 'CAPTURE_UNKNOWN_LINKTYPE'
  | 'GZIP_CORRUPT'
  // link logs
  | 'LINKLOG_UNREADABLE'
  | 'LINKLOG_UNKNOWN_FORMAT'
  | 'LINKLOG_BAD_LINE'
  // live capture and netlink
  | 'LIVE_PERMISSION_DENIED'
  | 'LIVE_NO_SUCH_INTERFACE'
  | 'LIVE_INTERFACE_GONE'
  | 'LIVE_CAP_MISSING'
  | 'LIVE_TCPDUMP_MISSING'
  | 'LIVE_CAPTURE_FAILED'
  | 'NETLINK_FAILED'
  // fixer
  | 'FIX_NOT_ROOT'
  | 'FIX_NO_SUCH_BRIDGE'
  | 'FIX_NOT_A_BRIDGE'
  | 'FIX_NEEDS_BRIDGE_NAME'
  | 'FIX_SYSFS_READONLY'
  | 'FIX_VERIFY_FAILED'
  | 'FIX_COMMAND_FAILED'
  | 'FIX_CONFIG_NOT_FOUND'
  | 'FIX_CONFIG_WRITE_FAILED'
  // lab (network-namespace scenarios)
  | 'LAB_NOT_ROOT'
  | 'LAB_UNKNOWN_SCENARIO'
  | 'LAB_COMMAND_FAILED'
  | 'LAB_TOOL_MISSING'
  | 'LAB_OUT_UNWRITABLE'
  // reports and usage
  | 'REPORT_EXISTS'
  | 'REPORT_WRITE_FAILED'
  | 'SERVICE_UNIT_EXISTS'
  | 'SERVICE_COMMAND_FAILED'
  | 'USAGE';

/** Where in an input the fault was found. */
export interface ErrorLocation {
  /** Path of the file (or `-` for stdin, or an interface name). */
  file?: string;
  /** Byte offset from the start of the (decompressed) file. */
  offset?: number;
  /** 1-based line number in a text input. */
  line?: number;
}

/** The one error class users see. `message` is a single line naming file and offset/line. */
export class BridgewatchError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatMessage(message, location), options);
    this.name = 'BridgewatchError';
    this.code = code;
    this.location = location;
  }

  /** Plain data for JSON reports. */
  toJSON(): { code: ErrorCode; message: string } & ErrorLocation {
    return { code: this.code, message: this.message, ...this.location };
  }
}

function formatMessage(message: string, loc: ErrorLocation): string {
  const where: string[] = [];
  if (loc.file !== undefined) where.push(loc.file);
  if (loc.offset !== undefined) where.push(`byte ${loc.offset}`);
  if (loc.line !== undefined) where.push(`line ${loc.line}`);
  return where.length ? `${where.join(', ')}: ${message}` : message;
}

/** True for errors we raised on purpose (print one line, exit 2). */
export function isBridgewatchError(e: unknown): e is BridgewatchError {
  return e instanceof BridgewatchError;
}
