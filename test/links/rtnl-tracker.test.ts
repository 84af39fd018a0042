/**
 * The rtnetlink link state machine, fed messages without a socket. Messages are built with the
 * `netlink` package's own encoder (rt.formatLinkMessage), which is the inverse of the parser the
 * tracker uses; one is also checked against hand-annotated bytes. Malformed payloads are counted.
 */
import { AttrStream, rt } from 'netlink';
import { describe, expect, it } from 'vitest';
import { AF_BRIDGE, LinkTracker, RTM_DELLINK, RTM_NEWLINK } from '../../src/links/rtnl-tracker.js';
import { parseMac } from '../../src/net/mac.js';
import type { LinkEvent } from '../../src/links/types.js';

type Attrs = NonNullable<Parameters<typeof rt.formatLinkMessage>[0]['attrs']>;

function encode(family: number, index: number, attrs: Attrs): Buffer {
  const s = new AttrStream();
  rt.formatLinkMessage({ kind: 'link', data: { family, index, type: 'ETHER', flags: {}, change: {} }, attrs }, s);
  return Buffer.concat(s.bufs);
}
const mac = (text: string): Buffer => Buffer.from(text.replace(/:/g, ''), 'hex');
const stp = (state: number): Map<number, Buffer> => new Map([[1, Buffer.from([state])]]);
const T = (ms: number) => ({ sec: 1_795_000_000 + Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 });

/*
 * AF_BRIDGE RTM_NEWLINK for vnet0 (ifindex 5) enslaved to ifindex 2, MAC 00:18:51:00:00:01,
 * operstate UP, protinfo { IFLA_BRPORT_STATE = 3 (forwarding) }, annotated:
 *   07 00 0100 05000000 00000000 00000000   ifinfomsg: family 7 (AF_BRIDGE), type 1, index 5
 *   0a00 0300 766e657430 000000              IFLA_IFNAME "vnet0"
 *   0800 0a00 02000000                       IFLA_MASTER 2
 *   0a00 0100 001851000001 0000              IFLA_ADDRESS
 *   0500 1000 06 000000                      IFLA_OPERSTATE 6 (up)
 *   0900 0c00 0500 0100 03 000000            IFLA_PROTINFO { IFLA_BRPORT_STATE 3 }
 */
const JOIN_HEX =
  '070001000500000000000000000000000a000300766e65743000000008000a00020000000a0001000018510000010000050010000600000009000c000500010003';

