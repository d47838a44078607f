import { mulberry32 } from "@marquee/shared";

/** Deterministic randomness and the id scheme of the synthetic catalogue (scale-seed.ts). */

export const DAY = 86_400_000;

/**
 * A seeded id: `<prefix>_lseed<kind><n in base 36>`. `newId` never makes an id whose body starts with
 * "l" (its alphabet has no l), so the seeded rows are exactly the id range `<prefix>_lseed` …
 * `<prefix>_lseee` (seed-db.ts `inSeedRange`).
 */
export const seedId = (prefix: string, kind: string, n: number) =>
  `${prefix}_lseed${kind}${n.toString(36).padStart(6, "0")}`;

/** Deterministic randomness for a given seed (mulberry32 from @marquee/shared). */
export function prng(seed: number) {
  const next = mulberry32(seed);
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
