/**
 * The chance per start that a guest's host-side port takes the bridge MAC, per MAC generator.
 * What each generator really puts on the HOST side (the side that joins the bridge):
 * - kernel `eth_random_addr` (Proxmox taps and fwpr veths, Docker veths): 6 random bytes, then
 *   `addr[0] &= 0xfe; addr[0] |= 0x02`, so the first octet is one of 0x02, 0x06, ..., 0xfe;
 * - LXC: that random MAC with byte 0 overwritten by 0xfe (`setup_private_host_hw_addr`);
 * - libvirt: the guest MAC (52:54:00:xx:xx:xx by default) with byte 0 = 0xfe (0xfa if it was 0xfe);
 * - OpenVZ: `host_mac` from the config, or vzctl's 00:18:51 (SW_OUI) + 3 hashed bytes.
 * The guest-side prefixes (libvirt 52:54:00, LXC 00:16:3e, Docker 02:42) never join the bridge.
 * Expected values are derived here independently: by enumerating the first octet through the same
 * bit operations, and by simulating eth_random_addr with a seeded generator.
 */
import { describe, expect, it } from 'vitest';
import { formatMac, parseMac } from '../../src/net/mac.js';
import { chanceBelow, prefixBelow, randomBelow } from '../../src/guests/chance.js';
import { parseLibvirtDomain } from '../../src/guests/libvirt.js';
import { xorshift32 } from '../xorshift.js';

const UPLINK = 'b4:99:ba:11:22:33';
const mac = (s: string): number => parseMac(s)!;

/** eth_random_addr (include/linux/etherdevice.h) fed by xorshift32 bytes. */
function ethRandomAddr(next: () => number): number {
  const bytes = [next() & 0xff, next() & 0xff, next() & 0xff, next() & 0xff, next() & 0xff, next() & 0xff];
  bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return bytes.reduce((acc, b) => acc * 256 + b, 0);
}

describe('random locally administered MACs (eth_random_addr)', () => {
  it('is below b4:99:ba:11:22:33 in exactly 45 of 64 first octets: 70.3%', () => {
    // Enumerate all 256 values of the random first byte through the kernel's two bit operations.
    let below = 0;
    for (let b = 0; b < 256; b++) if (((b & 0xfe) | 0x02) < 0xb4) below++;
    expect(below / 256).toBe(45 / 64);
    expect(randomBelow(mac(UPLINK))).toBe(45 / 64);
    expect((randomBelow(mac(UPLINK)) * 100).toFixed(1)).toBe('70.3');
  });

  it('matches a simulation of eth_random_addr for uplinks of several vendors (200 000 draws, within 4 sigma)', () => {
    const next = xorshift32(0x5eed);
    const draws = Array.from({ length: 200_000 }, () => ethRandomAddr(next));
    for (const ref of [UPLINK, '00:25:90:aa:bb:cc', '3c:ec:ef:00:00:01', 'f8:bc:12:34:56:78', '02:80:00:00:00:00', 'fe:00:00:00:00:00']) {
      const p = randomBelow(mac(ref));
      const seen = draws.filter((d) => d < mac(ref)).length / draws.length;
      const sigma = Math.sqrt(Math.max(p * (1 - p), 1e-9) / draws.length);
      expect(Math.abs(seen - p), `${ref}: formula ${p}, simulated ${seen}`).toBeLessThanOrEqual(4 * sigma + 1e-9);
    }
  });

  it('never undercuts an uplink whose first octet is 0x00 or 0x01; partly when the uplink shares a random first octet', () => {
    expect(randomBelow(mac('00:25:90:aa:bb:cc'))).toBe(0);
    expect(randomBelow(mac('01:00:00:00:00:00'))).toBe(0);
    expect(randomBelow(mac('02:80:00:00:00:00'))).toBe(0.5 / 64); // half of the 0x02 octet, nothing below it
    expect(randomBelow(mac('f8:bc:12:34:56:78'))).toBe(62 / 64); // 0x02..0xf6
    expect(randomBelow(mac('ff:ff:ff:ff:ff:ff'))).toBe(1);
  });
});

describe('fixed prefixes', () => {
  it('LXC host veths (fe + 5 random bytes) never undercut a b4: uplink; half the time an fe:80: one', () => {
    expect(prefixBelow('fe', mac(UPLINK))).toBe(0);
    expect(prefixBelow('fe', mac('fe:80:00:00:00:00'))).toBe(0.5);
    expect(prefixBelow('fe', mac('ff:00:00:00:00:00'))).toBe(1);
  });

  it('vzctl-generated OpenVZ host MACs (00:18:51 + 3 bytes) always undercut it, unless the uplink is in 00:18:51 too', () => {
    expect(prefixBelow('00:18:51', mac(UPLINK))).toBe(1);
    expect(prefixBelow('00:18:51', mac('00:18:51:80:00:00'))).toBe(0.5);
    expect(prefixBelow('00:18:51', mac('00:0a:f7:00:00:01'))).toBe(0);
  });
});

describe('per generator against the b4:99:ba:11:22:33 uplink', () => {
  const cases: Array<[string, Parameters<typeof chanceBelow>[0], number]> = [
    ['Proxmox tap / fwpr veth, Docker veth: kernel random', { kind: 'random' }, 45 / 64],
    ['LXC / Proxmox CT veth: fe + random', { kind: 'prefix', prefix: 'fe' }, 0],
    ['libvirt tap of a 52:54:00 guest: fe:54:00 + random', { kind: 'prefix', prefix: 'fe:54:00' }, 0],
    ['libvirt tap of guest 00:16:3e:5d:c7:9e', { kind: 'fixed', mac: 'fe:16:3e:5d:c7:9e' }, 0],
    ['OpenVZ host_mac 00:18:51:30:1b:2a', { kind: 'fixed', mac: '00:18:51:30:1b:2a' }, 1],
    ['OpenVZ without host_mac: 00:18:51 + hash', { kind: 'prefix', prefix: '00:18:51' }, 1],
    ['OpenVZ host_mac=FE:FF:FF:FF:FF:FF (the fix)', { kind: 'fixed', mac: 'fe:ff:ff:ff:ff:ff' }, 0],
  ];
  for (const [name, host, expected] of cases) {
    it(name, () => expect(chanceBelow(host, UPLINK)).toBe(expected));
  }

  it('the guest-side 52:54:00 MAC is below the uplink, but libvirt\'s tap (what joins) is not', () => {
    const r = parseLibvirtDomain("<domain><name>v</name><devices><interface type='bridge'><mac address='52:54:00:12:34:56'/>"
      + "<source bridge='br0'/></interface></devices></domain>", 'v.xml', new Map(), null);
    const port = r.ports[0]!;
    expect(mac(port.guestMac!)).toBeLessThan(mac(UPLINK));
    expect(port.hostMac).toEqual({ kind: 'fixed', mac: 'fe:54:00:12:34:56' });
    expect(chanceBelow(port.hostMac, UPLINK)).toBe(0);
  });

  it('a fixed MAC equal to the reference does not take it (strictly below)', () => {
    expect(chanceBelow({ kind: 'fixed', mac: UPLINK }, UPLINK)).toBe(0);
    expect(chanceBelow({ kind: 'fixed', mac: formatMac(mac(UPLINK) - 1) }, UPLINK)).toBe(1);
  });
});