describe('LinkTracker', () => {
  it('encodes as annotated', () => {
    const built = encode(AF_BRIDGE, 5, { ifname: 'vnet0', master: 2, address: mac('00:18:51:00:00:01'), operstate: 6, protinfo: stp(3) });
    expect(built.toString('hex')).toBe(JOIN_HEX);
  });

  it('turns a join, a bridge MAC change, STP states, a leave and a delete into events', () => {
    const tracker = new LinkTracker();
    const parse = (b: Buffer) => rt.parseLinkMessage(b);
    tracker.loadSnapshot(
      [
        parse(encode(0, 2, { ifname: 'br0', address: mac('b4:99:ba:11:22:33'), operstate: 6 })),
        parse(encode(0, 3, { ifname: 'eth0', master: 2, address: mac('b4:99:ba:11:22:33'), operstate: 6 })),
      ],
      [parse(encode(AF_BRIDGE, 3, { ifname: 'eth0', master: 2, protinfo: stp(3) }))],
    );
    const snap = tracker.snapshot();
    expect(snap.find((l) => l.ifname === 'br0')).toMatchObject({ isBridge: true, mac: parseMac('b4:99:ba:11:22:33') });
    expect(snap.find((l) => l.ifname === 'eth0')).toMatchObject({ master: 'br0', stpState: 'forwarding' });

    const events: LinkEvent[] = [];
    let ms = 0;
    const feed = (type: number, b: Buffer): void => { ms += 10; events.push(...tracker.handle(type, b, T(ms), ms)); };
    feed(RTM_NEWLINK, encode(0, 5, { ifname: 'vnet0', address: mac('00:18:51:00:00:01'), operstate: 2 }));
    feed(RTM_NEWLINK, encode(AF_BRIDGE, 5, { ifname: 'vnet0', master: 2, address: mac('00:18:51:00:00:01'), protinfo: stp(0) }));
    feed(RTM_NEWLINK, encode(0, 2, { ifname: 'br0', address: mac('00:18:51:00:00:01'), operstate: 6 }));
    feed(RTM_NEWLINK, encode(AF_BRIDGE, 5, { ifname: 'vnet0', master: 2, protinfo: stp(3) }));
    feed(RTM_DELLINK, encode(AF_BRIDGE, 5, { ifname: 'vnet0', master: 2 }));
    feed(RTM_NEWLINK, encode(0, 2, { ifname: 'br0', address: mac('b4:99:ba:11:22:33'), operstate: 6 }));
    feed(RTM_DELLINK, encode(0, 5, { ifname: 'vnet0', address: mac('00:18:51:00:00:01') }));
    feed(RTM_NEWLINK, encode(0, 3, { ifname: 'eth0', master: 2, address: mac('b4:99:ba:11:22:33'), operstate: 2 }));

    expect(events.map((e) => `${e.type} ${e.ifname}`)).toEqual([
      'link-add vnet0', 'port-join vnet0', 'stp-state vnet0', 'mac-change br0', 'stp-state vnet0',
      'port-leave vnet0', 'mac-change br0', 'link-del vnet0', 'oper-state eth0',
    ]);
    const change = events[3]!;
    expect(change.type === 'mac-change' && [change.isBridge, change.oldMac, change.newMac])
      .toEqual([true, parseMac('b4:99:ba:11:22:33'), parseMac('00:18:51:00:00:01')]);
    const e2 = events[2]!, e4 = events[4]!, e8 = events[8]!;
    expect(e2.type === 'stp-state' && e2.state).toBe('disabled');
    expect(e4.type === 'stp-state' && e4.state).toBe('forwarding');
    const leave = events[5]!;
    expect(leave.type === 'port-leave' && [leave.bridge, leave.deleted, leave.mac]).toEqual(['br0', true, parseMac('00:18:51:00:00:01')]);
    expect(e8.type === 'oper-state' && e8.state).toBe('down');
    expect(events.every((e) => e.source === 'rtnetlink' && e.time !== null)).toBe(true);
    expect(tracker.malformed).toBe(0);
  });

  it('counts malformed messages and keeps going', () => {
    const tracker = new LinkTracker();
    const good = encode(0, 7, { ifname: 'tap0', address: mac('52:54:00:12:34:56') });
    expect(tracker.handle(RTM_NEWLINK, good.subarray(0, 9), T(0), 0)).toEqual([]); // shorter than ifinfomsg
    expect(tracker.handle(RTM_NEWLINK, Buffer.from('ffffffffffffffffffffffffffffffff0400ffff', 'hex'), T(0), 0)).toEqual([]);
    expect(tracker.handle(RTM_NEWLINK, encode(0, 0, { ifname: 'bad' }), T(0), 0)).toEqual([]); // ifindex 0
    expect(tracker.malformed).toBe(3);
    expect(tracker.handle(RTM_NEWLINK, good, T(1), 1).map((e) => e.type)).toEqual(['link-add']);
    expect(tracker.handle(24 /* RTM_NEWROUTE */, good, T(2), 2)).toEqual([]);
  });
});

describe('IFLA_LINKINFO kind', () => {
  it('marks a bridge without ports as a bridge; truncated linkinfo is ignored', () => {
    // IFLA_LINKINFO { IFLA_INFO_KIND "bridge\0" }: len 11 type 1, padded to 12; outer len 16
    const linkinfo = Buffer.from('0b000100627269646765000000', 'hex').subarray(0, 12);
    const tracker = new LinkTracker();
    tracker.loadSnapshot([rt.parseLinkMessage(encode(0, 9, { ifname: 'br9', linkinfo }))], []);
    expect(tracker.snapshot()[0]).toMatchObject({ ifname: 'br9', isBridge: true });
    const broken = new LinkTracker();
    broken.loadSnapshot([rt.parseLinkMessage(encode(0, 9, { ifname: 'br9', linkinfo: linkinfo.subarray(0, 6) }))], []);
    expect(broken.snapshot()[0]).toMatchObject({ ifname: 'br9', isBridge: false });
  });
});
