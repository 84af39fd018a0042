/** TCP facts on ip events (flags, payload length): what reply-gap detection needs to tell a segment awaiting an ACK from a pure ACK. */
import { describe, expect, it } from 'vitest';
import { decodePacket, REUSE_EVENTS } from '../../src/decode/index.js';
import { ICMP_ECHO_REQUEST, IPV4_TCP_ACK, IPV4_TCP_DATA, IPV4_TCP_SYN, IPV6_TCP_FIN, IPV6_UDP } from './frames.js';
import { as, decodeHex, packetOf } from './packet.js';
import { fromHex } from '../capture/fixtures.js';

describe('ip events carry TCP flags and payload length', () => {
  it('reads flags and payload from the IP lengths, for IPv4 and IPv6', () => {
    expect(as(decodeHex(IPV4_TCP_ACK), 'ip').tcp).toEqual({ flags: 0x10, payloadBytes: 0 });
    expect(as(decodeHex(IPV4_TCP_DATA), 'ip').tcp).toEqual({ flags: 0x18, payloadBytes: 4 });
    expect(as(decodeHex(IPV4_TCP_SYN), 'ip').tcp).toEqual({ flags: 0x02, payloadBytes: 0 });
    expect(as(decodeHex(IPV6_TCP_FIN), 'ip').tcp).toEqual({ flags: 0x11, payloadBytes: 0 });
  });

  it('is null for UDP, ICMP, a later fragment and a capture cut before the flags', () => {
    expect(as(decodeHex(IPV6_UDP), 'ip').tcp).toBeNull();
    expect(as(decodeHex(ICMP_ECHO_REQUEST), 'ip').tcp).toBeNull();
    const laterFragment = IPV4_TCP_DATA.replace('4500 002c 0000 4000', '4500 002c 0000 0001'); // offset 8 bytes
    expect(as(decodeHex(laterFragment), 'ip').tcp).toBeNull();
    // 14 + 20 + 13 bytes: the flags octet (the 14th TCP byte) is not captured.
    const cut = fromHex(IPV4_TCP_DATA).subarray(0, 14 + 20 + 13);
    expect(as(decodePacket({ ...packetOf(''), data: cut, capturedLength: cut.length, originalLength: 58 }), 'ip').tcp).toBeNull();
  });

  it('counts the data of a snap-length-cut segment from the IP length, and the captured bytes when it is 0 (TSO)', () => {
    const cut = fromHex(IPV4_TCP_DATA).subarray(0, 14 + 20 + 20);
    expect(as(decodePacket({ ...packetOf(''), data: cut, capturedLength: cut.length, originalLength: 58 }), 'ip').tcp?.payloadBytes).toBe(4);
    const tso = IPV4_TCP_DATA.replace('4500 002c', '4500 0000');
    expect(as(decodeHex(tso), 'ip').tcp).toEqual({ flags: 0x18, payloadBytes: 4 });
  });

  it('reuse mode fills one TCP object and clears it for the next non-TCP packet', () => {
    const a = decodePacket(packetOf(IPV4_TCP_DATA), REUSE_EVENTS);
    const tcp = a?.kind === 'ip' ? a.tcp : undefined;
    expect(tcp).toEqual({ flags: 0x18, payloadBytes: 4 });
    const b = decodePacket(packetOf(IPV4_TCP_SYN), REUSE_EVENTS);
    expect(b?.kind === 'ip' && b.tcp).toBe(tcp);
    expect(tcp).toEqual({ flags: 0x02, payloadBytes: 0 });
    const c = decodePacket(packetOf(IPV6_UDP), REUSE_EVENTS);
    expect(c?.kind === 'ip' && c.tcp).toBeNull();
  });
});
