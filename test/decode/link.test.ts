/** Link layers: Ethernet with 802.1Q/802.1ad tags, Linux SLL and SLL2, unknown link types. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseMac } from '../../src/net/mac.js';
import { PacketType } from '../../src/decode/events.js';
import { fromHex } from '../capture/fixtures.js';
import { ARP_REPLY, ARP_REQUEST, ARP_REQUEST_QINQ, SLL2_ARP_REPLY, SLL_ARP_REPLY } from './frames.js';
import { as, decodeHex, prefixes } from './packet.js';
import { decodePacket } from '../../src/decode/index.js';

describe('Ethernet', () => {
  it('keeps addresses, frame data and an empty VLAN list for untagged frames', () => {
    const ev = as(decodeHex(ARP_REPLY), 'arp');
    expect(ev.info).toMatchObject({ frame: 7, tsSec: 1795253811, tsNsec: 977386000, vlan: null, vlans: [],
      srcMac: parseMac('00:00:5e:00:53:10'), dstMac: parseMac('00:00:5e:00:53:01'), packetType: null, ifIndex: null, wireLength: 42 });
  });

  it('peels 802.1ad + 802.1Q tags, outermost first, innermost as `vlan`', () => {
    const ev = as(decodeHex(ARP_REQUEST_QINQ), 'arp');
    expect(ev.info.vlans).toEqual([200, 100]);
    expect(ev.info.vlan).toBe(100);
    expect(ev.targetIp).toBe('192.0.2.2');
  });

  it('takes the 12-bit VLAN id, ignoring priority and DEI bits', () => {
    // ARP_REQUEST with one 802.1Q tag: PCP 5, DEI 1, VID 0xabc (TCI 0xbabc).
    const tagged = ARP_REQUEST.replace('0806', '8100 babc 0806');
    expect(as(decodeHex(tagged), 'arp').info.vlans).toEqual([0xabc]);
  });

  it('stops at 8 tags with VLAN_TOO_DEEP, and a cut tag is VLAN_TRUNCATED', () => {
    const nine = ARP_REQUEST.replace('0806', '8100 0001 '.repeat(9) + '0806');
    expect(as(decodeHex(nine), 'anomaly').code).toBe('VLAN_TOO_DEEP');
    expect(as(decodeHex('ffffffffffff 00005e005301 8100 00'), 'anomaly').code).toBe('VLAN_TRUNCATED');
  });

  it('a frame shorter than 14 bytes is ETHERNET_TRUNCATED', () => {
    expect(as(decodeHex('ffffffffffff 00005e0053'), 'anomaly')).toMatchObject({ code: 'ETHERNET_TRUNCATED', info: { frame: 7 } });
  });

  it('frames of no interest (other EtherTypes, non-STP LLC) decode to null', () => {
    expect(decodeHex('ffffffffffff 00005e005301 88cc 0000')).toBeNull(); // LLDP
    expect(decodeHex('ffffffffffff 00005e005301 0010 aaaa03 000000 0800')).toBeNull(); // SNAP
  });
});

describe('Linux cooked captures', () => {
  it('SLL keeps packet type and sender MAC', () => {
    const ev = as(decodeHex(SLL_ARP_REPLY, 113), 'arp');
    expect(ev.info).toMatchObject({ packetType: PacketType.HOST, srcMac: parseMac('00:00:5e:00:53:10'), dstMac: null, ifIndex: null });
    expect(ev.senderIp).toBe('192.0.2.2');
  });

  it('SLL2 keeps packet type, interface index and sender MAC', () => {
    const ev = as(decodeHex(SLL2_ARP_REPLY, 276), 'arp');
    expect(ev.info).toMatchObject({ packetType: PacketType.HOST, ifIndex: 2, srcMac: parseMac('00:00:5e:00:53:10'), dstMac: null });
  });

  it('an outgoing SLL frame with a non-Ethernet address has no sender MAC', () => {
    // SLL_ARP_REPLY with packet type 4 (outgoing) and ARPHRD 772 (loopback), address length 6.
    const ev = as(decodeHex(SLL_ARP_REPLY.replace('0000 0001 0006', '0004 0304 0006'), 113), 'arp');
    expect(ev.info.packetType).toBe(PacketType.OUTGOING);
    expect(ev.info.srcMac).toBeNull();
  });

  it('short headers are SLL_TRUNCATED / SLL2_TRUNCATED', () => {
    expect(as(decodeHex('0000 0001 0006 00005e00', 113), 'anomaly').code).toBe('SLL_TRUNCATED');
    expect(as(decodeHex('0806 0000 00000002', 276), 'anomaly').code).toBe('SLL2_TRUNCATED');
  });
});

describe('any prefix of any frame', () => {
  it('decodes to an event, null or an anomaly, never an exception', () => {
    for (const [hex, linkType] of [[ARP_REQUEST_QINQ, 1], [SLL_ARP_REPLY, 113], [SLL2_ARP_REPLY, 276]] as const) {
      for (const data of prefixes(hex)) {
        const ev = decodePacket({ frame: 1, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType,
          capturedLength: data.length, originalLength: 60, data });
        expect(ev === null || ['anomaly', 'arp'].includes(ev.kind)).toBe(true);
        if (data.length < fromHex(hex).length) expect(ev === null || ev.kind === 'anomaly').toBe(true);
      }
    }
  });

  it('unknown link types are counted as UNKNOWN_LINKTYPE', () => {
    expect(as(decodeHex(ARP_REQUEST, 147), 'anomaly').code).toBe('UNKNOWN_LINKTYPE');
  });
});

describe('random frames', () => {
  it('never make decodePacket throw, whatever the bytes and link type', () => {
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom(1, 113, 276, 101, 228, 229, 147),
      fc.constantFrom<'all' | 'echo' | 'none'>('all', 'echo', 'none'),
      (data, linkType, ipEvents) => {
        const ev = decodePacket({ frame: 1, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType,
          capturedLength: data.length, originalLength: data.length, data }, { ipEvents });
        if (ev !== null && ev.kind === 'anomaly') expect(ev.code).not.toBe('DECODER_FAULT');
      },
    ), { numRuns: 3000 });
  });

  it('never throw on real frames with random bytes changed (reaches the deeper decoders)', async () => {
    const frames = (Object.values(await import('./frames.js')) as unknown[]).filter((v): v is string => typeof v === 'string').map((h) => fromHex(h));
    fc.assert(fc.property(
      fc.constantFrom(...frames),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(),
      (frame, flips, cut) => {
        const data = frame.slice(0, frame.length - (cut % 8));
        for (const [at, value] of flips) data[at % data.length] = value;
        const ev = decodePacket({ frame: 1, fileIndex: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 1,
          capturedLength: data.length, originalLength: data.length, data });
        if (ev !== null && ev.kind === 'anomaly') expect(ev.code).not.toBe('DECODER_FAULT');
      },
    ), { numRuns: 3000 });
  });
});
