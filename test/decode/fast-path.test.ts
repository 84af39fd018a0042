/**
 * The early exit of decodePacket (ethernetMakesNoEvent): with `ipEvents` `none` or `echo`, IP
 * frames that can make no event are settled before any decoding. It must never hide a frame the
 * Ethernet decoder would report in that mode: an anomaly, NDP, an echo, ARP, STP.
 */
import { describe, expect, it } from 'vitest';
import { decodeEthernet, ethernetMakesNoEvent } from '../../src/decode/ethernet.js';
import { IP_ALL, IP_ECHO, IP_NONE, newScratch, resetScratch } from '../../src/decode/frame.js';
import { decodePacket, type IpEventMode } from '../../src/decode/index.js';
import { fromHex } from '../capture/fixtures.js';
import { ARP_REQUEST, ICMP_ECHO_REQUEST, IPV4_TCP_ACK, IPV6_UDP, MLD_REPORT_HBH, NDP_NS, STP_CONFIG, withTags } from './frames.js';
import { packetOf } from './packet.js';
import { xorshift32 } from '../xorshift.js';

/** The ACK with an 802.1Q tag (VLAN 100), and with 802.1ad 200 + 802.1Q 100. */
const IPV4_TCP_TAGGED = withTags(IPV4_TCP_ACK, '8100 0064');
const IPV4_TCP_QINQ = withTags(IPV4_TCP_ACK, '88a8 00c8 8100 0064');

const MODES: Array<[IpEventMode, number]> = [['none', IP_NONE], ['echo', IP_ECHO]];

function fast(bytes: Uint8Array, mode: number): boolean {
  return ethernetMakesNoEvent(bytes, 0, bytes.length, mode);
}

/** What the Ethernet decoder itself makes of the frame in `mode`, without the early exit. */
function fullDecode(bytes: Uint8Array, mode: number) {
  const p = { ...packetOf(''), data: bytes, capturedLength: bytes.length, originalLength: bytes.length };
  const s = newScratch(p);
  resetScratch(s, p, bytes, bytes.length);
  s.ipMode = mode;
  return decodeEthernet(s, bytes, 0);
}


describe('ethernetMakesNoEvent (the early exit of decodePacket)', () => {
  it('settles plain IPv4 and IPv6 traffic, tagged or not, when IP events are off', () => {
    for (const hex of [IPV4_TCP_ACK, IPV4_TCP_TAGGED, IPV4_TCP_QINQ, IPV6_UDP]) {
      expect(fast(fromHex(hex), IP_NONE)).toBe(true);
      expect(fast(fromHex(hex), IP_ECHO)).toBe(true);
      expect(fast(fromHex(hex), IP_ALL)).toBe(false);
      expect(decodePacket(packetOf(hex), { ipEvents: 'none' })).toBeNull();
      expect(decodePacket(packetOf(hex), { ipEvents: 'all' })?.kind).toBe('ip');
    }
  });

  it('leaves ARP, NDP, STP, echo and ICMP to the decoder', () => {
    for (const hex of [ARP_REQUEST, NDP_NS, STP_CONFIG, MLD_REPORT_HBH]) {
      expect(fast(fromHex(hex), IP_NONE)).toBe(false);
    }
    expect(fast(fromHex(ICMP_ECHO_REQUEST), IP_ECHO)).toBe(false);
    expect(decodePacket(packetOf(ICMP_ECHO_REQUEST), { ipEvents: 'echo' })?.kind).toBe('ip');
    expect(decodePacket(packetOf(NDP_NS), { ipEvents: 'none' })?.kind).toBe('ndp');
  });

  it('leaves every truncated or malformed header to the decoder, which reports it', () => {
    const data = fromHex(IPV4_TCP_TAGGED);
    // Cut inside the Ethernet header, the tag or the IPv4 header: an anomaly each time.
    for (let n = 0; n < 18 + 20; n++) {
      expect(fast(data.subarray(0, n), IP_NONE)).toBe(false);
      expect(decodePacket({ ...packetOf(''), data: data.subarray(0, n), capturedLength: n }, { ipEvents: 'none' })?.kind).toBe('anomaly');
    }
    const badVersion = fromHex(IPV4_TCP_ACK.replace('4500 0028', '5500 0028'));
    const shortHeader = fromHex(IPV4_TCP_ACK.replace('4500 0028', '4400 0028'));
    for (const bytes of [badVersion, shortHeader]) {
      expect(fast(bytes, IP_NONE)).toBe(false);
      expect(decodePacket({ ...packetOf(''), data: bytes, capturedLength: bytes.length }, { ipEvents: 'none' })?.kind).toBe('anomaly');
    }
  });

  it('on 20,000 mutated frames, never settles one the decoder would report', () => {
    const next = xorshift32(20261121);
    const rand = (): number => next() / 0x100000000;
    const seeds = [IPV4_TCP_ACK, IPV4_TCP_TAGGED, IPV4_TCP_QINQ, IPV6_UDP, ICMP_ECHO_REQUEST, NDP_NS, MLD_REPORT_HBH].map(fromHex);
    let settled = 0;
    for (let i = 0; i < 20_000; i++) {
      const seed = seeds[Math.floor(rand() * seeds.length)]!;
      const bytes = seed.slice(0, Math.max(0, seed.length - Math.floor(rand() * rand() * seed.length)));
      // Flip a few bytes, mostly in the headers the early exit reads.
      for (let k = Math.floor(rand() * 4); k > 0 && bytes.length > 0; k--) {
        bytes[Math.floor(rand() * Math.min(bytes.length, 64))] = Math.floor(rand() * 256);
      }
      for (const [name, mode] of MODES) {
        if (!fast(bytes, mode)) continue;
        settled++;
        // Settled means: the decoder would have made nothing of it either (no anomaly, no NDP, no echo)...
        expect(fullDecode(bytes, mode), `${name}: ${Buffer.from(bytes).toString('hex')}`).toBeNull();
        // ...and in 'all' mode it is an IP packet.
        expect(fullDecode(bytes, IP_ALL)?.kind === 'ip' || fullDecode(bytes, IP_ALL)?.kind === 'anomaly').toBe(true);
        expect(decodePacket({ ...packetOf(''), data: bytes, capturedLength: bytes.length }, { ipEvents: name })).toBeNull();
      }
    }
    // The mutations must exercise the exit, not just miss it.
    expect(settled).toBeGreaterThan(5_000);
  });
});
