/**
 * The binding table (src/detect/binding-table.ts): IPv4 by number in a typed-array hash table,
 * IPv6 by text, with second-chance eviction past its cap. Checked against a plain Map on random
 * operations (growth, deletion by backward shift, VLANs, both families), and for what eviction
 * must keep: the cap, the count, and entries used since the hand last passed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BindingTable } from '../../src/detect/binding-table.js';
import type { Binding } from '../../src/detect/binding.js';
import { ipKey } from '../../src/detect/keys.js';
import { ipv4Number } from '../../src/net/ipv4.js';
import { xorshift32 } from '../xorshift.js';

/** Only the fields the table reads; the rest of a Binding does not matter to it. */
function binding(vlan: number | null, ip: string): Binding {
  return { key: ipKey(vlan, ip), ip, ipv4: ipv4Number(ip), vlan } as Binding;
}

/**
 * A pool of random IPv4 addresses (random, so that their hashes collide as real addresses' do;
 * consecutive ones spread evenly and would never exercise deletion inside a probe run).
 */
const next = xorshift32(0x5eed);
const V4_POOL = Array.from({ length: 400 }, () => {
  const n = next();
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
});
const address = fc.oneof(
  // Few addresses, so operations hit the same keys.
  fc.integer({ min: 0, max: V4_POOL.length - 1 }).map((n) => V4_POOL[n]!),
  fc.integer({ min: 0, max: 20 }).map((n) => `2001:db8::${n.toString(16)}`),
);
const op = fc.record({ kind: fc.constantFrom('add', 'add', 'remove', 'get'), vlan: fc.constantFrom(null, 0, 10, 4094), ip: address });

describe('BindingTable', () => {
  it('answers like a Map on random adds, removes and lookups (no eviction)', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 500, maxLength: 3000 }), (ops) => {
      const table = new BindingTable(100_000, () => { throw new Error('nothing may be evicted'); });
      const model = new Map<string, Binding>();
      for (const o of ops) {
        const key = ipKey(o.vlan, o.ip);
        const held = model.get(key);
        if (o.kind === 'add' && held === undefined) {
          const b = binding(o.vlan, o.ip);
          table.add(b);
          model.set(key, b);
        } else if (o.kind === 'remove' && held !== undefined) {
          expect(table.remove(held)).toBe(true);
          model.delete(key);
        }
        expect(table.get(o.vlan, o.ip, ipv4Number(o.ip))).toBe(model.get(key));
        expect(table.size).toBe(model.size);
      }
      for (const [key, b] of model) expect(table.get(b.vlan, b.ip, b.ipv4), key).toBe(b);
      expect(table.values()).toEqual([...model.values()]);
    }), { numRuns: 100, seed: 0x7ab1e });
  });

  it('refuses to remove a binding it does not hold, even one with the same address', () => {
    const table = new BindingTable(8, () => {});
    const held = binding(null, '192.0.2.1');
    table.add(held);
    expect(table.remove(binding(null, '192.0.2.1'))).toBe(false);
    expect(table.remove(binding(10, '192.0.2.1'))).toBe(false);
    expect(table.get(null, '192.0.2.1', 0xc0000201)).toBe(held);
    expect(table.remove(held)).toBe(true);
    expect(table.remove(held)).toBe(false);
  });

  it('keeps the cap, counts every eviction, and evicts what was not used before what was', () => {
    const evicted: Binding[] = [];
    const table = new BindingTable(64, (b) => evicted.push(b));
    const first = Array.from({ length: 64 }, (_, i) => binding(null, `198.51.100.${i}`));
    for (const b of first) table.add(b);
    // One more than the cap: new entries start used, so the hand clears every bit on its first
    // turn and then evicts the oldest, down to 15/16 of the cap.
    table.add(binding(null, '192.0.2.1'));
    expect(table.size).toBe(60);
    expect(evicted).toEqual(first.slice(0, 5));
    // Now only the looked-up half is used: the next batch must take from the other half.
    const survivors = first.slice(5);
    const looked = survivors.filter((_, i) => i % 2 === 0);
    for (const b of looked) expect(table.get(b.vlan, b.ip, b.ipv4)).toBe(b);
    evicted.length = 0;
    for (let i = 2; i <= 6; i++) table.add(binding(10, `192.0.2.${i}`));
    expect(table.size).toBeLessThanOrEqual(64);
    expect(evicted.length).toBe(5);
    for (const b of evicted) expect(looked).not.toContain(b);
    for (const b of looked) expect(table.get(b.vlan, b.ip, b.ipv4)).toBe(b);
    expect(table.evicted).toBe(10);
  });
});
