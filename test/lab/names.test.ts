/**
 * The lab's plain interface names and the kernel-log filter that replaced per-run name tags.
 * The dmesg fixture is lines of a real `npm run lab -- stp-loop` run on this machine (dmesg
 * --time-format iso), plus lines another lab (`bwhs...`) and an earlier run wrote meanwhile, copied
 * from the same ring buffer; shortened.
 */
import { describe, expect, it } from 'vitest';
import { dmesgLineMs, filterKernelLog } from '../../tools/lab/recorders.js';
import { makeNames } from '../../tools/lab/topology.js';
import { fromIso } from '../../src/time.js';

const DMESG = [
  '2026-11-21T10:40:01,000100+00:00 br0: port 2(vnet0) entered forwarding state', // earlier run: before the window
  '2026-11-21T10:42:52,221079+00:00 br0: port 1(eth0) entered blocking state',
  '2026-11-21T10:42:52,221137+00:00 eth0: entered promiscuous mode',
  '2026-11-21T10:42:57,048526+00:00 hub0: port 1(eth0) entered blocking state',
  '2026-11-21T10:42:57,054475+00:00 eth1: entered promiscuous mode',
  '2026-11-21T10:42:57,072435+00:00 br0: port 2(vnet0) entered blocking state',
  '2026-11-21T10:43:03,488333+00:00 bwhs12244g78: entered promiscuous mode', // another team's interface
  '2026-11-21T10:43:03,492471+00:00 vnet10: entered promiscuous mode', // not vnet1
  '2026-11-21T10:43:03,500000+00:00 br0: port 3(vnet1) entered blocking state',
  '2026-11-21T10:43:05,000000+00:00 br0: port 3(vnet1) entered disabled state', // after the window
  '',
].join('\n');

const window = { start: fromIso('2026-11-21T10:42:52.000000Z')!, end: fromIso('2026-11-21T10:43:04.000000Z')! };

describe('kernel log of one lab run', () => {
  it('reads dmesg iso times (comma fraction, offset) to the microsecond', () => {
    expect(dmesgLineMs('2026-11-21T10:42:52,221079+00:00 br0: x')).toBeCloseTo(Date.UTC(2026, 10, 21, 10, 42, 52, 221) + 0.079, 2);
    expect(dmesgLineMs('2026-11-21T11:42:52,5+01:00 br0: x')).toBe(Date.UTC(2026, 10, 21, 10, 42, 52, 500));
    expect(dmesgLineMs('[  12.345678] br0: x')).toBeNull();
  });

  it("keeps the lines of the run's window that name its interfaces as whole words", () => {
    const lines = filterKernelLog(DMESG, ['br0', 'eth0', 'eth1', 'hub0', 'vnet0', 'vnet1'], window);
    expect(lines.map((l) => l.slice(17, 26))).toEqual(['52,221079', '52,221137', '57,048526', '57,054475', '57,072435', '03,500000']);
    expect(lines.join('\n')).not.toContain('vnet10');
    expect(lines.join('\n')).not.toContain('bwhs');
  });

  it('bounds the window by its marker lines when the log has them (dmesg clock, no margin)', () => {
    // The previous run's teardown lines come 0.3 s before this run's start marker: inside the
    // lab-clock margin, outside the markers (as recorded once on this machine before markers existed).
    const log = [
      '2026-11-21T10:43:45,102898+00:00 br0: port 2(vnet0) entered disabled state',
      '2026-11-21T10:43:45,400000+00:00 bridgewatch lab bwlab-7-2: start',
      '2026-11-21T10:43:45,419570+00:00 br0: port 1(eth0) entered blocking state',
      '2026-11-21T10:43:53,100000+00:00 bridgewatch lab bwlab-7-2: end',
      '2026-11-21T10:43:53,155000+00:00 eth0: left promiscuous mode',
    ].join('\n');
    const w = { start: fromIso('2026-11-21T10:43:45.400000Z')!, end: fromIso('2026-11-21T10:43:53.100000Z')! };
    expect(filterKernelLog(log, ['br0', 'eth0', 'vnet0'], w)).toHaveLength(3);
    const marked = filterKernelLog(log, ['br0', 'eth0', 'vnet0'], { ...w, startMarker: 'bridgewatch lab bwlab-7-2: start', endMarker: 'bridgewatch lab bwlab-7-2: end' });
    expect(marked).toEqual(['2026-11-21T10:43:45,419570+00:00 br0: port 1(eth0) entered blocking state']);
  });

  it('drops a line of a name the run never used', () => {
    expect(filterKernelLog(DMESG, ['br0', 'eth0'], window).some((l) => l.includes('hub0: port 1(eth0)'))).toBe(true);
    expect(filterKernelLog(DMESG, ['hub0'], window)).toHaveLength(1);
  });
});

describe('lab interface names', () => {
  it('uses plain names, numbering guest ports vnet0, vnet1... in the order they are created', () => {
    const a = makeNames();
    const b = makeNames();
    expect([a.bridge, a.uplink, a.neighbourIf]).toEqual(['br0', 'eth0', 'eth0']);
    expect(a.hostNs).not.toBe(b.hostNs);
    expect([a.port(1, 0), a.port(1, 1), a.port(2), a.port(1, 0)]).toEqual(['vnet0', 'vnet1', 'vnet2', 'vnet0']);
    expect([a.guestIf(1, 0), a.guestIf(1, 1)]).toEqual(['eth0', 'eth1']);
    a.addInterface('hub0');
    expect(a.interfaces().sort()).toEqual(['br0', 'eth0', 'eth1', 'hub0', 'vnet0', 'vnet1', 'vnet2']);
    expect(b.port(2)).toBe('vnet0');
    for (const n of a.interfaces()) expect(n.length).toBeLessThanOrEqual(15);
  });
});
