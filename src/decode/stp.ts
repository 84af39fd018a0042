/**
 * STP/RSTP/MSTP BPDUs (IEEE 802.1D-2004 clause 9, 802.1Q clause 14) over 802.2 LLC
 * (DSAP 0x42, SSAP 0x42, UI). Bridge ids are printed `8000.0019b9cdb57d` (priority.MAC, hex).
 */
import type { DecodedEvent } from './events.js';
import { anomaly, frameInfo, type LinkScratch } from './frame.js';

const LLC_SAP_STP = 0x42;
const LLC_UI = 0x03;
const BPDU_TCN = 0x80;
const CONFIG_LENGTH = 35;

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function bridgeId(b: Uint8Array, o: number): string {
  return HEX_BYTE[b[o]!]! + HEX_BYTE[b[o + 1]!]! + '.' + HEX_BYTE[b[o + 2]!]! + HEX_BYTE[b[o + 3]!]! + HEX_BYTE[b[o + 4]!]! +
    HEX_BYTE[b[o + 5]!]! + HEX_BYTE[b[o + 6]!]! + HEX_BYTE[b[o + 7]!]!;
}

/** `o` is the LLC header offset (after the 802.3 length field). Null when it is not STP. */
export function decodeLlc(s: LinkScratch, b: Uint8Array, o: number): DecodedEvent | null {
  if (s.end - o < 3 || b[o] !== LLC_SAP_STP || b[o + 1] !== LLC_SAP_STP) return null;
  if (b[o + 2] !== LLC_UI) {
    // BPDUs are always UI frames; anything else with the STP SAPs is a mangled BPDU worth counting.
    return anomaly(s, 'STP_BAD_LLC', `LLC control 0x${b[o + 2]!.toString(16)} with the STP SAPs (BPDUs are UI, 0x03)`);
  }
  const p = o + 3;
  if (s.end - p < 4) return anomaly(s, 'STP_TRUNCATED', `BPDU header needs 4 bytes, ${s.end - p} captured`);
  const protocolVersion = b[p + 2]!;
  const bpduType = b[p + 3]!;
  if (bpduType === BPDU_TCN) {
    return { kind: 'stp', info: frameInfo(s), protocolVersion, bpduType, flags: 0, rootId: null, bridgeId: null, portId: null,
      rootPathCost: null, topologyChange: true };
  }
  if (s.end - p < CONFIG_LENGTH) return anomaly(s, 'STP_TRUNCATED', `BPDU needs ${CONFIG_LENGTH} bytes, ${s.end - p} captured`);
  const flags = b[p + 4]!;
  return {
    kind: 'stp',
    info: frameInfo(s),
    protocolVersion,
    bpduType,
    flags,
    rootId: bridgeId(b, p + 5),
    bridgeId: bridgeId(b, p + 17),
    portId: (b[p + 25]! << 8) | b[p + 26]!,
    rootPathCost: ((b[p + 13]! << 24) | (b[p + 14]! << 16) | (b[p + 15]! << 8) | b[p + 16]!) >>> 0,
    topologyChange: (flags & 0x01) !== 0,
  };
}
