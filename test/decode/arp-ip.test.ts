/** ARP, IPv4 and IPv6 (with extension headers) decoding. */
import { describe, expect, it } from 'vitest';
import { parseMac } from '../../src/net/mac.js';
import { decodePacket } from '../../src/decode/index.js';
import { ARP_REPLY, ARP_REQUEST, ICMP_ECHO_REQUEST, MLD_REPORT_HBH, NDP_NS } from './frames.js';
import { as, decodeHex, packetOf } from './packet.js';

describe('ARP', () => {
  it('decodes a request and a reply', () => {
    expect(as(decodeHex(ARP_REQUEST), 'arp')).toMatchObject({ op: 1, senderMac: parseMac('00:00:5e:00:53:01'),
      senderIp: '192.0.2.1', targetMac: 0, targetIp: '192.0.2.2' });
    expect(as(decodeHex(ARP_REPLY), 'arp')).toMatchObject({ op: 2, senderMac: parseMac('00:00:5e:00:53:10'),
      senderIp: '192.0.2.2', targetMac: parseMac('00:00:5e:00:53:01'), targetIp: '192.0.2.1' });
  });

  it('keeps an RFC 5227 probe (sender 0.0.0.0) as is', () => {
    const probe = ARP_REQUEST.replace('00005e005301 c0000201 000000000000', '00005e005301 00000000 000000000000');
    expect(as(decodeHex(probe), 'arp').senderIp).toBe('0.0.0.0');
  });

  it('flags truncated and non-Ethernet/IPv4 ARP', () => {
    expect(as(decodeHex(ARP_REQUEST.slice(0, ARP_REQUEST.length - 8)), 'anomaly').code).toBe('ARP_TRUNCATED');
    expect(as(decodeHex(ARP_REQUEST.replace('0001 0800 06 04', '0006 0800 06 04')), 'anomaly').code).toBe('ARP_UNSUPPORTED');
  });

  it('reads an ARP followed by a long trailer (padding, FCS, junk) as ARP', () => {
    // 28 bytes of ARP, then 480 bytes the sender appended (zeek arp-leak.pcap's frames are 540 bytes).
    const trailer = 'a5'.repeat(480);
    expect(as(decodeHex(`${ARP_REQUEST} ${trailer}`), 'arp')).toMatchObject({ op: 1, senderIp: '192.0.2.1', targetIp: '192.0.2.2' });
  });

  it('does not read addresses out of an ARP whose lengths are not 6/4 (zeek arp-leak.pcap: hln or pln 255)', () => {
    // Zeek reports these frames as corrupt-arp-header: with hln 255 the sender IP is not at byte 14.
    for (const lengths of ['ff 04', '06 ff', 'ff ff']) {
      const odd = as(decodeHex(`${ARP_REQUEST.replace('0001 0800 06 04', `0001 0800 ${lengths}`)} ${'00'.repeat(480)}`), 'anomaly');
      expect(odd.code).toBe('ARP_UNSUPPORTED');
      expect(odd.detail).toContain(`lengths ${Number.parseInt(lengths.slice(0, 2), 16)}/${Number.parseInt(lengths.slice(3), 16)}`);
    }
  });
});

describe('IPv4', () => {
  it('decodes addresses, protocol and the echo id/sequence', () => {
    expect(as(decodeHex(ICMP_ECHO_REQUEST), 'ip')).toMatchObject({ version: 4, srcIp: '192.0.2.1', dstIp: '192.0.2.2',
      protocol: 1, echo: { type: 'request', id: 0x28fc, seq: 1 } });
  });

  it('does not read an echo header out of a non-first fragment', () => {
    const fragment = ICMP_ECHO_REQUEST.replace('1191 4000', '1191 2001'); // MF set, offset 8 bytes
    expect(as(decodeHex(fragment), 'ip').echo).toBeNull();
  });

  it('flags short and bad headers', () => {
    expect(as(decodeHex('00005e005310 00005e005301 0800 4500 0054'), 'anomaly').code).toBe('IPV4_TRUNCATED');
    expect(as(decodeHex(ICMP_ECHO_REQUEST.replace('4500 0054', '4300 0054')), 'anomaly').code).toBe('IPV4_BAD_HEADER');
  });
});

describe('IPv6', () => {
  it('skips a hop-by-hop header to reach ICMPv6 (MLD report: an ip event, protocol 58)', () => {
    expect(as(decodeHex(MLD_REPORT_HBH), 'ip')).toMatchObject({ version: 6, srcIp: '::', dstIp: 'ff02::16', protocol: 58, echo: null });
  });

  it('reports a truncated extension header and a short IPv6 header', () => {
    const cut = MLD_REPORT_HBH.slice(0, MLD_REPORT_HBH.indexOf('3a 00 0502') + 5);
    expect(as(decodeHex(cut), 'anomaly').code).toBe('IPV6_TRUNCATED');
    expect(as(decodeHex('333300000016 00005e005301 86dd 6000 0000'), 'anomaly').code).toBe('IPV6_TRUNCATED');
  });
});

describe('the ipEvents option', () => {
  const udp = ICMP_ECHO_REQUEST.replace('4001 a514', '4011 a514'); // same header, protocol 17
  it('all (default): every IP packet is an event', () => {
    expect(as(decodeHex(udp), 'ip').protocol).toBe(17);
  });

  it('echo: only ICMP/ICMPv6 echo becomes an event', () => {
    expect(decodePacket(packetOf(udp), { ipEvents: 'echo' })).toBeNull();
    expect(decodePacket(packetOf(MLD_REPORT_HBH), { ipEvents: 'echo' })).toBeNull();
    expect(decodePacket(packetOf(ICMP_ECHO_REQUEST), { ipEvents: 'echo' })?.kind).toBe('ip');
  });

  it('none: no IP events, but ARP and NDP still decode', () => {
    expect(decodePacket(packetOf(ICMP_ECHO_REQUEST), { ipEvents: 'none' })).toBeNull();
    expect(decodePacket(packetOf(ARP_REQUEST), { ipEvents: 'none' })?.kind).toBe('arp');
    expect(decodePacket(packetOf(NDP_NS), { ipEvents: 'none' })?.kind).toBe('ndp');
    // and the option does not stick to later calls without it
    expect(decodePacket(packetOf(udp))?.kind).toBe('ip');
  });
});
