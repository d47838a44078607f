/**
 * Startup times as a sparse log histogram: bucket b ≥ 1 holds times in [GROWTH^(b-1), GROWTH^b) ms
 * (bucket 0: under 1 ms). GROWTH = 1.02, so a bucket is 2 % wide and the value reported for it (its
 * geometric middle) is within 1 % of every time in it. Buckets add, so hours merge into days,
 * videos into channels and any range into one histogram (analytics_startup rows), and the median
 * and p90 of the merge are those of all the raw startups to that resolution.
 */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket of a startup time (ms). */
export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.floor(Math.log(ms) / LOG_GROWTH) + 1;
}

/** The time a bucket stands for: its geometric middle, rounded to the ms. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(GROWTH ** (bucket - 0.5));
}

/** The contract's first name of bucketValue (a local binding named valueOf shadows Object's). */
export { bucketValue as valueOf };

/** The lower and upper edge (ms) of a bucket: what a test may compare a measured time against. */
export function edgesOf(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1];
  return [GROWTH ** (bucket - 1), GROWTH ** bucket];
}

export type Histogram = Map<number, number>;

export function addSample(h: Histogram, ms: number, count = 1): void {
  const b = bucketOf(ms);
  h.set(b, (h.get(b) ?? 0) + count);
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank: the value of the bucket holding the ⌈q·n⌉-th smallest
 * sample. Null for an empty histogram.
 */
export function quantileOf(h: Histogram | Iterable<[number, number]>, q: number): number | null {
  const entries = [...(h instanceof Map ? h.entries() : h)]
    .filter(([, c]) => c > 0)
    .sort((a, b) => a[0] - b[0]);
  const n = entries.reduce((sum, [, c]) => sum + c, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const [bucket, c] of entries) {
    seen += c;
    if (seen >= rank) return bucketValue(bucket);
  }
  return bucketValue((entries[entries.length - 1] as [number, number])[0]);
}
