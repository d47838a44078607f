/**
 * The queue's SQLite schema, as numbered steps for lib/do-migrations.ts. Never edit a step: append.
 *
 * No `adopt`: objects from before versioning have run exactly these statements (the constructor
 * ran step 1 and the column check of step 2 on every start), and both steps are safe to run again
 * on them: step 1 only creates what is missing, step 2 adds the column only where it is missing.
 */
import type { MigrationStep } from "../lib/do-migrations";

export const SCHEMA: readonly MigrationStep[] = [
  // 1: jobs, at most one live (queued or leased) per video, and the outbox of D1 updates.
  `CREATE TABLE IF NOT EXISTS jobs (
     id TEXT PRIMARY KEY,
     video_id TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'completed', 'failed', 'cancelled')),
     attempts INTEGER NOT NULL DEFAULT 0,
     max_attempts INTEGER NOT NULL,
     leases INTEGER NOT NULL DEFAULT 0,
     lease_seconds INTEGER NOT NULL,
     lease_token TEXT,
     lease_expires_at INTEGER,
     lease_ended_by TEXT,
     worker_id TEXT,
     progress REAL NOT NULL DEFAULT 0,
     playable INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     finished_at INTEGER,
     source_etag TEXT,
     CHECK ((state = 'leased') = (lease_expires_at IS NOT NULL))
   );
   CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, created_at);
   CREATE INDEX IF NOT EXISTS jobs_by_video ON jobs (video_id, created_at);
   CREATE INDEX IF NOT EXISTS jobs_by_finish ON jobs (finished_at) WHERE finished_at IS NOT NULL;
   CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_live_per_video ON jobs (video_id)
     WHERE state IN ('queued', 'leased');
   CREATE TABLE IF NOT EXISTS outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     video_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('requeued', 'failed')),
     reason TEXT,
     created_at INTEGER NOT NULL
   );`,
  // 2: the pinned source version, on jobs tables made before sources were pinned (step 1 has it).
  (sql) => {
    const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('jobs')").toArray();
    if (!columns.some((c) => c.name === "source_etag"))
      sql.exec("ALTER TABLE jobs ADD COLUMN source_etag TEXT");
  },
];
