/**
 * Live capture with cap in a private network namespace: the default BPF keeps ARP, NDP, STP and
 * their VLAN forms and nothing else; frames carry live timestamps; a deleted interface ends the
 * capture with LIVE_INTERFACE_GONE (not a crash); a missing interface is LIVE_NO_SUCH_INTERFACE.
 * Needs root (runs in CI).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_BPF, openLiveCapture, type LiveCapture } from '../../src/live/capture.js';
import { isBridgewatchError } from '../../src/errors.js';
import { hex, namespaceSkipReason, useVethNamespace, VethNamespace, waitFor, writePcap } from './helpers.js';

const skip = namespaceSkipReason('test/live/capture');

// Frames written by hand from the field layouts (RFC 826, RFC 4861, IEEE 802.1D/802.1Q), MACs in
// the locally administered 02:00:00:00:00:0N range, addresses from 192.0.2.0/24 and 2001:db8::/32.
const ARP = hex(`ffffffffffff 020000000001 0806  0001 0800 06 04 0001 020000000001 c0000201 000000000000 c00002fe`);
const ARP_VLAN10 = hex(`ffffffffffff 020000000002 8100 000a 0806  0001 0800 06 04 0001 020000000002 c0000202 000000000000 c00002fe`);
// ICMPv6 neighbour solicitation for 2001:db8::1 from fe80::3 (checksum left 0: capture does not check).
const NDP_NS = hex(`3333ff000001 020000000003 86dd  6000000000203aff fe800000000000000000000000000003 ff0200000000000000000001ff000001
  8700 0000 00000000 20010db8000000000000000000000001 0101 020000000003`);
// 802.1D configuration BPDU to 01:80:c2:00:00:00 (802.3 length 0x0026, LLC 42 42 03).
const STP = hex(`0180c2000000 020000000004 0026 424203 0000 00 00 00 8000020000000004 00000000 8000020000000004 8001 0000 1400 0200 0f00`);
// Must be filtered out: IPv4/UDP untagged and VLAN-tagged.
const UDP = hex(`ffffffffffff 020000000005 0800 4500001c0000000040110000c0000205c00002ff 0035003500080000`);
const UDP_VLAN = hex(`ffffffffffff 020000000006 8100 000a 0800 4500001c0000000040110000c0000206c00002ff 0035003500080000`);

describe.skipIf(skip !== null)('live capture (cap in a namespace)', () => {
  const lab = useVethNamespace('bwlv-cap-');

  it('keeps ARP, NDP, STP and tagged ARP with the default filter, and nothing else', async () => {
    const seen: { frame: number; hex: string; tsSec: number; tsNsec: number; arrivedMs: number; linkType: number }[] = [];
    const capture: LiveCapture = await openLiveCapture({ iface: lab.ns.b, netns: lab.ns.name, filter: DEFAULT_BPF, statsIntervalMs: 200 }, {
      onPacket: (p) => seen.push({
        frame: p.frame, hex: Buffer.from(p.data).toString('hex'), tsSec: p.tsSec, tsNsec: p.tsNsec, arrivedMs: Date.now(), linkType: p.linkType,
      }),
    });
    const before = Math.floor(Date.now() / 1000);
    const pcap = join(lab.dir, 'mixed.pcap');
    writePcap(pcap, [UDP, ARP, UDP_VLAN, ARP_VLAN10, NDP_NS, STP]);
    lab.ns.exec('tcpreplay', ['-q', '-i', lab.ns.a, pcap]);
    await waitFor(() => seen.length >= 4, 5000);
    const end = await capture.stop();
    expect(end.error).toBeUndefined();
    const hexes = seen.map((s) => s.hex);
    // Ethernet minimum padding may be added on the wire: compare prefixes.
    for (const f of [ARP, ARP_VLAN10, NDP_NS, STP]) {
      expect(hexes.some((h) => h.startsWith(Buffer.from(f).toString('hex')))).toBe(true);
    }
    expect(hexes.some((h) => h.includes('020000000005') || h.includes('020000000006'))).toBe(false);
    expect(seen.map((s) => s.frame)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((s) => s.linkType === 1 && s.tsSec >= before - 1 && s.tsSec <= before + 10)).toBe(true);
    // Stamped by the capture process when libpcap delivered the frame: a valid ns field, in order,
    // and shortly before this process received it (a few ms apart when idle; 1 s is generous).
    const stampMs = seen.map((s) => s.tsSec * 1000 + s.tsNsec / 1e6);
    expect(seen.every((s) => Number.isInteger(s.tsNsec) && s.tsNsec >= 0 && s.tsNsec < 1e9)).toBe(true);
    expect(stampMs).toEqual([...stampMs].sort((a, b) => a - b));
    seen.forEach((s, i) => expect(s.arrivedMs - stampMs[i]!).toBeGreaterThan(-50));
    seen.forEach((s, i) => expect(s.arrivedMs - stampMs[i]!).toBeLessThan(1000));
    expect(end.stats.received).toBe(seen.length);
    expect(end.stats.captured).toBeGreaterThanOrEqual(seen.length);
    expect(end.stats.queueDrops).toBe(0);
  });

  it('ends with LIVE_INTERFACE_GONE, not a crash, when the interface is deleted', async () => {
    const local = VethNamespace.create();
    try {
      let count = 0;
      const capture = await openLiveCapture({ iface: local.b, netns: local.name, filter: '', interfaceCheckMs: 100 }, { onPacket: () => { count++; } });
      const pcap = join(lab.dir, 'arp.pcap');
      writePcap(pcap, [ARP, ARP]);
      local.exec('tcpreplay', ['-q', '-i', local.a, pcap]);
      await waitFor(() => count >= 2, 5000);
      local.exec('ip', ['link', 'del', local.a]);
      const end = await capture.ended;
      expect(end.error?.code).toBe('LIVE_INTERFACE_GONE');
      expect(end.error?.message).toBe(`${local.b}: interface was deleted during the capture (${count} frames captured before)`);
      expect(count).toBe(2);
    } finally {
      local.destroy();
    }
  });

  it('rejects a missing interface with LIVE_NO_SUCH_INTERFACE', async () => {
    const attempt = (netns?: string) => openLiveCapture({ iface: 'bwlvnosuch0', ...(netns ? { netns } : {}) }, { onPacket: () => undefined });
    for (const netns of [undefined, lab.ns.name]) {
      const error = await attempt(netns).then(() => null, (e: unknown) => e);
      expect(isBridgewatchError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('LIVE_NO_SUCH_INTERFACE');
      expect((error as Error).message.startsWith('bwlvnosuch0: ')).toBe(true);
    }
  });
});
