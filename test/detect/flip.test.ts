/**
 * The bridge MAC flip (REFERENCE.md section 1) and its IPv6 twin, from synthetic neighbour-side
 * events built by test/detect/helpers.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MacChangeFinding, ReplyGapFinding } from '../../src/detect/types.js';
import { PacketType } from '../../src/decode/events.js';
import { BROADCAST_MAC } from '../../src/net/mac.js';
import { bridgeFlip, detect, HOST_NEW, HOST_OLD, mac, NEIGHBOUR, rel, Trace, type Station } from './helpers.js';

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('bridge MAC flip at the neighbour (IPv4)', () => {
  const tr = new Trace();
  bridgeFlip(tr);
  const run = detect(tr.sorted());

  it('is one critical bridge-mac-flip incident for the host address', () => {
    const inc = only(run.incidents);
    expect(inc).toMatchObject({ id: 'I1', kind: 'bridge-mac-flip', severity: 'critical', ip: '192.0.2.1', vlan: null });
    expect(inc.findings.map((i) => run.findings[i]!.kind).sort()).toEqual(['mac-change', 'reply-gap']);
  });

  it('folds A->B->A into one mac-change with bracketed steps', () => {
    const change = only(run.findings.filter((f): f is MacChangeFinding => f.kind === 'mac-change'));
    expect(change.sequence).toEqual([HOST_OLD.mac, HOST_NEW.mac, HOST_OLD.mac]);
    expect(change.fromMac).toBe(HOST_OLD.mac);
    expect(change.toMac).toBe(HOST_NEW.mac);
    expect(change.announced).toBe(false);
    expect(change.newMacLower).toBe(true);
    const [join, leave] = change.steps!;
    // The join happened at 7.536 (first claim from the new MAC); the last echo reply from the old
    // MAC was 7.4005.
    expect(rel(join!.lastOld)).toBeCloseTo(7.4005, 6);
    expect(rel(join!.firstNew)).toBeCloseTo(7.536, 6);
    // The port left at 17.5: inside [last reply from the new MAC, reply from the old MAC].
    expect(rel(leave!.lastOld)).toBeLessThanOrEqual(17.5);
    expect(rel(leave!.firstNew)).toBeGreaterThanOrEqual(17.5);
    expect(leave!.learnedBy).toBe('arp-reply');
  });

  it('measures the outage from the last reply to the first answer, toward the stale MAC', () => {
    const gap = only(run.findings.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap'));
    expect(rel(gap.start)).toBeCloseTo(17.4005, 6);
    expect(rel(gap.end)).toBeCloseTo(40.401, 6);
    expect(gap.durationMs).toBeCloseTo(23000.5, 3);
    expect(gap.staleMac).toBe(HOST_NEW.mac);
    expect(gap.answeredBy).toBe(HOST_OLD.mac);
    expect(gap.requesters).toEqual([NEIGHBOUR.ip]);
    // 3 unicast probes + the broadcast; the broadcast was answered.
    expect(gap.unansweredRequests).toBe(3);
    // Echo requests 17.6..40.4 (115) + 3 unicast probes went to the stale MAC.
    expect(gap.framesToStaleMac).toBe(118);
    expect(gap.ongoing).toBe(false);
  });

  it('announces the incident before finish() (live mode)', () => {
    expect(run.announcedEarly.length).toBeGreaterThan(0);
    expect(run.announcedEarly).toContain('mac-change@192.0.2.1');
    expect(run.announcedEarly).toContain('bridge-mac-flip@192.0.2.1');
  });
});

describe('bridge MAC flip (IPv6 twin with NS/NA)', () => {
  const old: Station = { ip: '2001:db8::1', mac: HOST_OLD.mac };
  const neu: Station = { ip: '2001:db8::1', mac: HOST_NEW.mac };
  const nb: Station = { ip: '2001:db8::fe', mac: NEIGHBOUR.mac };
  const tr = new Trace();
  for (let i = 1; i < 225; i++) {
    const t = Math.round(i * 200) / 1000;
    if (t > 40.4) tr.ping(t, nb, old, true);
    else if (t >= 7.6 && t < 17.5) tr.ping(t, nb, neu, true);
    else if (t < 7.536) tr.ping(t, nb, old, true);
    else if (t >= 17.5) tr.ping(t, nb, neu, false);
  }
  tr.ns(7.536, neu, nb.ip);
  tr.na(7.5365, nb, neu);
  for (const t of [37.27, 38.3, 39.32]) tr.ns(t, nb, old.ip, neu.mac);
  tr.ns(40.4, nb, old.ip);
  tr.na(40.401, old, nb);
  const run = detect(tr.sorted());

  it('finds the same flip and outage', () => {
    const inc = only(run.incidents);
    expect(inc.kind).toBe('bridge-mac-flip');
    expect(inc.ip).toBe('2001:db8::1');
    const gap = only(run.findings.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap'));
    expect(gap.durationMs).toBeGreaterThan(22_900);
    expect(gap.durationMs).toBeLessThan(23_100);
    expect(gap.staleMac).toBe(neu.mac);
    const change = only(run.findings.filter((f): f is MacChangeFinding => f.kind === 'mac-change'));
    expect(change.sequence).toEqual([old.mac, neu.mac, old.mac]);
    expect(change.steps![1]!.learnedBy).toBe('ndp-na-override');
  });
});

describe('tcpdump -i any duplicates', () => {
  it('gives the same result as the single copy (SLL: HOST and OUTGOING copies)', () => {
    const single = new Trace({ packetType: PacketType.HOST });
    bridgeFlip(single);
    const doubled = new Trace({ packetType: PacketType.HOST });
    bridgeFlip(doubled);
    bridgeFlip(doubled, undefined, undefined, undefined, { packetType: PacketType.OUTGOING, interfaceId: 0 });
    const a = detect(single.sorted());
    const b = detect(doubled.sorted());
    expect(b.detector.state().duplicatesDropped).toBeGreaterThan(200);
    expect(b.incidents.map((i) => [i.kind, i.severity])).toEqual(a.incidents.map((i) => [i.kind, i.severity]));
    const gapA = a.findings.find((f): f is ReplyGapFinding => f.kind === 'reply-gap')!;
    const gapB = b.findings.find((f): f is ReplyGapFinding => f.kind === 'reply-gap')!;
    expect(gapB.unansweredRequests).toBe(gapA.unansweredRequests);
    expect(gapB.durationMs).toBeCloseTo(gapA.durationMs, 6);
    // SLL carries no destination MAC, so the stale MAC is unknown from this vantage point.
    expect(gapB.staleMac).toBeNull();
  });

  it('keeps frames that only look alike but are further apart than the window', () => {
    const tr = new Trace();
    const nb = NEIGHBOUR;
    tr.whoHas(1, nb, '192.0.2.9');
    tr.whoHas(1.5, nb, '192.0.2.9');
    const run = detect(tr.sorted());
    expect(run.detector.state().duplicatesDropped).toBe(0);
  });
});

describe('a host simply switched off', () => {
  it('is an ongoing outage with no MAC change', () => {
    const tr = new Trace();
    const host = { ip: '192.0.2.7', mac: mac('52:54:00:12:34:56') };
    tr.whoHas(0.1, NEIGHBOUR, host.ip);
    tr.isAt(0.1002, host, NEIGHBOUR);
    for (let i = 1; i <= 100; i++) tr.ping(i * 0.2, NEIGHBOUR, host, i <= 25); // off after 5.0
    for (const t of [12, 13, 14]) tr.whoHas(t, NEIGHBOUR, host.ip, host.mac);
    tr.whoHas(15, NEIGHBOUR, host.ip, BROADCAST_MAC);
    const run = detect(tr.sorted());
    const inc = only(run.incidents);
    expect(inc).toMatchObject({ kind: 'outage', severity: 'critical', ip: host.ip });
    const gap = only(run.findings.filter((f): f is ReplyGapFinding => f.kind === 'reply-gap'));
    expect(gap.ongoing).toBe(true);
    expect(gap.answeredBy).toBeNull();
    expect(rel(gap.start)).toBeCloseTo(5.0005, 6);
    expect(rel(gap.end)).toBeCloseTo(20, 6);
    expect(gap.unansweredRequests).toBe(4);
    expect(run.findings.some((f) => f.kind === 'mac-change')).toBe(false);
  });
});
