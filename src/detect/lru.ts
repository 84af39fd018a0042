/**
 * A size-capped map that evicts its least recently used entry: the bound that keeps detection
 * state finite however many addresses a capture (or an attacker) produces. A JavaScript Map keeps
 * insertion order, so "touch" is delete + set and the oldest entry is the first key.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Entries evicted so far (reported as a counter, never silently). */
  evicted = 0;

  /** @param cap maximum entries kept (>= 1). @param onEvict called with each evicted entry. */
  constructor(readonly cap: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!(cap >= 1)) throw new RangeError(`LRU cap must be >= 1 (got ${cap})`);
  }

  get size(): number {
    return this.map.size;
  }

  /** Returns the value and marks it most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Returns the value without changing its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.cap) this.evictBatch();
  }

  /**
   * Evicts the oldest 1/16 of the entries in one pass. Deleted Map slots stay as holes that every
   * fresh iterator skips until V8 rehashes, so evicting one entry per insert would rescan them each
   * time (quadratic under a flood); a batch pays that scan once.
   */
  private evictBatch(): void {
    const target = this.cap - Math.max(1, this.cap >> 4);
    for (const [oldKey, victim] of this.map) {
      if (this.map.size <= target) break;
      this.map.delete(oldKey);
      this.evicted++;
      this.onEvict?.(oldKey, victim);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}
