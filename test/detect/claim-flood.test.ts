/**
 * `claim-flood`: addresses rebound to new MACs faster than any real network moves them become one
 * finding and one incident, not a `mac-change` each; real moves before and after are still seen.
 */
import { describe, expect, it } from 'vitest';
import type { ClaimFloodFinding, MacChangeFinding } from '../../src/detect/types.js';
import { detect, mac, NEIGHBOUR, Trace, type Station } from './helpers.js';

const hex = (n: number) => n.toString(16).padStart(2, '0');
const DOC_NETS = ['192.0.2', '198.51.100', '203.0.113'];
/** 768 addresses (the three IPv4 documentation /24s), each first claimed by its own MAC. */
const HOSTS: Station[] = Array.from({ length: 768 }, (_, i) => ({ ip: `${DOC_NETS[i >> 8]!}.${i & 0xff}`, mac: mac(`52:54:00:00:${hex(i >> 8)}:${hex(i & 0xff)}`) }));
/** A MAC no host has: the n-th spoofed claim. */
const spoofMac = (n: number) => mac(`02:00:00:${((n >> 16) & 0xff).toString(16).padStart(2, '0')}:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`);

/**
 * `count` spoofed claims from `t0`, `gapS` apart, cycling through the hosts (with 0.2 ms gaps one
 * address is reclaimed every 154 ms: moves, not concurrent answers).
 */
function flood(tr: Trace, t0: number, count: number, gapS: number): void {
  for (let i = 0; i < count; i++) {
    const host = HOSTS[i % HOSTS.length]!;
    tr.isAt(t0 + i * gapS, { ip: host.ip, mac: spoofMac(i) }, NEIGHBOUR);
  }
}

describe('claim-flood', () => {
  it('5000 spoofed claims in 1 s are one critical claim-flood incident and no mac-change findings', () => {
    const tr = new Trace();
    HOSTS.forEach((h, i) => tr.isAt(1 + i * 0.001, h, NEIGHBOUR));
    flood(tr, 5, 5000, 0.0002);
    const run = detect(tr.sorted());
    const floods = run.findings.filter((f): f is ClaimFloodFinding => f.kind === 'claim-flood');
    expect(floods).toHaveLength(1);
    expect(floods[0]!.claims).toBe(5000);
    expect(floods[0]).toMatchObject({ ip: '*', vlan: null, distinctIps: 768, distinctMacs: 5000 - 999 });
    expect(floods[0]!.peakRate).toBeGreaterThanOrEqual(4000);
    expect(floods[0]!.sampleMacs).toHaveLength(8);
    expect(run.findings.filter((f) => f.kind === 'mac-change')).toEqual([]);
    expect(run.incidents.map((i) => [i.kind, i.severity])).toEqual([['claim-flood', 'critical']]);
  });

  it('254 addresses moving to new MACs in one second (announced) are moves, not a flood', () => {
    const tr = new Trace();
    HOSTS.forEach((h, i) => tr.isAt(1 + i * 0.001, h, NEIGHBOUR));
    for (let i = 0; i < 254; i++) tr.garp(20 + i * 0.003, { ip: HOSTS[i]!.ip, mac: spoofMac(i) });
    const run = detect(tr.sorted());
    expect(run.findings.some((f) => f.kind === 'claim-flood')).toBe(false);
    expect(run.findings.filter((f) => f.kind === 'mac-change')).toHaveLength(254);
  });

  it('ends when claims slow down: a real move afterwards is a mac-change again', () => {
    const tr = new Trace();
    HOSTS.forEach((h, i) => tr.isAt(1 + i * 0.001, h, NEIGHBOUR));
    flood(tr, 5, 3000, 0.0002);
    const moved: Station = { ip: HOSTS[7]!.ip, mac: mac('52:54:00:00:03:07') };
    tr.garp(60, moved);
    const run = detect(tr.sorted());
    expect(run.findings.filter((f) => f.kind === 'claim-flood')).toHaveLength(1);
    const changes = run.findings.filter((f): f is MacChangeFinding => f.kind === 'mac-change');
    expect(changes.map((c) => c.toMac)).toEqual([moved.mac]);
  });

  it('is per VLAN, and claimFloodMinChanges: 0 turns it off', () => {
    const tr = new Trace({ vlan: 30 });
    HOSTS.forEach((h, i) => tr.isAt(1 + i * 0.001, h, NEIGHBOUR));
    flood(tr, 5, 2000, 0.0002);
    const on = detect(tr.sorted());
    expect(on.findings.filter((f) => f.kind === 'claim-flood').map((f) => f.vlan)).toEqual([30]);
    const off = detect(tr.sorted(), { claimFloodMinChanges: 0 });
    expect(off.findings.some((f) => f.kind === 'claim-flood')).toBe(false);
    expect(off.findings.length).toBeGreaterThan(100);
  });

  it('a host answering proxy ARP for 50 containers is no flood; one MAC claiming 768 new addresses in a second is', () => {
    const venet: Station = { ip: '192.0.2.1', mac: mac('00:18:51:00:00:01') };
    const calm = new Trace();
    for (let i = 0; i < 50; i++) calm.isAt(1 + i * 0.02, { ip: `192.0.2.${100 + i}`, mac: venet.mac }, NEIGHBOUR);
    const run = detect(calm.sorted(), { claimFloodMinChanges: 500 });
    expect(run.findings).toEqual([]);
    const wild = new Trace();
    HOSTS.forEach((h, i) => wild.isAt(1 + i * 0.001, { ip: h.ip, mac: venet.mac }, NEIGHBOUR));
    // Three doc /24s are 768 addresses: the threshold comes down to fit them.
    const flooded = detect(wild.sorted(), { claimFloodMinChanges: 500 });
    const floods = flooded.findings.filter((f): f is ClaimFloodFinding => f.kind === 'claim-flood');
    expect(floods.map((f) => [f.distinctMacs, f.sampleMacs])).toEqual([[1, [venet.mac]]]);
    expect(flooded.incidents.map((i) => i.kind)).toEqual(['claim-flood']);
  });
});
