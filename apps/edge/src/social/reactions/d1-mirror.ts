/**
 * What the shard objects write to D1: who reacted how (`video_reaction_index`), and the video's
 * totals and days (`videos.like_count`, `video_reaction_days`). Every write is absolute (upsert
 * the value, delete the row, `SET like_count = ?`), so a retried write is harmless.
 */
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { profiles, videoReactionDays, videoReactionIndex, videos } from "../../db/schema";
import type { PendingFlush } from "./aggregation";
import type { IndexMark } from "./reaction-store";

/**
 * `column IN (the strings of one JSON array)`. json_each: a write covers up to 1,000 profiles,
 * and D1 binds at most 100 parameters per statement (drizzle's inArray binds one per value).
 */
const inJsonArray = (column: SQLiteColumn, values: readonly string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;

/**
 * Writes these marked profiles' index rows from their reaction now, in one D1 transaction: an
 * upsert for those with a reaction (only while the profile and the video exist), a delete for
 * those without. Answers the profiles with a reaction that no longer exist (erased, or never
 * real): their erasure cannot find this reaction in the index, so the shard must forget it.
 */
export async function writeIndex(db: Db, videoId: string, marks: readonly IndexMark[]): Promise<string[]> {
  const present = marks.filter((m) => m.value !== null);
  const presentIds = present.map((m) => m.profile_id);
  const absentIds = marks.filter((m) => m.value === null).map((m) => m.profile_id);
  const rows = JSON.stringify(present.map((m) => [m.profile_id, m.value, m.updated_at]));
  const [, , alive] = await db.batch([
    db
      .insert(videoReactionIndex)
      .select(
        // json_each: the rows travel as one parameter (see inJsonArray), and the EXISTS checks sit in
        // the same statement so an erasure running meanwhile cannot be undone by this insert.
        sql`SELECT json_extract(j.value, '$[0]'), ${videoId}, json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')
              FROM json_each(${rows}) j
             WHERE EXISTS (SELECT 1 FROM ${profiles} p WHERE p.id = json_extract(j.value, '$[0]'))
               AND EXISTS (SELECT 1 FROM ${videos} v WHERE v.id = ${videoId})`,
      )
      .onConflictDoUpdate({
        target: [videoReactionIndex.profileId, videoReactionIndex.videoId],
        set: { value: sql`excluded.value`, reactedAt: sql`excluded.reacted_at` },
      }),
    db
      .delete(videoReactionIndex)
      .where(
        and(eq(videoReactionIndex.videoId, videoId), inJsonArray(videoReactionIndex.profileId, absentIds)),
      ),
    db.select({ id: profiles.id }).from(profiles).where(inJsonArray(profiles.id, presentIds)),
  ]);
  const existing = new Set(alive.map((p) => p.id));
  return presentIds.filter((id) => !existing.has(id));
}

/**
 * Writes shard 0's sums: the video's totals and each changed day, absolute values in one D1
 * transaction. Answers false when the video row is gone (nothing was written).
 */
export async function writeTotals(db: Db, videoId: string, pending: PendingFlush): Promise<boolean> {
  const [totals] = await db.batch([
    db
      .update(videos)
      .set({ likeCount: pending.totals.likes, dislikeCount: pending.totals.dislikes })
      .where(eq(videos.id, videoId)),
    ...pending.days.map((d) =>
      db
        .insert(videoReactionDays)
        // Selected from the video's row, so a vanished video inserts nothing instead of failing the
        // foreign key (and with it the whole batch, forever).
        .select((qb) =>
          qb
            .select({
              videoId: videos.id,
              day: sql<string>`${d.day}`.as("day"),
              likes: sql<number>`${d.likes}`.as("likes"),
              dislikes: sql<number>`${d.dislikes}`.as("dislikes"),
            })
            .from(videos)
            .where(eq(videos.id, videoId)),
        )
        .onConflictDoUpdate({
          target: [videoReactionDays.videoId, videoReactionDays.day],
          set: { likes: sql`excluded.likes`, dislikes: sql`excluded.dislikes` },
        }),
    ),
  ]);
  return totals.meta.changes > 0;
}
