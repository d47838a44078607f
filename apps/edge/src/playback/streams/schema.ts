/**
 * The AccountStreams object's SQLite schema, as numbered steps for lib/do-migrations.ts. Never edit
 * a step: append one. (Objects of this class never ran unversioned code, so there is no `adopt`.)
 */
import type { MigrationStep } from "../../lib/do-migrations";

export const STREAMS_SCHEMA: readonly MigrationStep[] = [
  // 1: the account's playbacks. A row holds a slot while `expires_at` (last_seen_at + the lapse in
  // force when it was last seen) is in the future; lapsed rows are pruned on every call and by the
  // alarm, so the table holds at most the plan's number of live rows plus the lapsed ones not yet pruned.
  `CREATE TABLE streams (
     id TEXT PRIMARY KEY,
     session_id TEXT,
     profile_id TEXT,
     device TEXT NOT NULL,
     video_id TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX streams_by_expiry ON streams (expires_at);
   CREATE INDEX streams_by_session ON streams (session_id);`,
];
