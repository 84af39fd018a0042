/**
 * A size-capped map that evicts entries not used recently: the bound that keeps detection state
 * finite however many addresses a capture (or an attacker) produces.
 *
 * Second-chance (CLOCK) eviction over a JavaScript Map, which keeps insertion order: a hit only
 * sets the entry's `used` bit (one lookup, one store); when the map outgrows its cap, a batch pass
 * walks from the oldest entry, evicting entries whose bit is clear and moving those whose bit is
 * set to the back with the bit cleared. An entry used since it last went to the back is never
 * evicted before one that was not. (Moving every hit to the back, delete + set, cost three hash
 * operations per lookup and was the detector's hottest path under a flood.)
 */

interface Slot<V> {
  value: V;
  /** Used since it was inserted or last moved to the back. */
  used: boolean;
}

export class LruMap<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  /** Entries evicted so far (reported as a counter, never silently). */
  evicted = 0;

  /** @param cap maximum entries kept (>= 1). @param onEvict called with each evicted entry. */
  constructor(readonly cap: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!(cap >= 1)) throw new RangeError(`LRU cap must be >= 1 (got ${cap})`);
  }

  get size(): number {
    return this.map.size;
  }

  /** Returns the value and marks it used. */
  get(key: K): V | undefined {
    const slot = this.map.get(key);
    if (slot === undefined) return undefined;
    slot.used = true;
    return slot.value;
  }

  /** Returns the value without marking it used. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Sets the value; an existing entry is marked used, a new one goes to the back. */
  set(key: K, value: V): void {
    const slot = this.map.get(key);
    if (slot !== undefined) {
      slot.value = value;
      slot.used = true;
      return;
    }
    this.map.set(key, { value, used: false });
    if (this.map.size > this.cap) this.evictBatch();
  }

  /**
   * Evicts down to 15/16 of the cap in one pass. Deleted Map slots stay as holes that every fresh
   * iterator skips until V8 rehashes, so evicting one entry per insert would rescan them each time
   * (quadratic under a flood); a batch pays that scan once. The iterator also visits entries moved
   * to the back during the pass, by then with their bit clear, so the pass always ends.
   */
  private evictBatch(): void {
    const target = this.cap - Math.max(1, this.cap >> 4);
    const map = this.map;
    for (const [key, slot] of map) {
      if (map.size <= target) break;
      map.delete(key);
      if (slot.used) {
        slot.used = false;
        map.set(key, slot);
      } else {
        this.evicted++;
        this.onEvict?.(key, slot.value);
      }
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /**
   * Removes every entry whose value is `expired` (not counted as evicted: it was finished, not
   * pushed out). O(size); callers sweep now and then, by capture time.
   */
  sweep(expired: (value: V) => boolean): void {
    for (const [key, slot] of this.map) if (expired(slot.value)) this.map.delete(key);
  }

  /** Values, oldest first (insertion order; entries saved from eviction count as re-inserted). */
  *values(): IterableIterator<V> {
    for (const slot of this.map.values()) yield slot.value;
  }
}
