/** Address classes the detector relies on, checked against Node's own parser where one exists. */
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isGroupOrUnspecifiedIp, isLinkLocal } from '../../src/detect/classify.js';

describe('isGroupOrUnspecifiedIp', () => {
  it('every IPv4 first octet: 224 and above are group/reserved, and 0.0.0.0', () => {
    for (let first = 0; first <= 255; first++) {
      const ip = `${first}.1.2.3`;
      expect(isIP(ip)).toBe(4);
      expect(isGroupOrUnspecifiedIp(ip), ip).toBe(first >= 224);
    }
    expect(isGroupOrUnspecifiedIp('0.0.0.0')).toBe(true);
    expect(isGroupOrUnspecifiedIp('255.255.255.255')).toBe(true);
    expect(isGroupOrUnspecifiedIp('192.0.2.255')).toBe(false);
  });

  it('IPv6: :: and ff00::/8 (either case); IPv4-mapped addresses are IPv6 here', () => {
    for (const ip of ['::', 'ff02::1', 'ff02::1:ff00:1', 'FF05::2']) expect(isGroupOrUnspecifiedIp(ip), ip).toBe(true);
    for (const ip of ['::1', '2001:db8::1', 'fe80::1', 'f::1', '::ffff:224.0.0.1']) expect(isGroupOrUnspecifiedIp(ip), ip).toBe(false);
  });
});

describe('isLinkLocal', () => {
  it('169.254/16 and fe80::/10', () => {
    for (const ip of ['169.254.1.1', 'fe80::1', 'febf::1']) expect(isLinkLocal(ip), ip).toBe(true);
    for (const ip of ['169.25.1.1', '192.0.2.1', 'fec0::1', '2001:db8::1']) expect(isLinkLocal(ip), ip).toBe(false);
  });
});
