/** `reuse: true`: IP events are one object overwritten by each call, equal to what a fresh decode gives. */
import { describe, expect, it } from 'vitest';
import { decodePacket, PacketDecoder, REUSE_EVENTS } from '../../src/decode/index.js';
import { ICMP_ECHO_REQUEST, MLD_REPORT_HBH, withTags } from './frames.js';
import { packetOf } from './packet.js';

/** The echo request with its 802.1Q tag (VLAN 100) inserted after the MACs, and as a reply. */
const TAGGED_ECHO = withTags(ICMP_ECHO_REQUEST, '8100 0064');

describe('decodePacket with reuse', () => {
  it('gives the same content as a fresh decode, for untagged, tagged and IPv6 frames', () => {
    for (const hex of [ICMP_ECHO_REQUEST, TAGGED_ECHO, MLD_REPORT_HBH]) {
      const fresh = decodePacket(packetOf(hex));
      const reused = decodePacket(packetOf(hex), REUSE_EVENTS);
      expect(reused).not.toBeNull();
      expect(structuredClone(reused)).toEqual(fresh);
    }
    expect(decodePacket(packetOf(TAGGED_ECHO), REUSE_EVENTS)?.info.vlans).toEqual([100]);
  });

  it('returns one object that the next call overwrites; fresh decodes are distinct', () => {
    const a = decodePacket(packetOf(ICMP_ECHO_REQUEST), REUSE_EVENTS);
    const seenEcho = a?.kind === 'ip' ? a.echo : undefined;
    expect(seenEcho).toMatchObject({ type: 'request', seq: 1 });
    const b = decodePacket(packetOf(MLD_REPORT_HBH), REUSE_EVENTS);
    expect(b).toBe(a);
    expect(b?.kind === 'ip' && b.echo).toBeNull();
    expect(b?.kind === 'ip' && b.srcIp).toBe('::');
    const c = decodePacket(packetOf(ICMP_ECHO_REQUEST));
    const d = decodePacket(packetOf(ICMP_ECHO_REQUEST));
    expect(c).not.toBe(d);
    expect(c).not.toBe(a);
  });

  it('keeps each decoder\'s reused event its own: two pipelines decoding in turn do not overwrite each other', () => {
    const first = new PacketDecoder(REUSE_EVENTS);
    const second = new PacketDecoder(REUSE_EVENTS);
    const a = first.decode(packetOf(ICMP_ECHO_REQUEST));
    const b = second.decode(packetOf(MLD_REPORT_HBH));
    expect(b).not.toBe(a);
    expect(a?.kind === 'ip' && a.echo).toMatchObject({ type: 'request', seq: 1 });
    expect(a?.kind === 'ip' && a.srcIp).not.toBe('::');
    expect(b?.kind === 'ip' && b.srcIp).toBe('::');
  });
});
