/**
 * Drains analytics_dirty: the (video, hour) marks the beacon route leaves for every hour its fresh
 * beacons fall in. One slice: read the oldest hours first, recompute them, then delete each mark
 * only if its version is still the one read. A batch of beacons that marked the same hour while the
 * recompute ran bumped the version, so its mark stays and the next slice recomputes the hour again
 * (the recompute may have read the raw beacons before that batch landed).
 */
import { and, asc, eq, or } from "drizzle-orm";
import { createDb } from "../../db/client";
import { analyticsDirty } from "../../db/schema";
import { recomputeVideoHours } from "./recompute";

/** Marks one slice takes by default: bounded work per alarm step. */
export const DRAIN_SLICE = 50;
/** (video_id, hour, version) is 3 parameters: 30 marks per DELETE stays under D1's 100. */
const MARKS_PER_DELETE = 30;

export async function drainDirty(
  env: Env,
  options: { maxItems?: number; now?: number } = {},
): Promise<{ processed: number; remaining: boolean }> {
  const db = createDb(env.DB);
  const maxItems = options.maxItems ?? DRAIN_SLICE;
  const marks = await db
    .select()
    .from(analyticsDirty)
    .orderBy(asc(analyticsDirty.hour), asc(analyticsDirty.videoId))
    .limit(maxItems);
  if (marks.length === 0) return { processed: 0, remaining: false };
  await recomputeVideoHours(env, marks, options.now ?? Date.now());
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
  await db.batch(deletes as [(typeof deletes)[number], ...(typeof deletes)[number][]]);
  const [left] = await db.select({ videoId: analyticsDirty.videoId }).from(analyticsDirty).limit(1);
  return { processed: marks.length, remaining: left !== undefined };
}
