/**
 * The SQLite schema of a `VideoReactions` shard object, as numbered steps for lib/do-migrations.ts.
 * A shipped step is never edited: a change is a new step at the end.
 */
import { hasTable, type MigrationStep } from "../../lib/do-migrations";

/** Step 1: reactions, counts, per-day deltas and shard 0's aggregation tables. */
const REACTIONS_AND_COUNTS = `
  CREATE TABLE IF NOT EXISTS reactions (
    profile_id TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (value IN ('like', 'dislike')),
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    video_id TEXT NOT NULL,
    shard INTEGER NOT NULL,
    shards INTEGER NOT NULL,
    likes INTEGER NOT NULL DEFAULT 0,
    dislikes INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    reported_version INTEGER NOT NULL DEFAULT 0,
    others_likes INTEGER NOT NULL DEFAULT 0,
    others_dislikes INTEGER NOT NULL DEFAULT 0,
    others_at INTEGER NOT NULL DEFAULT 0,
    agg_seq INTEGER NOT NULL DEFAULT 0,
    flushed_seq INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
  );
  -- This shard's per-day deltas; version = the state version of the day's latest change.
  CREATE TABLE IF NOT EXISTS days (
    day TEXT PRIMARY KEY,
    likes INTEGER NOT NULL,
    dislikes INTEGER NOT NULL,
    version INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Shard 0 only: the latest absolute report of every shard, its days, and days D1 lacks.
  CREATE TABLE IF NOT EXISTS agg_shards (
    shard INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    dislikes INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS agg_days (
    shard INTEGER NOT NULL,
    day TEXT NOT NULL,
    version INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    dislikes INTEGER NOT NULL,
    PRIMARY KEY (shard, day)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS agg_dirty_days (day TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * Step 2: the marks of profiles whose D1 index row may differ from `reactions` (seq = the state
 * version of their latest change). Every reaction an older object holds is marked, so its next
 * flush writes them all to the index (the object arranges that alarm after migrating).
 */
function indexMarks(sql: SqlStorage): void {
  sql.exec(
    "CREATE TABLE IF NOT EXISTS index_dirty (profile_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID",
  );
  sql.exec("INSERT OR IGNORE INTO index_dirty (profile_id, seq) SELECT profile_id, 0 FROM reactions");
}

export const SHARD_SCHEMA: readonly MigrationStep[] = [REACTIONS_AND_COUNTS, indexMarks];

/**
 * The version of an object from before versioning: every object ever constructed has step 1's
 * tables (the old constructor created them), and those built after the index also `index_dirty`.
 */
export function adoptShardSchema(sql: SqlStorage): number {
  if (hasTable(sql, "index_dirty")) return 2;
  return hasTable(sql, "reactions") ? 1 : 0;
}
