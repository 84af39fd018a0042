/**
 * Bindings by (VLAN, IP), size-capped: the detector's most frequent lookup (two per IP frame).
 *
 * IPv4 addresses are looked up by number in an open-addressing hash table over typed arrays
 * (linear probing, deletion by backward shift, so no tombstones); IPv6 addresses by their text in
 * a Map. A lookup by number hashes no string and touches two small arrays, where a Map keyed by
 * address text was a fifth of the whole analysis.
 *
 * Eviction is second chance (CLOCK) over the entry slots: a hit sets the entry's used bit; when the
 * table outgrows its cap, the hand evicts entries whose bit is clear and clears the bits it passes,
 * down to 15/16 of the cap in one pass (as {@link LruMap}). A new entry starts with its bit set, so
 * it survives at least one turn of the hand.
 */
import type { Binding } from './binding.js';
import { ipKey } from './keys.js';

/** Entry slot marking an empty hash bucket. */
const EMPTY = -1;
const MIN_BUCKETS = 64;

export class BindingTable {
  /** Per hash bucket: the IPv4 address (as int32), the VLAN key (vlan + 1, 0 untagged), the entry slot or EMPTY. */
  private bucketIp = new Int32Array(MIN_BUCKETS);
  private bucketVlan = new Int32Array(MIN_BUCKETS);
  private bucketEntry = new Int32Array(MIN_BUCKETS).fill(EMPTY);
  private shift = 32 - Math.log2(MIN_BUCKETS);
  /** IPv6 bindings: `ipKey` text -> entry slot. */
  private readonly v6 = new Map<string, number>();
  /** Entry slots: the binding, its used bit, and when it was added (for oldest-first iteration). */
  private readonly entries: (Binding | null)[] = [];
  private used: Uint8Array = new Uint8Array(MIN_BUCKETS);
  private addedAt: number[] = [];
  private readonly freeSlots: number[] = [];
  private hand = 0;
  private adds = 0;
  private count = 0;
  private v4Count = 0;
  /** Entries evicted so far (reported as a counter, never silently). */
  evicted = 0;

  /** @param cap maximum bindings kept (>= 1). @param onEvict called with each evicted binding. */
  constructor(readonly cap: number, private readonly onEvict: (b: Binding) => void) {
    if (!(cap >= 1)) throw new RangeError(`binding cap must be >= 1 (got ${cap})`);
  }

  get size(): number {
    return this.count;
  }

  /** The binding of `ip` on `vlan` (`ipv4`: the address as a number, -1 for IPv6), marked used. */
  get(vlan: number | null, ip: string, ipv4: number): Binding | undefined {
    const slot = ipv4 >= 0 ? this.findV4(vlan, ipv4) : this.v6.get(ipKey(vlan, ip));
    if (slot === undefined || slot === EMPTY) return undefined;
    this.used[slot] = 1;
    return this.entries[slot]!;
  }

  /** Adds `b`, which must not be in the table. */
  add(b: Binding): void {
    const slot = this.freeSlots.pop() ?? this.entries.length;
    if (slot === this.entries.length) {
      this.entries.push(b);
      this.addedAt.push(0);
      if (slot >= this.used.length) this.used = grow(this.used, this.used.length * 2);
    } else {
      this.entries[slot] = b;
    }
    this.used[slot] = 1;
    this.addedAt[slot] = this.adds++;
    this.count++;
    if (b.ipv4 >= 0) this.insertV4(b.vlan, b.ipv4, slot);
    else this.v6.set(b.key, slot);
    if (this.count > this.cap) this.evictBatch();
  }

  /** Removes `b` (not counted as evicted); false when it is not in the table. */
  remove(b: Binding): boolean {
    let slot: number;
    if (b.ipv4 >= 0) {
      const bucket = this.bucketOf(b.vlan, b.ipv4);
      if (bucket < 0 || this.entries[this.bucketEntry[bucket]!] !== b) return false;
      slot = this.bucketEntry[bucket]!;
      this.deleteBucket(bucket);
    } else {
      const found = this.v6.get(b.key);
      if (found === undefined || this.entries[found] !== b) return false;
      slot = found;
      this.v6.delete(b.key);
    }
    this.release(slot);
    return true;
  }

