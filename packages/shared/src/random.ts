/**
 * mulberry32: a small, fast, seeded generator of floats in [0, 1). Not for secrets: it makes runs
 * repeatable (the fuzz test's requests, the scale seed's catalogue) for a given seed.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
