/**
 * Live output lines (src/live/print.ts): the record of an incident built from its findings, the
 * table row, and which changes are worth a new line. The incident is the lab's guest-start-stop
 * shape, written by hand: uplink b4:99:ba:11:22:33, OpenVZ port 00:18:51:00:00:01.
 */
import { describe, expect, it } from 'vitest';
import { incidentRecord, incidentRow, kernelDropAdvice, recordSignature } from '../../src/live/print.js';
import type { LiveCaptureStats } from '../../src/live/capture.js';
import type { Finding, MacChangeFinding, ReplyGapFinding } from '../../src/detect/types.js';
import type { Incident } from '../../src/analysis.js';

const UPLINK = 0xb499ba112233;
const PORT = 0x001851000001;
const t = (sec: number, nsec = 0) => ({ sec, nsec });

const change: MacChangeFinding = {
  kind: 'mac-change', ip: '192.0.2.1', vlan: null, start: t(1795254047, 333_785_008), end: t(1795254047, 361_085_551),
  durationMs: 27.3, frames: [{ fileIndex: 0, frame: 12 }, { fileIndex: 0, frame: 14 }],
  fromMac: UPLINK, toMac: PORT, announced: false, oldMacStillAnswers: false, newMacLower: true, learnedBy: 'arp-request', sequence: [UPLINK, PORT],
};
const gap: ReplyGapFinding = {
  kind: 'reply-gap', ip: '192.0.2.1', vlan: null, start: t(1795254049, 846_000_000), end: t(1795254053, 165_062_922),
  durationMs: 3319.063, frames: [{ fileIndex: 0, frame: 400 }, { fileIndex: 0, frame: 520 }],
  staleMac: PORT, answeredBy: UPLINK, requesters: ['192.0.2.254'], unansweredRequests: 4, framesToStaleMac: 160, ongoing: false,
};

function incident(findings: number[], kind: string): Incident {
  return {
    id: 'I1', kind, severity: 'warning', ip: '192.0.2.1', vlan: null, start: change.start, end: gap.end, durationMs: 5831.3, outageMs: 3319.063, findings,
    cause: { code: 'bridge-lowest-mac', confidence: 0.95, summary: 'vnet1 joined br0', linkEvents: [], inferences: [], toConfirm: [], bridge: 'br0', port: 'vnet1' },
  };
}

describe('incident lines', () => {
  it('collects MAC changes, the outage and the cause from the findings', () => {
    // Sparse array: the incident's findings at their analysis indexes (as the live session builds it).
    const findings: Finding[] = [];
    findings[3] = change;
    findings[7] = gap;
    const r = incidentRecord(incident([3, 7], 'bridge-mac-flip'), findings, 'open');
    expect(r.macChanges).toEqual([{ from: 'b4:99:ba:11:22:33', to: '00:18:51:00:00:01', announced: false, at: '2026-11-21T09:40:47.361085551Z' }]);
    expect(r.outageMs).toBe(3319.063);
    expect(r.staleMac).toBe('00:18:51:00:00:01');
    expect(r.frames).toEqual([12, 14, 400, 520]);
    expect(r.cause).toMatchObject({ code: 'bridge-lowest-mac', confidence: 0.95, summary: 'vnet1 joined br0', bridge: 'br0', port: 'vnet1' });
    expect(incidentRow(r)).toBe(
      '09:40:47.333  open    I1   warning   bridge-mac-flip  192.0.2.1        ' +
      'b4:99:ba:11:22:33 -> 00:18:51:00:00:01 (silent); outage 3.32 s; traffic to stale 00:18:51:00:00:01; cause: bridge-lowest-mac (port vnet1 on br0)');
  });

  it('prints a growing open outage once, and again when it closes', () => {
    const findings: Finding[] = [change, { ...gap, ongoing: true, durationMs: 1000 }];
    const open1 = recordSignature(incidentRecord(incident([0, 1], 'bridge-mac-flip'), findings, 'open'));
    findings[1] = { ...gap, ongoing: true, durationMs: 2500 };
    const open2 = recordSignature(incidentRecord(incident([0, 1], 'bridge-mac-flip'), findings, 'open'));
    findings[1] = gap;
    const closed = recordSignature(incidentRecord(incident([0, 1], 'bridge-mac-flip'), findings, 'open'));
    expect(open2).toBe(open1);
    expect(closed).not.toBe(open1);
  });
});

describe('kernel drop advice', () => {
  const stats = (drops: number | null, from?: LiveCaptureStats['kernelDropsFrom']): LiveCaptureStats => ({
    captured: 1000, received: 1000, queueDrops: 0, truncated: 0, interfaceFrames: null, interfaceRxDropped: null,
    kernelDropsEstimate: drops, ...(from ? { kernelDropsFrom: from } : {}),
  });

  const MIB_64 = 64 * 1024 * 1024;

  it('says nothing when the kernel dropped nothing or the count is unknown (filtered cap capture)', () => {
    expect(kernelDropAdvice('cap', stats(0, 'interface counters'), MIB_64)).toBeNull();
    expect(kernelDropAdvice('cap', stats(null), MIB_64)).toBeNull();
    expect(kernelDropAdvice('tcpdump', stats(0, 'pcap_stats'), MIB_64)).toBeNull();
  });

  it('points cap users to the tcpdump backend, with the estimate marked as one and both rings sized', () => {
    // libpcap slots: align16(70 + 65535) = 65616 bytes -> 1022 in 64 MiB; align16(70 + 512) = 592 -> 113 359.
    const advice = kernelDropAdvice('cap', stats(1728, 'interface counters'), MIB_64);
    expect(advice).toBe('the kernel dropped ~1728 frames before the capture read them: cap sizes ring slots for 64 KiB frames, ' +
      'so its 64 MiB ring holds ~1 020 frames on an interface with segmentation offload; --capture tcpdump keeps 512 bytes a frame ' +
      '(~113 000 frames in the same ring)');
  });

  it('tells tcpdump users to raise the ring, with the exact count and what the ring they asked for holds', () => {
    expect(kernelDropAdvice('tcpdump', stats(1, 'pcap_stats'), MIB_64)).toBe(
      'the kernel dropped 1 frame before the capture read them: the 64 MiB ring (~113 000 frames) filled; raise --buffer-mb');
    expect(kernelDropAdvice('tcpdump', stats(5, 'pcap_stats'), 2 * 1024 * 1024)).toContain('the 2 MiB ring (~3 540 frames) filled');
  });
});
