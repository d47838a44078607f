/**
 * Bucket rows in D1 (analytics_periods, analytics_dims, analytics_startup): read a set of stored
 * buckets, and write a group of buckets in one batch (one transaction: a reader never sees half a
 * bucket). Rows are replaced wholesale, delete-then-insert, never incremented.
 */
import { and, eq, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client";
import { analyticsDims, analyticsPeriods, analyticsStartup } from "../../db/schema";
import { type Bucket, type BucketKey, bucketFromRows, bucketRows, isEmptyBucket } from "./buckets";
import { chunks, groupBy } from "./lists";

// D1 binds at most 100 parameters per statement, so multi-row inserts are chunked: analytics_dims
// has 14 columns (7 rows = 98 parameters), analytics_startup 9 (11 rows = 99).
const DIM_ROWS_PER_INSERT = 7;
const STARTUP_ROWS_PER_INSERT = 11;

export type RollupTable = typeof analyticsPeriods | typeof analyticsDims | typeof analyticsStartup;

/** The stored buckets matching `where` (applied to each of the three tables), in time order. */
export async function readBuckets(db: Db, where: (t: RollupTable) => SQL | undefined): Promise<Bucket[]> {
  const [periods, dims, startup] = await db.batch([
    db.select().from(analyticsPeriods).where(where(analyticsPeriods)),
    db.select().from(analyticsDims).where(where(analyticsDims)),
    db.select().from(analyticsStartup).where(where(analyticsStartup)),
  ]);
  const id = (r: { scope: string; scopeId: string; start: number }) => `${r.scope}\t${r.scopeId}\t${r.start}`;
  const dimsOf = groupBy(dims, id);
  const startupOf = groupBy(startup, id);
  return periods
    .sort((a, b) => a.start - b.start)
    .map((p) => bucketFromRows(p, dimsOf.get(id(p)) ?? [], startupOf.get(id(p)) ?? []));
}

const bucketWhere = (t: RollupTable, key: Omit<BucketKey, "channelId">) =>
  and(eq(t.scope, key.scope), eq(t.scopeId, key.scopeId), eq(t.grain, key.grain), eq(t.start, key.start));

/**
 * Writes a group of buckets in one D1 batch: each one's old rows deleted, its new rows (if it has
 * any views) inserted.
 */
export async function writeBuckets(
  db: Db,
  buckets: { key: BucketKey; bucket: Bucket }[],
  computedAt: number,
): Promise<number> {
  const statements: BatchItem<"sqlite">[] = [];
  for (const { key, bucket } of buckets) {
    statements.push(
      db.delete(analyticsPeriods).where(bucketWhere(analyticsPeriods, key)),
      db.delete(analyticsDims).where(bucketWhere(analyticsDims, key)),
      db.delete(analyticsStartup).where(bucketWhere(analyticsStartup, key)),
    );
    if (isEmptyBucket(bucket)) continue;
    const rows = bucketRows(bucket, key, computedAt);
    statements.push(db.insert(analyticsPeriods).values(rows.period));
    for (const chunk of chunks(rows.dims, DIM_ROWS_PER_INSERT))
      statements.push(db.insert(analyticsDims).values(chunk));
    for (const chunk of chunks(rows.startup, STARTUP_ROWS_PER_INSERT))
      statements.push(db.insert(analyticsStartup).values(chunk));
  }
  if (statements.length > 0) await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return buckets.length;
}
