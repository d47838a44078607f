/**
 * Drains analytics_dirty: the (video, hour) marks the beacon route leaves for every hour its fresh
 * beacons fall in. One slice: read the oldest due marks (retry_at ≤ now), recompute them, then delete
 * each mark only if its version is still the one read. A batch of beacons that marked the same hour
 * while the recompute ran bumped the version, so its mark stays and the next slice recomputes the
 * hour again (the recompute may have read the raw beacons before that batch landed).
 *
 * Poison pills: when the slice's recompute fails, its marks are retried one at a time; a mark that
 * fails alone backs off (attempts + 1, retry_at = now + min(1 h, 30 s × 2^attempts)) and is logged,
 * and the others are drained. So one bad (video, hour) never blocks the rollups of the rest.
 */
import { and, asc, eq, gt, lte, min, or } from "drizzle-orm";
import { createDb, type Db } from "../../db/client";
import { analyticsDirty } from "../../db/schema";
import { recomputeVideoHours, type VideoHour } from "./recompute";

/**
 * Marks one slice takes by default. The rollup object runs one slice per alarm invocation (D1
 * allows about 1000 queries per invocation), and a failed slice retried mark by mark costs about 30
 * queries per mark.
 */
export const DRAIN_SLICE = 20;
/** (video_id, hour, version) is 3 parameters: 30 marks per DELETE stays under D1's 100. */
const MARKS_PER_DELETE = 30;
/** Backoff of a failing mark: BACKOFF_BASE_MS × 2^attempts, at most BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;

type Mark = typeof analyticsDirty.$inferSelect;

export interface DrainResult {
  /** Marks recomputed and deleted (or kept because a newer version landed). */
  processed: number;
  /** Marks failed alone in this slice, now backing off. */
  failed: number;
  /** Marks are due now (retry_at ≤ now): run another slice at once. */
  remaining: boolean;
  /** The earliest retry_at of the marks backing off, when none is due now; null: none. */
  nextRetryAt: number | null;
}

export const backoffMs = (attempts: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempts);

async function deleteDrained(db: Db, marks: Mark[]): Promise<void> {
  const deletes = [];
  for (let i = 0; i < marks.length; i += MARKS_PER_DELETE) {
    const chunk = marks.slice(i, i + MARKS_PER_DELETE);
    deletes.push(
      db
        .delete(analyticsDirty)
        .where(
          or(
            ...chunk.map((m) =>
              and(
                eq(analyticsDirty.videoId, m.videoId),
                eq(analyticsDirty.hour, m.hour),
                eq(analyticsDirty.version, m.version),
              ),
            ),
          ),
        ),
    );
  }
  if (deletes.length > 0)
    await db.batch(deletes as [(typeof deletes)[number], ...(typeof deletes)[number][]]);
}

/** Backs a failing mark off, unless a newer mark (another version) landed: that one is due now. */
async function backOff(db: Db, mark: Mark, now: number, error: unknown): Promise<void> {
  const retryAt = now + backoffMs(mark.attempts);
  console.error("analytics rollup: a dirty mark failed, backing off", {
    videoId: mark.videoId,
    hour: new Date(mark.hour).toISOString(),
    attempts: mark.attempts + 1,
    retryAt: new Date(retryAt).toISOString(),
    error,
  });
  await db
    .update(analyticsDirty)
    .set({ attempts: mark.attempts + 1, retryAt })
    .where(
      and(
        eq(analyticsDirty.videoId, mark.videoId),
        eq(analyticsDirty.hour, mark.hour),
        eq(analyticsDirty.version, mark.version),
      ),
    );
}

export async function drainDirty(
  env: Env,
  options: {
    maxItems?: number;
    now?: number;
    /** The recompute (tests inject a failing one). */
    recompute?: (env: Env, items: VideoHour[], now: number) => Promise<unknown>;
  } = {},
): Promise<DrainResult> {
  const db = createDb(env.DB);
  const now = options.now ?? Date.now();
  const recompute = options.recompute ?? recomputeVideoHours;
  const marks = await db
    .select()
    .from(analyticsDirty)
    .where(lte(analyticsDirty.retryAt, now))
    .orderBy(asc(analyticsDirty.hour), asc(analyticsDirty.videoId))
    .limit(options.maxItems ?? DRAIN_SLICE);
  let failed = 0;
  if (marks.length > 0) {
    try {
      await recompute(env, marks, now);
      await deleteDrained(db, marks);
    } catch (sliceError) {
      console.warn("analytics rollup: a slice failed, retrying its marks one at a time", sliceError);
      for (const mark of marks) {
        try {
          await recompute(env, [mark], now);
          await deleteDrained(db, [mark]);
        } catch (error) {
          failed++;
          await backOff(db, mark, now, error);
        }
      }
    }
  }
  const [due] = await db
    .select({ videoId: analyticsDirty.videoId })
    .from(analyticsDirty)
    .where(lte(analyticsDirty.retryAt, now))
    .limit(1);
  const [later] = due
    ? []
    : await db
        .select({ at: min(analyticsDirty.retryAt) })
        .from(analyticsDirty)
        .where(gt(analyticsDirty.retryAt, now));
  return {
    processed: marks.length - failed,
    failed,
    remaining: due !== undefined,
    nextRetryAt: later?.at ?? null,
  };
}
