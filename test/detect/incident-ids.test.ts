/**
 * Issue 16 item 5: an incident's id is fixed when it opens. `live` prints the id the detector
 * announces through `onIncident`; the final analysis (and every report made from it) must call
 * the incident by that same id, even when incidents are listed in start order and one that
 * started earlier was recognised later. Both tests failed on main at b1d288e, where `finish()`
 * renumbered incidents in start order.
 */
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { compareTs } from '../../src/time.js';
import { arpFlux, mac, NEIGHBOUR, Trace, type Station } from './helpers.js';

/** Every incident's id as first announced, by address, and the incidents as `finish()` returns them. */
function run(tr: Trace): { firstId: Map<string, string>; openOrder: string[]; final: { id: string; ip: string; kind: string }[] } {
  const d = new Detector();
  const firstId = new Map<string, string>();
  const openOrder: string[] = [];
  d.onIncident = (inc) => {
    if (!firstId.has(inc.ip)) { firstId.set(inc.ip, inc.id); openOrder.push(inc.ip); }
  };
  for (const ev of tr.sorted()) d.push(ev);
  const { incidents } = d.finish();
  for (let i = 1; i < incidents.length; i++) expect(compareTs(incidents[i - 1]!.start, incidents[i]!.start)).toBeLessThanOrEqual(0);
  return { firstId, openOrder, final: incidents.map((i) => ({ id: i.id, ip: i.ip, kind: i.kind })) };
}

describe('incident ids', () => {
  it('keep the id they opened with when an earlier-starting incident is recognised later', () => {
    // Two silent MAC changes (ARP requests from a new MAC for an address another MAC used 0.5 s
    // before). A mac-change finding starts at the old MAC's last frame and is held clashWindowMs
    // (3 s) before it is published, so .20 (old MAC last seen at 0.25, new at 0.5) opens before
    // .10 (old MAC last seen at 0, new at 0.75), but .10 started first.
    const tr = new Trace();
    const a: Station = { ip: '192.0.2.10', mac: mac('02:00:00:00:00:0a') };
    const b: Station = { ip: '192.0.2.20', mac: mac('02:00:00:00:00:14') };
    tr.whoHas(0, a, '192.0.2.110');
    tr.whoHas(0.25, b, '192.0.2.120');
    tr.whoHas(0.5, { ...b, mac: mac('02:00:00:00:01:14') }, '192.0.2.121');
    tr.whoHas(0.75, { ...a, mac: mac('02:00:00:00:01:0a') }, '192.0.2.111');
    // A later frame lets capture time pass the hold: both changes are published (and announced).
    tr.whoHas(4.5, NEIGHBOUR, '192.0.2.130');
    const r = run(tr);
    expect(r.openOrder).toEqual(['192.0.2.20', '192.0.2.10']);
    // Listed in start order, each under the id it was announced with.
    expect(r.final.map((i) => [i.ip, i.kind])).toEqual([['192.0.2.10', 'mac-change'], ['192.0.2.20', 'mac-change']]);
    for (const i of r.final) expect(i.id, i.ip).toBe(r.firstId.get(i.ip));
    expect(new Set(r.final.map((i) => i.id)).size).toBe(2);
  });

  it('an incident merged into another (ARP flux) leaves the survivor its own id, and the merged id is not reused', () => {
    // One multi-homed host answering for .20 and .21 on both NICs: .20's and .21's clashes open an
    // incident each once their first change's hold has passed (t=6), and .21's is merged into
    // .20's (one arp-flux incident per host, start 1). Before them, at 2.29, an ARP storm for .30
    // (30 requests 10 ms apart from 2.0, then answered) opens: first opened, started second.
    const tr = new Trace();
    const c: Station = { ip: '192.0.2.30', mac: mac('02:00:00:00:00:1e') };
    for (let k = 0; k < 30; k++) tr.whoHas(2 + k / 100, NEIGHBOUR, c.ip);
    tr.isAt(2.295, c, NEIGHBOUR);
    arpFlux(tr);
    const r = run(tr);
    expect(r.openOrder).toEqual(['192.0.2.30', '192.0.2.20', '192.0.2.21']);
    expect(r.final.map((i) => [i.ip, i.kind])).toEqual([['192.0.2.20', 'arp-flux'], ['192.0.2.30', 'arp-storm']]);
    for (const i of r.final) expect(i.id, i.ip).toBe(r.firstId.get(i.ip));
    // .21's own incident was merged away: its id names nothing in the final list.
    expect(r.final.map((i) => i.id)).not.toContain(r.firstId.get('192.0.2.21'));
  });
});
