/**
 * The oracle comparison: every packet bridgewatch reads from a file must equal what tshark reads
 * (count, timestamp to the ns, lengths, interface id, VLAN ids, extracted addresses).
 */
import { expect } from 'vitest';
import { basename } from 'node:path';
import { formatMac } from '../../src/net/mac.js';
import { epoch, readAll, tshark } from './helpers.js';

/** What the file is expected to be. */
export interface Sample {
  file: string;
  format: string;
  gzip?: boolean;
  linkTypes: number[];
}

/** The files of samples/formats/ (see its README). */
export const SAMPLES: Sample[] = [
  { file: 'eth-us.pcap', format: 'pcap', linkTypes: [1] },
  { file: 'eth-us-be.pcap', format: 'pcap', linkTypes: [1] },
  { file: 'eth-ns.pcap', format: 'pcap-ns', linkTypes: [1] },
  { file: 'eth-ns-be.pcap', format: 'pcap-ns', linkTypes: [1] },
  { file: 'eth.pcapng', format: 'pcapng', linkTypes: [1] },
  { file: 'eth-be.pcapng', format: 'pcapng', linkTypes: [1] },
  { file: 'two-sections.pcapng', format: 'pcapng', linkTypes: [1, 1] },
  { file: 'merged.pcapng', format: 'pcapng', linkTypes: [1, 276] },
  { file: 'sll.pcap', format: 'pcap', linkTypes: [113] },
  { file: 'sll2.pcap', format: 'pcap', linkTypes: [276] },
  { file: 'vlan.pcap', format: 'pcap', linkTypes: [1] },
  { file: 'qinq.pcap', format: 'pcap', linkTypes: [1] },
  { file: 'eth-us.pcap.gz', format: 'pcap', gzip: true, linkTypes: [1] },
  { file: 'eth.pcapng.gz', format: 'pcapng', gzip: true, linkTypes: [1] },
];

export const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id',
  'ieee8021ad.id', 'vlan.id', 'sll.pkttype', 'sll.ifindex',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'icmpv6.type', 'icmpv6.nd.ns.target_address',
  'icmpv6.opt.linkaddr', 'stp.root.hw', 'stp.bridge.hw', 'stp.version', '_ws.malformed',
];

/** Reads `path` with bridgewatch and tshark and expects them to agree on every packet. */
export async function expectSameAsTshark(path: string, sample: Sample): Promise<void> {
  const name = basename(path);
  const rows = tshark(path, FIELDS);
  const { packets, results } = await readAll([path]);
  expect(results[0]!.error).toBeUndefined();
  expect(results[0]!.info.format).toBe(sample.format);
  expect(results[0]!.info.gzip).toBe(sample.gzip === true);
  expect(results[0]!.info.linkTypes).toEqual(sample.linkTypes);
  expect(packets.length).toBe(rows.length);
  expect(packets.length).toBeGreaterThan(10);
  let decodedKinds = 0;
  packets.forEach((p, i) => {
    const row = rows[i]!;
    const f = (name: string): string => row[FIELDS.indexOf(name)]!;
    const where = `${name} frame ${p.frame}`;
    expect(String(p.frame), where).toBe(f('frame.number'));
    expect(epoch(p), where).toBe(f('frame.time_epoch'));
    expect(String(p.originalLength), where).toBe(f('frame.len'));
    expect(String(p.capturedLength), where).toBe(f('frame.cap_len'));
    expect(String(p.interfaceId), where).toBe(f('frame.interface_id') || '0');
    const ev = p.event;
    expect(ev, where).not.toBeNull();
    if (ev === null) return;
    const vlans = [f('ieee8021ad.id'), f('vlan.id')].filter((s) => s !== '').join(',');
    expect(ev.info.vlans.join(','), where).toBe(vlans);
    if (f('sll.pkttype') !== '') expect(String(ev.info.packetType), where).toBe(f('sll.pkttype'));
    if (f('sll.ifindex') !== '') expect(String(ev.info.ifIndex), where).toBe(f('sll.ifindex'));
    if (f('_ws.malformed') !== '') {
      // tshark calls it malformed (tcprewrite mangles the LLC of tagged 802.3 frames): so do we.
      expect(ev.kind, where).toBe('anomaly');
      decodedKinds++;
      return;
    }
    switch (ev.kind) {
      case 'arp':
        expect(String(ev.op), where).toBe(f('arp.opcode'));
        expect(formatMac(ev.senderMac), where).toBe(f('arp.src.hw_mac'));
        expect(ev.senderIp, where).toBe(f('arp.src.proto_ipv4'));
        expect(ev.targetIp, where).toBe(f('arp.dst.proto_ipv4'));
        break;
      case 'ip':
        expect(ev.srcIp, where).toBe(f(ev.version === 4 ? 'ip.src' : 'ipv6.src'));
        expect(ev.dstIp, where).toBe(f(ev.version === 4 ? 'ip.dst' : 'ipv6.dst'));
        break;
      case 'ndp': {
        expect(ev.srcIp, where).toBe(f('ipv6.src'));
        expect(ev.dstIp, where).toBe(f('ipv6.dst'));
        expect(String(['rs', 'ra', 'ns', 'na', 'redirect'].indexOf(ev.type) + 133), where).toBe(f('icmpv6.type'));
        if (ev.type === 'ns') expect(ev.targetIp, where).toBe(f('icmpv6.nd.ns.target_address'));
        const lla = ev.sourceLinkAddr ?? ev.targetLinkAddr;
        expect(lla === null ? '' : formatMac(lla), where).toBe(f('icmpv6.opt.linkaddr'));
        break;
      }
      case 'stp':
        expect(String(ev.protocolVersion), where).toBe(f('stp.version'));
        expect(ev.rootId?.slice(5), where).toBe(f('stp.root.hw').replace(/:/g, ''));
        expect(ev.bridgeId?.slice(5), where).toBe(f('stp.bridge.hw').replace(/:/g, ''));
        break;
      case 'anomaly':
        throw new Error(`${where}: unexpected anomaly ${ev.code}: ${ev.detail}`);
    }
    decodedKinds++;
  });
  expect(decodedKinds).toBe(packets.length);
}
