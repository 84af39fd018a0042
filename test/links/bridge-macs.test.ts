/**
 * BridgeMacSpans: which MAC each bridge held, from a complete feed (a timed log or live rtnetlink).
 * Times are seconds after 09:00:00Z; MACs are small numbers.
 */
import { describe, expect, it } from 'vitest';
import { BridgeMacSpans } from '../../src/links/bridge-macs.js';
import { fromSeconds } from '../../src/time.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0) / 1000;
const at = (s: number): ReturnType<typeof fromSeconds> => fromSeconds(T0 + s);
/** `bridge mac since-until` in seconds after T0, of the record from T0 to `until`. */
const rows = (spans: BridgeMacSpans, until: number | null): string[] =>
  (spans.record(at(0), until === null ? null : at(until))?.spans ?? []).map((h) => `${h.bridge} ${h.mac} ${h.since.sec - T0}-${h.until.sec - T0}`);

describe('BridgeMacSpans', () => {
  it('a repeated sighting extends the span; another MAC closes it; open spans end where asked, without being closed', () => {
    const spans = new BridgeMacSpans('rtnetlink');
    spans.seen('br0', 5, at(0), null);
    spans.seen('br0', 5, at(4), null);
    spans.seen('br1', 9, at(1), null);
    spans.seen('br0', 3, at(10), null);
    expect(rows(spans, 20)).toEqual(['br0 5 0-10', 'br0 3 10-20', 'br1 9 1-20']);
    // Asking again later gives longer open spans: the feed went on.
    expect(rows(spans, 30)).toEqual(['br0 5 0-10', 'br0 3 10-30', 'br1 9 1-30']);
    // Without an end the record is unknown.
    expect(spans.record(at(0), null)).toBeNull();
  });

  it('a broken feed ends every span where it broke and takes nothing after', () => {
    const spans = new BridgeMacSpans('rtnetlink');
    spans.seen('br0', 5, at(0), null);
    spans.stop(at(8));
    spans.seen('br0', 3, at(12), null);
    spans.deleted('br0', at(15));
    expect(rows(spans, 20)).toEqual(['br0 5 0-8']);
    expect(spans.record(at(0), at(20))!.last).toEqual(at(8));
  });

  it('a deleted bridge ends its span; a sighting without a time voids the whole record', () => {
    const spans = new BridgeMacSpans('host.log');
    spans.seen('br0', 5, at(0), 1);
    spans.deleted('br0', at(6));
    expect(spans.record(at(0), at(20))!.spans.map((h) => [h.path, h.line, h.until.sec - T0])).toEqual([['host.log', 1, 6]]);
    spans.seen('br0', 5, null, 9);
    expect(spans.record(at(0), at(20))).toBeNull();
  });

  it('a clock stepping backwards leaves that span out instead of inventing one', () => {
    const spans = new BridgeMacSpans('host.log');
    spans.seen('br0', 5, at(10), 1);
    spans.seen('br0', 3, at(4), 3);
    expect(rows(spans, 20)).toEqual(['br0 3 4-20']);
  });

  it('keeps each link once per MAC, with the time of a first print (MAC before unknown) only when asked', () => {
    const spans = new BridgeMacSpans('host.log');
    spans.link('br0', 5, at(2), true);
    spans.link('br0', 5, at(4), false);
    spans.link('br0', 3, at(6), false);
    spans.link('eth0', 5, at(0), false);
    spans.stop(at(8));
    spans.link('vnet1', 7, at(9), true);
    const record = spans.record(at(0), at(10))!;
    expect(record.links.map((l) => [l.ifname, l.mac, l.firstPrinted === null ? null : l.firstPrinted.sec - T0]))
      .toEqual([['br0', 5, 2], ['br0', 3, null], ['eth0', 5, null]]);
  });
});
