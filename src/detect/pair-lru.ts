/**
 * A size-capped map keyed by a pair (a, b) without a combined key, evicting as {@link LruMap}
 * does (second chance over insertion order, in batches down to 15/16 of the cap): the same
 * entries go, in the same order, as from an LruMap keyed by the pair's text.
 *
 * Detection keys combine addresses (VLAN and target, requester): a text key such as
 * `vlan|requester|target` is a fresh string to flatten, hash and compare on every ARP/NS frame
 * (~370 ns a lookup). The decoder hands out the same string object for a repeated address and V8
 * caches a string's hash, and MACs are numbers, so looking up `a`, then `b`, hashes nothing new.
 * Most `a` have one entry (a flood of claims: one per address), held directly in the index; an
 * inner Map is made only for an `a` with several, so a flood allocates one record per entry, as
 * the text key did.
 */

/** One entry: its keys (to unlink it from the index when it leaves), its value and its used bit. */
interface PairEntry<A, B, V> {
  readonly a: A;
  readonly b: B;
  value: V;
  /** Used since it was inserted or last moved to the back (see {@link LruMap}). */
  used: boolean;
}

/** What the index holds for one `a`: its only entry, or its entries by `b` (two or more). */
type Slot<A, B, V> = PairEntry<A, B, V> | Map<B, PairEntry<A, B, V>>;

export class PairLru<A, B, V> {
  private readonly index = new Map<A, Slot<A, B, V>>();
  /** Every entry, oldest first (entries saved from eviction count as re-inserted). */
  private readonly order = new Set<PairEntry<A, B, V>>();

  /** @param cap maximum entries kept (>= 1). */
  constructor(readonly cap: number) {
    if (!(cap >= 1)) throw new RangeError(`LRU cap must be >= 1 (got ${cap})`);
  }

  get size(): number {
    return this.order.size;
  }

  /** Returns the value of (a, b) and marks it used. */
  get(a: A, b: B): V | undefined {
    const entry = this.find(a, b);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  /** Returns the value of (a, b) without marking it used. */
  peek(a: A, b: B): V | undefined {
    return this.find(a, b)?.value;
  }

  /** Some entry has first key `a` (a cheap test before building a second key). */
  hasFirst(a: A): boolean {
    return this.index.has(a);
  }

  /** Sets the value of (a, b); an existing entry is marked used, a new one goes to the back. */
  set(a: A, b: B, value: V): void {
    const slot = this.index.get(a);
    const found = slot === undefined ? undefined : inSlot(slot, b);
    if (found !== undefined) {
      found.value = value;
      found.used = true;
      return;
    }
    const entry: PairEntry<A, B, V> = { a, b, value, used: false };
    if (slot === undefined) this.index.set(a, entry);
    else if (slot instanceof Map) slot.set(b, entry);
    else this.index.set(a, new Map([[slot.b, slot], [b, entry]]));
    this.order.add(entry);
    if (this.order.size > this.cap) this.evictBatch();
  }

  delete(a: A, b: B): boolean {
    const entry = this.find(a, b);
    if (entry === undefined) return false;
    this.unlink(entry);
    return this.order.delete(entry);
  }

  /** Removes every entry whose value is `expired` (see {@link LruMap.sweep}). */
  sweep(expired: (value: V) => boolean): void {
    for (const entry of this.order) {
      if (!expired(entry.value)) continue;
      this.order.delete(entry);
      this.unlink(entry);
    }
  }

  /** Values, oldest first. */
  *values(): IterableIterator<V> {
    for (const entry of this.order) yield entry.value;
  }

  private find(a: A, b: B): PairEntry<A, B, V> | undefined {
    const slot = this.index.get(a);
    return slot === undefined ? undefined : inSlot(slot, b);
  }

  /** Evicts down to 15/16 of the cap in one pass, as {@link LruMap} does (and why). */
  private evictBatch(): void {
    const target = this.cap - Math.max(1, this.cap >> 4);
    const order = this.order;
    for (const entry of order) {
      if (order.size <= target) break;
      order.delete(entry);
      if (entry.used) {
        entry.used = false;
        order.add(entry);
      } else {
        this.unlink(entry);
      }
    }
  }

  /** Removes `entry` from the index; an inner Map left with one entry gives way to it. */
  private unlink(entry: PairEntry<A, B, V>): void {
    const slot = this.index.get(entry.a);
    if (slot === entry) {
      this.index.delete(entry.a);
    } else if (slot instanceof Map) {
      slot.delete(entry.b);
      if (slot.size === 1) this.index.set(entry.a, slot.values().next().value!);
    }
  }
}

function inSlot<A, B, V>(slot: Slot<A, B, V>, b: B): PairEntry<A, B, V> | undefined {
  if (slot instanceof Map) return slot.get(b);
  return slot.b === b ? slot : undefined;
}
