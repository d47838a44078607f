/**
 * The local D1 file as the scale seed writes it: drizzle (bun-sqlite driver) over the file, with the
 * edge's own tables (apps/edge/src/db/schema), batched multi-row inserts, and the removal of earlier
 * seeded rows (`--reset-seeded`).
 */
import { Database } from "bun:sqlite";
import { and, type Column, count, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as t from "../../apps/edge/src/db/schema";

export type SeedDb = BunSQLiteDatabase & { $client: Database };

/** Opens the D1 file for bulk writing: waits for locks, no fsync per commit (a seed can be redone). */
export function openForSeeding(file: string): SeedDb {
  const db = drizzle(new Database(file));
  // Connection settings: drizzle has no API for PRAGMAs.
  db.run(sql`PRAGMA busy_timeout = 30000`);
  db.run(sql`PRAGMA synchronous = OFF`);
  db.run(sql`PRAGMA cache_size = -262144`); // 256 MiB
  db.run(sql`PRAGMA temp_store = MEMORY`);
  // drizzle cannot read a table's columns; pragma_table_info can.
  const cols = db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info('videos')`);
  if (!cols.some((c) => c.name === "maturity")) {
    throw new Error("the D1 file has no discovery schema (videos.maturity): apply the migrations first");
  }
  return db;
}

/** The seeded ids of one kind: `column` between `<prefix>_lseed` and `<prefix>_lseee` (seed-random.ts seedId). */
export function inSeedRange(column: Column, prefix: string): SQL {
  return and(gte(column, `${prefix}_lseed`), lt(column, `${prefix}_lseee`)) as SQL;
}

export function countSeeded(db: SeedDb): number {
  return db.select({ n: count() }).from(t.accounts).where(inSeedRange(t.accounts.id, "acc")).get()?.n ?? 0;
}

export function countSeededTrending(db: SeedDb): number {
  return (
    db.select({ n: count() }).from(t.trending).where(inSeedRange(t.trending.videoId, "vid")).get()?.n ?? 0
  );
}

/** Tells how many rows of a table the seed wrote (the totals `seed:scale` prints). */
export type Counter = (table: string, n?: number) => void;

/** Rows generated per transaction. */
export const BATCH = 2000;

/** SQLite allows 32766 bound values per statement: rows go in chunks that stay below it. */
const MAX_VALUES = 30_000;

/** Inserts `rows` with multi-row INSERTs; returns how many rows were written. */
export function insertRows<T extends SQLiteTable>(db: SeedDb, table: T, rows: T["$inferInsert"][]): number {
  const first = rows[0];
  if (!first) return 0;
  const perRow = Math.max(1, Object.keys(first).length);
  const chunk = Math.max(1, Math.floor(MAX_VALUES / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    db.insert(table)
      .values(rows.slice(i, i + chunk) as never)
      .run();
  }
  return rows.length; // a plain INSERT writes every row or throws
}

/** Removes every row that mentions a seeded id, children first, in one transaction. */
export function resetSeeded(db: SeedDb, progress: (done: number, total: number, what: string) => void): void {
  const seededAccount = (c: Column) => inSeedRange(c, "acc");
  const profiles = db
    .select({ id: t.profiles.id })
    .from(t.profiles)
    .where(seededAccount(t.profiles.accountId));
  const channels = db
    .select({ id: t.channels.id })
    .from(t.channels)
    .where(seededAccount(t.channels.accountId));
  const videos = db
    .select({ id: t.videos.id })
    .from(t.videos)
    .where(or(inSeedRange(t.videos.id, "vid"), inArray(t.videos.channelId, channels)));
  const comments = db
    .select({ id: t.comments.id })
    .from(t.comments)
    .where(inArray(t.comments.videoId, videos));
  const sessions = db
    .select({ id: t.sessions.id })
    .from(t.sessions)
    .where(seededAccount(t.sessions.accountId));
  const byProfileOrVideo = (
    table: typeof t.playbackEvents | typeof t.watchHistory | typeof t.videoReactionIndex,
  ) => db.delete(table).where(or(inArray(table.profileId, profiles), inArray(table.videoId, videos)));
  const steps = [
    ["trending", () => db.delete(t.trending).where(inArray(t.trending.videoId, videos))],
    ["video_view_days", () => db.delete(t.videoViewDays).where(inArray(t.videoViewDays.videoId, videos))],
    [
      "video_reaction_days",
      () => db.delete(t.videoReactionDays).where(inArray(t.videoReactionDays.videoId, videos)),
    ],
    ["playback_events", () => byProfileOrVideo(t.playbackEvents)],
    ["watch_history", () => byProfileOrVideo(t.watchHistory)],
    [
      "profile_affinities",
      () => db.delete(t.profileAffinities).where(inArray(t.profileAffinities.profileId, profiles)),
    ],
    ["video_reaction_index", () => byProfileOrVideo(t.videoReactionIndex)],
    [
      "subscriptions",
      () =>
        db
          .delete(t.subscriptions)
          .where(
            or(inArray(t.subscriptions.profileId, profiles), inArray(t.subscriptions.channelId, channels)),
          ),
    ],
    [
      "notification_preferences",
      () =>
        db.delete(t.notificationPreferences).where(inArray(t.notificationPreferences.profileId, profiles)),
    ],
    [
      "comment_reactions",
      () => db.delete(t.commentReactions).where(inArray(t.commentReactions.commentId, comments)),
    ],
    ["comments", () => db.delete(t.comments).where(inArray(t.comments.videoId, videos))],
    [
      "video_upload_parts",
      () => db.delete(t.videoUploadParts).where(inArray(t.videoUploadParts.videoId, videos)),
    ],
    ["video_tags", () => db.delete(t.videoTags).where(inArray(t.videoTags.videoId, videos))],
    ["videos", () => db.delete(t.videos).where(inArray(t.videos.id, videos))],
    [
      "videos.category_id",
      () => db.update(t.videos).set({ categoryId: null }).where(inSeedRange(t.videos.categoryId, "cat")),
    ],
    ["refresh_tokens", () => db.delete(t.refreshTokens).where(inArray(t.refreshTokens.sessionId, sessions))],
    ["sessions", () => db.delete(t.sessions).where(seededAccount(t.sessions.accountId))],
    ["one_time_codes", () => db.delete(t.oneTimeCodes).where(seededAccount(t.oneTimeCodes.accountId))],
    ["channels", () => db.delete(t.channels).where(seededAccount(t.channels.accountId))],
    ["profiles", () => db.delete(t.profiles).where(seededAccount(t.profiles.accountId))],
    ["credentials", () => db.delete(t.credentials).where(seededAccount(t.credentials.accountId))],
    ["accounts", () => db.delete(t.accounts).where(seededAccount(t.accounts.id))],
    ["categories", () => db.delete(t.categories).where(inSeedRange(t.categories.id, "cat"))],
  ] as const;
  db.transaction(() => {
    for (const [i, [what, statement]] of steps.entries()) {
      statement().run();
      progress(i + 1, steps.length, what);
    }
  });
}
