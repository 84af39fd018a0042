/**
 * The pair-keyed LRU (src/detect/pair-lru.ts) must behave exactly as an LruMap keyed by the pair's
 * text: same values, same size under the cap, same entries evicted in the same order, same sweep.
 * Checked on random operations with a small cap, so that eviction batches run often.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PairLru } from '../../src/detect/pair-lru.js';
import { LruMap } from '../../src/detect/lru.js';

const op = fc.record({
  kind: fc.constantFrom('set', 'set', 'get', 'peek', 'delete', 'sweep'),
  a: fc.constantFrom('192.0.2.1', '192.0.2.2', '10|192.0.2.1', '2001:db8::1'),
  b: fc.integer({ min: 0, max: 12 }),
  value: fc.integer({ min: 0, max: 9 }),
});

describe('PairLru', () => {
  it('answers, evicts and sweeps like an LruMap keyed by the pair text', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.array(op, { minLength: 200, maxLength: 1500 }), (cap, ops) => {
      const pairs = new PairLru<string, number, number>(cap);
      const model = new LruMap<string, number>(cap);
      for (const o of ops) {
        const key = `${o.a}#${o.b}`;
        if (o.kind === 'set') {
          pairs.set(o.a, o.b, o.value);
          model.set(key, o.value);
        } else if (o.kind === 'get') {
          expect(pairs.get(o.a, o.b)).toBe(model.get(key));
        } else if (o.kind === 'peek') {
          expect(pairs.peek(o.a, o.b)).toBe(model.peek(key));
        } else if (o.kind === 'delete') {
          expect(pairs.delete(o.a, o.b)).toBe(model.delete(key));
        } else {
          pairs.sweep((v) => v === o.value);
          model.sweep((v) => v === o.value);
        }
        expect(pairs.size).toBe(model.size);
        const held = Array.from({ length: 13 }, (_, b) => model.peek(`${o.a}#${b}`) !== undefined);
        expect(pairs.hasFirst(o.a)).toBe(held.some(Boolean));
      }
      expect([...pairs.values()]).toEqual([...model.values()]);
    }), { numRuns: 200, seed: 0x9a1f });
  });

  it('forgets an evicted entry in its index: a new value for its pair starts a new entry', () => {
    const pairs = new PairLru<string, number, string>(1);
    pairs.set('192.0.2.1', 1, 'first');
    pairs.set('192.0.2.1', 2, 'second'); // evicts down to 15/16 of a cap of 1: nothing is left
    expect(pairs.size).toBe(0);
    expect(pairs.peek('192.0.2.1', 1)).toBeUndefined();
    expect(pairs.hasFirst('192.0.2.1')).toBe(false);
    pairs.set('192.0.2.1', 1, 'again');
    expect(pairs.size).toBe(1);
    expect(pairs.get('192.0.2.1', 1)).toBe('again');
  });
});