  /** Bindings, oldest first (by when they were added). */
  values(): Binding[] {
    const slots: number[] = [];
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i] !== null) slots.push(i);
    slots.sort((a, b) => this.addedAt[a]! - this.addedAt[b]!);
    return slots.map((i) => this.entries[i]!);
  }

  /** Evicts down to 15/16 of the cap, clearing the used bits the hand passes. */
  private evictBatch(): void {
    const target = this.cap - Math.max(1, this.cap >> 4);
    const entries = this.entries;
    while (this.count > target) {
      if (this.hand >= entries.length) this.hand = 0;
      const slot = this.hand++;
      const b = entries[slot];
      if (b === null || b === undefined) continue;
      if (this.used[slot] === 1) { this.used[slot] = 0; continue; }
      this.remove(b);
      this.evicted++;
      this.onEvict(b);
    }
  }

  private release(slot: number): void {
    this.entries[slot] = null;
    this.used[slot] = 0;
    this.freeSlots.push(slot);
    this.count--;
  }

  private hash(vlanKey: number, ipv4: number): number {
    return Math.imul(ipv4 ^ Math.imul(vlanKey, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The entry slot of (vlan, ipv4), or EMPTY. */
  private findV4(vlan: number | null, ipv4: number): number {
    const bucket = this.bucketOf(vlan, ipv4);
    return bucket < 0 ? EMPTY : this.bucketEntry[bucket]!;
  }

  /** The bucket holding (vlan, ipv4), or -1. */
  private bucketOf(vlan: number | null, ipv4: number): number {
    const vlanKey = vlan === null ? 0 : vlan + 1;
    const ip = ipv4 | 0;
    const mask = this.bucketEntry.length - 1;
    for (let i = this.hash(vlanKey, ip); ; i = (i + 1) & mask) {
      if (this.bucketEntry[i] === EMPTY) return -1;
      if (this.bucketIp[i] === ip && this.bucketVlan[i] === vlanKey) return i;
    }
  }

  private insertV4(vlan: number | null, ipv4: number, slot: number): void {
    // At most half full: probes stay short and an empty bucket always ends a search.
    if ((this.v4Count + 1) * 2 > this.bucketEntry.length) this.rehash(this.bucketEntry.length * 2);
    this.place(vlan === null ? 0 : vlan + 1, ipv4 | 0, slot);
    this.v4Count++;
  }

  private place(vlanKey: number, ip: number, slot: number): void {
    const mask = this.bucketEntry.length - 1;
    let i = this.hash(vlanKey, ip);
    while (this.bucketEntry[i] !== EMPTY) i = (i + 1) & mask;
    this.bucketIp[i] = ip;
    this.bucketVlan[i] = vlanKey;
    this.bucketEntry[i] = slot;
  }

  /**
   * Empties bucket `i`, then moves later entries of its probe run back into the hole when their
   * home bucket allows it (Knuth's algorithm R), so searches never need tombstones.
   */
  private deleteBucket(i: number): void {
    const mask = this.bucketEntry.length - 1;
    this.bucketEntry[i] = EMPTY;
    this.v4Count--;
    for (let j = (i + 1) & mask; this.bucketEntry[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.hash(this.bucketVlan[j]!, this.bucketIp[j]!);
      // Move j into the hole unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      this.bucketIp[i] = this.bucketIp[j]!;
      this.bucketVlan[i] = this.bucketVlan[j]!;
      this.bucketEntry[i] = this.bucketEntry[j]!;
      this.bucketEntry[j] = EMPTY;
      i = j;
    }
  }

  private rehash(buckets: number): void {
    const ips = this.bucketIp;
    const vlans = this.bucketVlan;
    const slots = this.bucketEntry;
    this.bucketIp = new Int32Array(buckets);
    this.bucketVlan = new Int32Array(buckets);
    this.bucketEntry = new Int32Array(buckets).fill(EMPTY);
    this.shift = 32 - Math.log2(buckets);
    for (let i = 0; i < slots.length; i++) if (slots[i] !== EMPTY) this.place(vlans[i]!, ips[i]!, slots[i]!);
  }
}

function grow(a: Uint8Array, length: number): Uint8Array {
  const next = new Uint8Array(length);
  next.set(a);
  return next;
}
