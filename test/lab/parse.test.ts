/**
 * Unit tests of the lab's small parsers. Fixtures are text lines copied from a real run on this
 * kernel (`npm run lab -- guest-start-stop`, ip -ts monitor link / ping -D output), shortened.
 */
import { describe, expect, it } from 'vitest';
import { bridgeMacChanges, bridgeMacLines, parsePingReplies, replyGaps } from '../../tools/lab/parse.js';
import { toIso } from '../../src/time.js';

// ip -ts monitor link in the host namespace: port join (the port's own lines, then the bridge's new
// MAC), and the port's deletion followed by the bridge reverting.
const IP_MONITOR = [
  '[2026-11-21T09:38:58.681423] 2: bdl0g7br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
  '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
  '[2026-11-21T09:39:00.161747] 4: bdl0g7vnet1@bdl0g7br0: <NO-CARRIER,BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master bdl0g7br0 state DOWN ',
  '    link/ether 00:18:51:00:00:01',
  '[2026-11-21T09:39:00.161751] 2: bdl0g7br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
  '    link/ether 00:18:51:00:00:01 brd ff:ff:ff:ff:ff:ff',
  '[2026-11-21T09:39:00.161760] 2: bdl0g7br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
  '    link/ether 00:18:51:00:00:01 brd ff:ff:ff:ff:ff:ff',
  '[2026-11-21T09:39:02.665571] Deleted 4: bdl0g7vnet1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue master bdl0g7br0 state DOWN group default ',
  '    link/ether 00:18:51:00:00:01 brd ff:ff:ff:ff:ff:ff',
  '[2026-11-21T09:39:02.665787] 2: bdl0g7br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
  '    link/ether b4:99:ba:11:22:33 brd ff:ff:ff:ff:ff:ff',
  '',
].join('\n');

describe('bridge MAC lines of ip -ts monitor link', () => {
  it('keeps only the bridge lines, with their MAC and line number', () => {
    const lines = bridgeMacLines(IP_MONITOR, 'bdl0g7br0');
    expect(lines.map((l) => [toIso(l.t), l.mac, l.line])).toEqual([
      ['2026-11-21T09:38:58.681423000Z', 'b4:99:ba:11:22:33', 1],
      ['2026-11-21T09:39:00.161751000Z', '00:18:51:00:00:01', 5],
      ['2026-11-21T09:39:00.161760000Z', '00:18:51:00:00:01', 7],
      ['2026-11-21T09:39:02.665787000Z', 'b4:99:ba:11:22:33', 11],
    ]);
  });

  it('reports each change once, from the initial MAC', () => {
    const changes = bridgeMacChanges(IP_MONITOR, 'bdl0g7br0', 'B4:99:BA:11:22:33');
    expect(changes.map((c) => [toIso(c.t), c.fromMac, c.toMac])).toEqual([
      ['2026-11-21T09:39:00.161751000Z', 'b4:99:ba:11:22:33', '00:18:51:00:00:01'],
      ['2026-11-21T09:39:02.665787000Z', '00:18:51:00:00:01', 'b4:99:ba:11:22:33'],
    ]);
  });

  it('does not take a port whose name starts with the bridge name', () => {
    expect(bridgeMacLines(IP_MONITOR, 'bdl0g7br')).toEqual([]);
    expect(bridgeMacLines(IP_MONITOR, 'bdl0g7vnet1').map((l) => l.line)).toEqual([3]);
  });
});

// ping -D -O output of the neighbour across an outage (reply, unanswered, reply, duplicate).
const PING = [
  'PING 192.0.2.1 (192.0.2.1) 16(44) bytes of data.',
  '[1795253942.649548] 24 bytes from 192.0.2.1: icmp_seq=100 ttl=64 time=0.052 ms',
  '[1795253942.700010] no answer yet for icmp_seq=101',
  '[1795253945.885830] 24 bytes from 192.0.2.1: icmp_seq=259 ttl=64 time=0.061 ms',
  '[1795253945.905831] 24 bytes from 192.0.2.1: icmp_seq=260 ttl=64 time=0.050 ms',
  '[1795253945.905900] 24 bytes from 2001:db8::1: icmp_seq=260 ttl=64 time=0.050 ms (DUP!)',
  '',
  '--- 192.0.2.1 ping statistics ---',
].join('\n');

describe('ping -D replies and gaps', () => {
  it('reads µs timestamps, sequence and source', () => {
    const r = parsePingReplies(PING);
    expect(r.map((x) => [x.t.sec, x.t.nsec, x.seq, x.from])).toEqual([
      [1795253942, 649548000, 100, '192.0.2.1'],
      [1795253945, 885830000, 259, '192.0.2.1'],
      [1795253945, 905831000, 260, '192.0.2.1'],
      [1795253945, 905900000, 260, '2001:db8::1'],
    ]);
  });

  it('finds the gap between the last reply before and the first after', () => {
    const gaps = replyGaps(parsePingReplies(PING), 500);
    expect(gaps).toHaveLength(1);
    expect(toIso(gaps[0]!.start)).toBe('2026-11-21T09:39:02.649548000Z');
    expect(toIso(gaps[0]!.end)).toBe('2026-11-21T09:39:05.885830000Z');
    expect(gaps[0]!.durationMs).toBeCloseTo(3236.282, 3);
    expect(replyGaps(parsePingReplies(PING), 4000)).toEqual([]);
  });
});
