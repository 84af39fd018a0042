/**
 * Finished state is swept by capture time, so a long live run stays flat below the caps: ended
 * request bursts (pairs silent for FORGET_IDLE_S), probes past probeWindowMs, unresolved requests
 * past quietLeadMs.
 */
import { describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { mac, NEIGHBOUR, Trace, type Station } from './helpers.js';

describe('sweeping finished detection state', () => {
  it('forgets ended bursts, old probes and stale unresolved requests; keeps bindings and live bursts', () => {
    const tr = new Trace();
    for (let i = 1; i <= 50; i++) tr.whoHas(1 + i * 0.01, NEIGHBOUR, `192.0.2.${100 + i}`); // never answered
    for (let i = 1; i <= 20; i++) tr.probe(2 + i * 0.01, mac(`52:54:00:00:09:${i.toString(16).padStart(2, '0')}`), `198.51.100.${i}`);
    const host: Station = { ip: '192.0.2.7', mac: mac('52:54:00:00:00:07') };
    tr.isAt(3, host, NEIGHBOUR);
    const d = new Detector();
    for (const ev of tr.sorted()) d.push(ev);
    const before = d.state();
    expect(before.bursts).toBe(50);
    expect(before.unresolved).toBe(50);
    expect(before.probes).toBe(20);

    // 30 s later the pairs that asked once are still known (a host asks again within a minute)...
    const soon = new Trace();
    soon.whoHas(30, NEIGHBOUR, '192.0.2.9');
    for (const ev of soon.sorted()) d.push(ev);
    expect(d.state().bursts).toBe(51);
    expect(d.state().probes).toBe(0);

    // ...70 s later they are forgotten: one request still going on, then the sweep runs.
    const later = new Trace();
    later.whoHas(70, NEIGHBOUR, '192.0.2.8');
    later.whoHas(71, NEIGHBOUR, '192.0.2.8');
    for (const ev of later.sorted()) d.push(ev);
    const after = d.state();
    expect(after.bursts).toBe(2); // 192.0.2.8 going on, 192.0.2.9 asked 40 s ago
    expect(after.unresolved).toBe(1);
    expect(after.probes).toBe(0);
    expect(after.bindings).toBe(before.bindings);
    expect(after.bindings).toBeGreaterThanOrEqual(1);
  });
});
