/**
 * Per-capture counters for `bridgewatch stats` and the `captures` section of every Analysis.
 */
import type { BridgewatchError } from '../errors.js';
import type { CaptureSummary } from '../analysis.js';
import type { DecodedEvent } from '../decode/events.js';
import { LinkType, type CaptureInfo, type CapturePacket } from '../capture/types.js';
import type { Timestamp } from '../time.js';

/** How many anomalies are kept with their frame numbers (the rest are only counted). */
export const ANOMALY_EXAMPLES = 10;

const TPID_8021Q = 0x8100;
const TPID_8021AD = 0x88a8;
const TPID_QINQ_OLD = 0x9100;

/** Offset of the EtherType/protocol field for a link type, or -1 when there is none. */
function protocolOffset(linkType: number): number {
  if (linkType === LinkType.ETHERNET) return 12;
  if (linkType === LinkType.LINUX_SLL) return 14;
  if (linkType === LinkType.LINUX_SLL2) return 0;
  return -1;
}

/** Accumulates a {@link CaptureSummary} for one input, packet by packet. */
/** Anomaly code of records whose captured length exceeds the snap length (read whole anyway). */
export const CAPLEN_OVER_SNAPLEN = 'CAPLEN_OVER_SNAPLEN';

export class CaptureStats {
  private packets = 0;
  private bytes = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private lastSec = 0;
  private lastNsec = 0;
  private arp = 0;
  private ndp = 0;
  private stp = 0;
  private ip = 0;
  private vlanTagged = 0;
  private readonly anomalies: Record<string, number> = {};
  private readonly anomalyExamples: CaptureSummary['anomalyExamples'] = [];

  constructor(private readonly path: string) {}

  /** Packets counted so far, and the latest timestamp among them (0 s while there are none). */
  progress(): { packets: number; latest: Timestamp } {
    return { packets: this.packets, latest: { sec: this.lastSec, nsec: this.lastNsec } };
  }

  /** Counts one packet and its decoded event (null when the decoder had no interest). */
  add(p: CapturePacket, ev: DecodedEvent | null): void {
    if (this.packets === 0 || p.tsSec < this.firstSec || (p.tsSec === this.firstSec && p.tsNsec < this.firstNsec)) {
      this.firstSec = p.tsSec;
      this.firstNsec = p.tsNsec;
    }
    if (this.packets === 0 || p.tsSec > this.lastSec || (p.tsSec === this.lastSec && p.tsNsec > this.lastNsec)) {
      this.lastSec = p.tsSec;
      this.lastNsec = p.tsNsec;
    }
    this.packets++;
    this.bytes += p.capturedLength;
    if (ev !== null) {
      if (ev.info.vlans.length > 0) this.vlanTagged++;
      switch (ev.kind) {
        case 'arp': this.arp++; break;
        case 'ndp': this.ndp++; break;
        case 'stp': this.stp++; break;
        case 'ip': this.ip++; break;
        case 'anomaly':
          this.anomalies[ev.code] = (this.anomalies[ev.code] ?? 0) + 1;
          if (this.anomalyExamples.length < ANOMALY_EXAMPLES) {
            this.anomalyExamples.push({ frame: ev.info.frame, code: ev.code, detail: ev.detail });
          }
          break;
      }
    } else {
      // Frames of no interest to the decoder (other EtherTypes) may still be tagged: peek.
      const at = protocolOffset(p.linkType);
      if (at >= 0 && p.capturedLength >= at + 2) {
        const type = (p.data[at]! << 8) | p.data[at + 1]!;
        if (type === TPID_8021Q || type === TPID_8021AD || type === TPID_QINQ_OLD) this.vlanTagged++;
      }
    }
  }

  /** The summary; `error` is the fault that ended the input, if any. */
  finish(info: CaptureInfo, error?: BridgewatchError): CaptureSummary {
    const summary: CaptureSummary = {
      path: this.path,
      format: info.format,
      gzip: info.gzip,
      linkTypes: [...new Set(info.linkTypes)],
      interfaces: info.interfaceNames.filter((n): n is string => n !== undefined),
      packets: this.packets,
      bytes: this.bytes,
      first: this.packets > 0 ? { sec: this.firstSec, nsec: this.firstNsec } : null,
      last: this.packets > 0 ? { sec: this.lastSec, nsec: this.lastNsec } : null,
      arp: this.arp,
      ndp: this.ndp,
      stp: this.stp,
      ip: this.ip,
      vlanTagged: this.vlanTagged,
      anomalies: { ...this.anomalies },
      anomalyExamples: [...this.anomalyExamples],
    };
    const over = info.overSnapLength;
    if (over) {
      // A reader-level anomaly: the frame was read whole, but its header broke the file's own limit.
      summary.anomalies[CAPLEN_OVER_SNAPLEN] = (summary.anomalies[CAPLEN_OVER_SNAPLEN] ?? 0) + over.records;
      if (summary.anomalyExamples.length < ANOMALY_EXAMPLES) {
        summary.anomalyExamples.push({ frame: over.firstFrame, code: CAPLEN_OVER_SNAPLEN, detail: over.detail });
      }
    }
    if (error !== undefined) {
      summary.error = { code: error.code, message: error.message };
      if (error.location.offset !== undefined) summary.error.offset = error.location.offset;
    }
    return summary;
  }
}
