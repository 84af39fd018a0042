/**
 * A fuzz case is a pure function of (seed, index): the same pair always rebuilds the same input
 * (so `npm run fuzz -- --seed S --start K --cases 1` replays a failure anywhere), different seeds
 * explore different inputs, and the in-process campaign gives the same verdicts twice.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../tools/fuzz/corpus.js';
import { makeCase, runCampaign } from '../../tools/fuzz/campaign.js';

const corpus = loadCorpus();

describe('fuzz determinism', () => {
  it('rebuilds identical cases from (seed, index), and different ones for another seed', () => {
    let differing = 0;
    for (let i = 0; i < 200; i++) {
      const a = makeCase(corpus, 99, i).fuzzCase;
      const b = makeCase(corpus, 99, i).fuzzCase;
      expect(b.steps).toEqual(a.steps);
      expect(Buffer.from(b.input).equals(Buffer.from(a.input))).toBe(true);
      const c = makeCase(corpus, 100, i).fuzzCase;
      if (!Buffer.from(c.input).equals(Buffer.from(a.input))) differing++;
    }
    expect(differing).toBeGreaterThan(150);
  });

  it('never modifies the corpus it mutates', () => {
    const before = corpus.captures.map((c) => Buffer.from(c.data).toString('base64'));
    for (let i = 0; i < 300; i++) makeCase(corpus, 5, i);
    expect(corpus.captures.map((c) => Buffer.from(c.data).toString('base64'))).toEqual(before);
  });

  it('an in-process campaign reaches the same verdicts twice', async () => {
    const first = await runCampaign(corpus, { seed: 31337, cases: 300 });
    const second = await runCampaign(corpus, { seed: 31337, cases: 300 });
    expect(first.failures).toEqual([]);
    expect(second.ok).toBe(first.ok);
    expect(second.rejected).toEqual(first.rejected);
    expect(first.ok).toBeGreaterThan(0);
  });
});
