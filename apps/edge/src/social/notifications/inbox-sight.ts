/**
 * What a reader of an inbox may see: maturity and video visibility, applied on read with current
 * values on both sides (the reader's level now, the named videos' rating and status now).
 */
import type { Maturity } from "@marquee/shared";
import { inArray } from "drizzle-orm";
import { canSee, maturitySql } from "../../catalog/maturity";
import type { Db } from "../../db/client";
import { videos } from "../../db/schema";
import { chunksOf } from "../../events/erasure";
import { type NotificationRow, ratingOf, UNRATED } from "./inbox-storage";

/** The stored rating of a row, with unrated rows counted as UNRATED (SQL expression). */
const RATING = `COALESCE(maturity, '${UNRATED}')`;
const visibleTo = (level: Maturity) => maturitySql(RATING, level);

/**
 * What a caller at `level` may see right now: the rows whose stored rating `level` may see and
 * that either name no video or name one of `videos` — the named videos that still exist (not
 * deleted) and whose CURRENT rating `level` may see (read from D1 by `sightFor`).
 */
export interface Sight {
  level: Maturity;
  videos: ReadonlySet<string>;
}

/**
 * The SQL filter of a Sight; binds ONE parameter, `videosParam(sight)` (a JSON array read with
 * json_each, so 500 ids do not need 500 bound parameters).
 */
export const shown = (sight: Sight) =>
  `${visibleTo(sight.level)} AND (video_id IS NULL OR video_id IN (SELECT value FROM json_each(?)))`;
export const videosParam = (sight: Sight) => JSON.stringify([...sight.videos]);

/** The JS twin of `shown`, for rows already in hand (pushes). */
export const sees = (sight: Sight, r: NotificationRow): boolean =>
  canSee(sight.level, ratingOf(r)) && (r.video_id === null || sight.videos.has(r.video_id));

/** The unread rows `sight` shows. */
export const unreadIn = (sql: SqlStorage, sight: Sight): number =>
  sql
    .exec<{ n: number }>(
      `SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL AND ${shown(sight)}`,
      videosParam(sight),
    )
    .one().n;

/** Marks read the unread rows among `ids` (or all) that `sight` shows; answers how many. */
export function markShownRead(
  sql: SqlStorage,
  sight: Sight,
  ids: readonly string[] | "all",
  now: number,
): number {
  if (ids === "all") {
    return sql.exec(
      `UPDATE notifications SET read_at = ? WHERE read_at IS NULL AND ${shown(sight)}`,
      now,
      videosParam(sight),
    ).rowsWritten;
  }
  let updated = 0;
  for (const id of new Set(ids)) {
    updated += sql.exec(
      `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL AND ${shown(sight)}`,
      now,
      id,
      videosParam(sight),
    ).rowsWritten;
  }
  return updated;
}

/**
 * What `level` may see now among the rows matching `where` (plus the videos of `extra` rows):
 * ONE D1 round trip reading the current rating and status of the distinct videos those rows name
 * (a batch of statements, each under D1's bound-parameter limit; an inbox holds at most
 * INBOX_CAPACITY rows, so at most 6 statements). No D1 read when no candidate row names a video.
 * Throws when D1 fails: callers answer nothing rather than unfiltered rows.
 */
export async function sightFor(
  sql: SqlStorage,
  db: Db,
  level: Maturity,
  where: string,
  params: SqlStorageValue[] = [],
  extra: readonly NotificationRow[] = [],
): Promise<Sight> {
  const named = sql
    .exec<{ video_id: string }>(
      `SELECT DISTINCT video_id FROM notifications
        WHERE video_id IS NOT NULL AND ${visibleTo(level)} AND (${where})`,
      ...params,
    )
    .toArray()
    .map((r) => r.video_id);
  const ids = [...new Set([...named, ...extra.flatMap((r) => (r.video_id === null ? [] : [r.video_id]))])];
  if (ids.length === 0) return { level, videos: new Set() };
  const reads = chunksOf(ids).map((chunk) =>
    db
      .select({ id: videos.id, maturity: videos.maturity, status: videos.status })
      .from(videos)
      .where(inArray(videos.id, chunk)),
  );
  const results = await db.batch(reads as [(typeof reads)[number], ...typeof reads]);
  const visible = new Set<string>();
  for (const v of results.flat()) {
    if (v.status !== "deleted" && canSee(level, v.maturity)) visible.add(v.id);
  }
  return { level, videos: visible };
}
