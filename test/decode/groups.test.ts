/**
 * The decoder marks group and unspecified addresses (`srcGroup`, `dstGroup`) from the bytes:
 * IPv4 0.0.0.0 and 224.0.0.0 and above, IPv6 :: and ff00::/8. Detection relies on these to skip
 * traffic nobody answers, so it never parses the address text.
 */
import { describe, expect, it } from 'vitest';
import { decodePacket } from '../../src/decode/index.js';
import { ICMP_ECHO_REQUEST, IPV6_UDP } from './frames.js';
import { packetOf } from './packet.js';

/** ICMP_ECHO_REQUEST with its addresses (8 hex digits each) replaced. */
function ipv4(src: string, dst: string): string {
  return ICMP_ECHO_REQUEST.replace('c0000201 c0000202', `${src} ${dst}`);
}

/** IPV6_UDP with its 32-digit addresses replaced. */
function ipv6(src: string, dst: string): string {
  return IPV6_UDP.replace(IPV6_SRC, src).replace(IPV6_DST, dst);
}
const IPV6_SRC = '20010db8000000000000000000000001';
const IPV6_DST = '20010db8000000000000000000000002';

function groups(hex: string): [boolean, boolean] {
  const ev = decodePacket(packetOf(hex));
  if (ev?.kind !== 'ip') throw new Error(`not an ip event: ${ev?.kind}`);
  return [ev.srcGroup, ev.dstGroup];
}

describe('srcGroup and dstGroup', () => {
  it('IPv4: unspecified, multicast, reserved and limited broadcast are groups; unicast and subnet broadcasts are not', () => {
    expect(groups(ipv4('c0000201', 'c0000202'))).toEqual([false, false]);
    expect(groups(ipv4('00000000', 'ffffffff'))).toEqual([true, true]); // DHCP discover: 0.0.0.0 -> 255.255.255.255
    expect(groups(ipv4('c0000201', 'e0000001'))).toEqual([false, true]); // 224.0.0.1
    expect(groups(ipv4('c0000201', 'f0000001'))).toEqual([false, true]); // 240.0.0.1 (reserved)
    expect(groups(ipv4('dfffffff', 'c00002ff'))).toEqual([false, false]); // 223.255.255.255, 192.0.2.255
    expect(groups(ipv4('00000001', 'c0000202'))).toEqual([false, false]); // 0.0.0.1 is not unspecified
  });

  it('IPv6: :: and ff00::/8 are groups; 0ff0:: and ::1 are not', () => {
    expect(IPV6_UDP).toContain(IPV6_SRC);
    expect(IPV6_UDP).toContain(IPV6_DST);
    expect(groups(ipv6(IPV6_SRC, IPV6_DST))).toEqual([false, false]);
    expect(groups(ipv6('0'.repeat(32), 'ff020000000000000000000000000001'))).toEqual([true, true]);
    expect(groups(ipv6('0ff00000000000000000000000000001', '00000000000000000000000000000001'))).toEqual([false, false]);
  });
});
