/**
 * Frame marks and kept sightings (src/detect/binding.ts): the detector rewrites one mark per event
 * and each binding's latest-frame marks in place, so steady traffic allocates nothing; whatever
 * outlives the frame (a gap's start, a suspect awaiting judgement) keeps a copy that never changes.
 */
import { describe, expect, it } from 'vitest';
import { FrameMark, KeptSighting } from '../../src/detect/binding.js';

function mark(t: number, frame: number): FrameMark {
  const m = new FrameMark();
  m.t = t;
  m.sec = Math.floor(t);
  m.nsec = Math.round((t - Math.floor(t)) * 1e9);
  m.fileIndex = 1;
  m.frame = frame;
  return m;
}

describe('FrameMark and KeptSighting', () => {
  it('a kept copy does not follow the mark it was taken from', () => {
    const m = mark(100.25, 7);
    const kept = m.keep();
    const ts = m.ts;
    const ref = m.ref;
    m.copyFrom(mark(200.5, 9));
    expect([kept.t, kept.ts, kept.ref]).toEqual([100.25, { sec: 100, nsec: 250_000_000 }, { fileIndex: 1, frame: 7 }]);
    // What a finding took from the mark stays too: ts and ref are new objects on each read.
    expect([ts, ref]).toEqual([{ sec: 100, nsec: 250_000_000 }, { fileIndex: 1, frame: 7 }]);
    expect([m.t, m.ts, m.ref]).toEqual([200.5, { sec: 200, nsec: 500_000_000 }, { fileIndex: 1, frame: 9 }]);
    expect(m.ts).not.toBe(m.ts);
  });

  it('a clone is a separate mark; keeping a kept sighting returns it', () => {
    const m = mark(1, 1);
    const c = m.clone();
    m.copyFrom(mark(2, 2));
    expect(c.frame).toBe(1);
    const kept = new KeptSighting(3, 3, 0, 0, 3);
    expect(kept.keep()).toBe(kept);
    expect(kept).toBeInstanceOf(KeptSighting);
    expect(m.keep()).toBeInstanceOf(KeptSighting);
  });
});
