/**
 * Breakdown cardinality: a bucket keeps at most MAX_DIM_VALUES values per dimension, the top ones by
 * views, then watch time, then value (code-unit order: deterministic whatever the Map's order); the
 * rest are summed, figures and startup histograms, into the value OTHER_VALUE. So a bucket has a
 * bounded number of rows however many countries, feed rows or player versions its views had, and
 * every total still merges exactly (the sum over a dimension's values is unchanged by the fold).
 * A value folded in one hour stays in `other` in the day that merges it: the cap trades the
 * identity of rare values, never a total.
 */
import type { Bucket, DimFigures } from "./buckets";
import type { Histogram } from "./histogram";
import { compareText } from "./sessions";

/** Values kept per dimension per bucket, besides OTHER_VALUE. */
export const MAX_DIM_VALUES = 20;
/** Where the values past the top MAX_DIM_VALUES go (also a traffic source and a device class). */
export const OTHER_VALUE = "other";

const FIGURES: (keyof DimFigures)[] = [
  "views",
  "watchMs",
  "startedViews",
  "exitsBeforeStart",
  "failedViews",
  "rebufferCount",
  "rebufferMs",
];

const rank = (a: [string, DimFigures], b: [string, DimFigures]) =>
  b[1].views - a[1].views || b[1].watchMs - a[1].watchMs || compareText(a[0], b[0]);

/**
 * Folds each dimension's values past the top MAX_DIM_VALUES into OTHER_VALUE, in `bucket`'s own maps
 * (the figures and histograms in them are replaced, never mutated: a caller's copies stay intact).
 * Idempotent. Returns `bucket`.
 */
export function capDims(bucket: Bucket): Bucket {
  const byDim = new Map<string, [string, DimFigures][]>();
  for (const [key, figures] of bucket.dims) {
    const tab = key.indexOf("\t");
    const dim = key.slice(0, tab);
    const value = key.slice(tab + 1);
    if (value === OTHER_VALUE) continue;
    const list = byDim.get(dim) ?? [];
    list.push([value, figures]);
    byDim.set(dim, list);
  }
  for (const [dim, values] of byDim) {
    if (values.length <= MAX_DIM_VALUES) continue;
    const otherKey = `${dim}\t${OTHER_VALUE}`;
    const other: DimFigures = { ...(bucket.dims.get(otherKey) ?? zero()) };
    const otherStartup: Histogram = new Map(bucket.startup.get(otherKey) ?? []);
    for (const [value, figures] of values.sort(rank).slice(MAX_DIM_VALUES)) {
      const key = `${dim}\t${value}`;
      for (const f of FIGURES) other[f] += figures[f];
      bucket.dims.delete(key);
      const h = bucket.startup.get(key);
      if (h) for (const [b, count] of h) otherStartup.set(b, (otherStartup.get(b) ?? 0) + count);
      bucket.startup.delete(key);
    }
    bucket.dims.set(otherKey, other);
    if (otherStartup.size > 0) bucket.startup.set(otherKey, otherStartup);
  }
  return bucket;
}

const zero = (): DimFigures => ({
  views: 0,
  watchMs: 0,
  startedViews: 0,
  exitsBeforeStart: 0,
  failedViews: 0,
  rebufferCount: 0,
  rebufferMs: 0,
});
