/** Deterministic xorshift32 (Marsaglia 2003) for tests that mutate or generate inputs, so a failure can be replayed. */

/** A generator of uint32 values seeded with `seed`. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}
