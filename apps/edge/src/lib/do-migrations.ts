/**
 * The one way a Durable Object creates and upgrades its SQLite schema: numbered steps, run in the
 * constructor inside `ctx.blockConcurrencyWhile`, tracked in a one-row `schema_version` table.
 * (Not `PRAGMA user_version`: Durable Object SQLite refuses that pragma with SQLITE_AUTH.)
 *
 *   constructor(ctx, env) {
 *     super(ctx, env);
 *     ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
 *   }
 *
 * Step n (1-based: its position in the list) runs once, in order, on every object whose version is
 * below n, and the version is set to n in the same synchronous storage transaction, so a crash
 * leaves either both or neither. A shipped step is never edited or removed: append a new one.
 * `blockConcurrencyWhile` holds every request and alarm until the steps are done.
 *
 * Objects created before this module tracked versions (no `schema_version`, tables present) say
 * which version they are at through `adopt`, so steps they already have (an ALTER TABLE, say) are
 * not run again. Example: social/notifications/inbox.ts.
 */

/** One schema step: SQL to run, or a function for steps that need to read before they write. */
export type MigrationStep = string | ((sql: SqlStorage) => void);

export interface MigrateOptions {
  /** For objects from before versioning: the version they are already at (0 for a new object). */
  adopt?: (sql: SqlStorage) => number;
}

const VERSION_TABLE =
  "CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

/** The number of steps this object has run (0 for a new object or one from before versioning). */
export function schemaVersion(sql: SqlStorage): number {
  if (!hasTable(sql, "schema_version")) return 0;
  return sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0]?.version ?? 0;
}

/** Runs the steps this object has not run yet; answers the version it is at now. */
export function migrate(
  storage: DurableObjectStorage,
  steps: readonly MigrationStep[],
  options: MigrateOptions = {},
): number {
  const sql = storage.sql;
  let version = schemaVersion(sql);
  if (version > steps.length) {
    // Code older than the data (a rollback): running would corrupt it; refuse loudly.
    throw new Error(`storage is at schema version ${version}, this code knows ${steps.length}`);
  }
  if (version === steps.length) return version; // the usual start: nothing to run, nothing to write
  storage.transactionSync(() => {
    if (version === 0 && options.adopt) version = Math.min(options.adopt(sql), steps.length);
    for (let n = version; n < steps.length; n++) {
      const step = steps[n] as MigrationStep;
      if (typeof step === "string") sql.exec(step);
      else step(sql);
    }
    sql.exec(VERSION_TABLE);
    sql.exec(
      "INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
      steps.length,
    );
  });
  return steps.length;
}

/** Whether a table exists (for `adopt` functions and nothing else). */
export function hasTable(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
}
