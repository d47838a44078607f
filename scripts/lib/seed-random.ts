/** Deterministic randomness and the id scheme of the synthetic catalogue (scale-seed.ts). */

export const DAY = 86_400_000;

/**
 * A seeded id: `<prefix>_lseed<kind><n in base 36>`. `newId` never makes an id whose body starts with
 * "l" (its alphabet has no l), so the seeded rows are exactly the id range `<prefix>_lseed` …
 * `<prefix>_lseee` (seed-db.ts `inSeedRange`).
 */
export const seedId = (prefix: string, kind: string, n: number) =>
  `${prefix}_lseed${kind}${n.toString(36).padStart(6, "0")}`;

/** mulberry32: small, fast, deterministic for a given seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const weighted = <K extends string>(w: Record<K, number>): K => {
    const entries = Object.entries(w) as [K, number][];
    let r = next() * entries.reduce((s, [, x]) => s + x, 0);
    for (const [k, x] of entries) {
      r -= x;
      if (r < 0) return k;
    }
    return (entries.find(([, x]) => x > 0) as [K, number])[0];
  };
  /** `k` distinct items of `xs` (all of them if k ≥ length). */
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    if (k >= xs.length) return [...xs];
    const seen = new Set<number>();
    while (seen.size < k) seen.add(Math.floor(next() * xs.length));
    return [...seen].map((i) => xs[i] as T);
  };
  return { next, int, pick, weighted, sample };
}

export const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export type Random = ReturnType<typeof prng>;
