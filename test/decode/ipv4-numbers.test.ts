/**
 * IPv4 addresses as numbers: the decoder hands detection `192.0.2.1` as 0xc0000201 next to the
 * text, and `ipv4Number` reads the text back (for the few places that only have text). Detection
 * keys its state by these numbers, so text and number must always name the same address.
 */
import { describe, expect, it } from 'vitest';
import { decodePacket } from '../../src/decode/index.js';
import { ipv4Number } from '../../src/net/ipv4.js';
import { ARP_REPLY, ARP_REQUEST, ICMP_ECHO_REQUEST, IPV6_UDP } from './frames.js';
import { packetOf } from './packet.js';

function decodeHex(hex: string): ReturnType<typeof decodePacket> {
  return decodePacket(packetOf(hex));
}

describe('ipv4Number', () => {
  it('reads dotted quads, edges included', () => {
    expect(ipv4Number('192.0.2.1')).toBe(0xc0000201);
    expect(ipv4Number('0.0.0.0')).toBe(0);
    expect(ipv4Number('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4Number('198.51.100.254')).toBe(0xc63364fe);
  });

  it('gives -1 for anything that is not four decimal octets', () => {
    for (const text of ['2001:db8::1', '::', '', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.a', '1234.0.0.1',
      '::ffff:192.0.2.1', ' 1.2.3.4']) {
      expect(ipv4Number(text), text).toBe(-1);
    }
  });
});

describe('decoded IPv4 addresses as numbers', () => {
  it('ARP sender and target carry the number of their text', () => {
    for (const hex of [ARP_REQUEST, ARP_REPLY]) {
      const ev = decodeHex(hex);
      if (ev?.kind !== 'arp') throw new Error(`not arp: ${ev?.kind}`);
      expect(ev.senderIpv4).toBe(ipv4Number(ev.senderIp));
      expect(ev.targetIpv4).toBe(ipv4Number(ev.targetIp));
      expect(ev.senderIpv4).toBeGreaterThanOrEqual(0);
    }
  });

  it('IPv4 packets carry both numbers; IPv6 packets -1', () => {
    const v4 = decodeHex(ICMP_ECHO_REQUEST.replace('c0000201 c0000202', 'c63364fe ffffffff'));
    if (v4?.kind !== 'ip') throw new Error(`not ip: ${v4?.kind}`);
    expect([v4.srcIp, v4.dstIp]).toEqual(['198.51.100.254', '255.255.255.255']);
    expect([v4.srcIpv4, v4.dstIpv4]).toEqual([0xc63364fe, 0xffffffff]);
    const v6 = decodeHex(IPV6_UDP);
    if (v6?.kind !== 'ip') throw new Error(`not ip: ${v6?.kind}`);
    expect([v6.srcIpv4, v6.dstIpv4]).toEqual([-1, -1]);
  });
});
