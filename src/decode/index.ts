/**
 * Frame decoding: {@link decodePacket} turns a captured frame into one typed event (ARP, NDP,
 * IP, STP) or an anomaly, dispatching on the link type. Pure and synchronous; never throws.
 */
import type { CapturePacket } from '../capture/types.js';
import { LinkType } from '../capture/types.js';
import { decodeEthernet, ethernetMakesNoEvent } from './ethernet.js';
import type { DecodedEvent } from './events.js';
import { anomaly, IP_ALL, ipModeCode, newScratch, resetScratch, type IpEventMode, type LinkScratch } from './frame.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeSll } from './sll.js';
import { decodeSll2 } from './sll2.js';

export { formatIpv4, formatIpv6 } from './ipformat.js';
export type { IpEventMode } from './frame.js';

/** Options for {@link decodePacket}. */
export interface DecodeOptions {
  /**
   * Which IP packets become `ip` events (default `all`); see {@link IpEventMode}. Read once per
   * options object: to change it, pass a new object.
   */
  ipEvents?: IpEventMode;
  /**
   * Reuse event objects (default false): an `ip` event returned, its `info` and its `echo` are
   * overwritten by the next call, like the packet itself (other kinds get a fresh object but share
   * `info`). For consumers that copy what they keep (the Detector, CaptureStats); saves two or
   * three allocations per IP packet.
   */
  reuse?: boolean;
}

/**
 * Options for consumers that copy what they keep from an event (Detector, CaptureStats): IP
 * events reuse one object (see {@link DecodeOptions.reuse}).
 */
export const REUSE_EVENTS: DecodeOptions = Object.freeze({ reuse: true });

/** Raw IP link types (no link header): LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6. */
const LINKTYPE_RAW = 101;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;

const EMPTY_PACKET: CapturePacket = {
  frame: 0, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 0, capturedLength: 0, originalLength: 0,
  data: new Uint8Array(0),
};
/**
 * A frame decoder with its own scratch state: one per pipeline, so two analyses (or a test and the
 * code it tests) never share reused events. Synchronous and never re-entered.
 */
export class PacketDecoder {
  private readonly scratch: LinkScratch = newScratch(EMPTY_PACKET);
  private readonly mode: number;
  private readonly reuse: boolean;

  constructor(options: DecodeOptions = {}) {
    this.mode = ipModeCode(options.ipEvents);
    this.reuse = options.reuse === true;
  }

  /**
   * Decodes one frame. Returns null for frames of no interest (other EtherTypes, non-STP LLC);
   * malformed or truncated frames come back as an `anomaly` event, never as an exception.
   * Events are freshly allocated and may be kept after `p` is gone, unless the decoder reuses them.
   */
  decode(p: CapturePacket): DecodedEvent | null {
    // Zero-copy readers expose their buffer and the packet's offset; plain packets just `data`.
    const buffer = p.buffer;
    const b = buffer !== undefined ? buffer : p.data;
    const start = buffer !== undefined ? p.offset ?? 0 : 0;
    const end = Math.min(start + p.capturedLength, b.length);
    const linkType = p.linkType;
    const mode = this.mode;
    // The bulk of traffic when IP events are not wanted: settled before any decoding state is set up.
    if (mode !== IP_ALL && linkType === LinkType.ETHERNET && ethernetMakesNoEvent(b, start, end, mode)) return null;
    const s = this.scratch;
    resetScratch(s, p, b, end);
    s.ipMode = mode;
    s.reuse = this.reuse;
    try {
      return linkType === LinkType.ETHERNET ? decodeEthernet(s, b, start) : decodeOtherLink(s, linkType, b, start, end);
    } catch (e) {
      // Decoders bound-check every read; this is the promise that nothing escapes if one missed.
      return anomaly(s, 'DECODER_FAULT', e instanceof Error ? e.message : String(e));
    }
  }
}

/** The decoder {@link decodePacket} used last, and the options object it was made for. */
let lastOptions: DecodeOptions | undefined;
let lastDecoder = new PacketDecoder();

/**
 * Decodes one frame with a decoder kept for `options` (callers pass the same object for every
 * packet; an object changed after use is not re-read: pass a new one). See {@link PacketDecoder}:
 * code that keeps decoding state apart (a pipeline) makes its own.
 */
export function decodePacket(p: CapturePacket, options?: DecodeOptions): DecodedEvent | null {
  if (options !== lastOptions) {
    lastOptions = options;
    lastDecoder = new PacketDecoder(options);
  }
  return lastDecoder.decode(p);
}

/** Link types other than Ethernet (kept out of decodePacket so its common path stays small). */
function decodeOtherLink(s: LinkScratch, linkType: number, b: Uint8Array, start: number, end: number): DecodedEvent | null {
  switch (linkType) {
    case LinkType.LINUX_SLL: return decodeSll(s, b, start);
    case LinkType.LINUX_SLL2: return decodeSll2(s, b, start);
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      if (end - start < 1) return anomaly(s, 'IP_TRUNCATED', 'empty raw IP frame');
      return b[start]! >> 4 === 6 ? decodeIpv6(s, b, start) : decodeIpv4(s, b, start);
    default:
      return anomaly(s, 'UNKNOWN_LINKTYPE', `link type ${linkType} is not decoded`);
  }
}
