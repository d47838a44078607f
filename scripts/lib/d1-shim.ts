/** The edge's code run over the local D1 file, through a D1-like binding of it. */
import type { Database, Statement } from "bun:sqlite";
import { resolve } from "node:path";

/**
 * The edge's own trending recompute (apps/edge/src/feed/trending-task.ts), run over the file through a
 * D1-like binding, so the seeded trending table is what the cron writes.
 */
export async function edgeTrending(db: Database, now: number): Promise<void> {
  const modulePath = resolve(import.meta.dir, "../../apps/edge/src/feed/trending-task.ts");
  const mod = (await import(modulePath)) as {
    recomputeTrending: (env: unknown, now: number) => Promise<void>;
  };
  await mod.recomputeTrending({ DB: d1Shim(db) }, now);
}

/**
 * A D1-like binding over a bun:sqlite database (prepare/bind/first/all/run/raw/batch, exec), enough
 * for drizzle's D1 driver, so the seed can call the edge's trending recompute. It is a driver (it
 * implements D1's API over the file), not a place that writes SQL of its own.
 */
export function d1Shim(db: Database) {
  const wrap = (sql: string, args: unknown[] = []) => {
    let stmt: Statement | undefined;
    const get = () => {
      stmt ??= db.query(sql);
      return stmt;
    };
    const params = () => args as never[];
    const meta = () => ({ changes: 0, last_row_id: 0, duration: 0, rows_read: 0, rows_written: 0 });
    const api = {
      bind: (...values: unknown[]) =>
        wrap(
          sql,
          values.map((v) => (typeof v === "boolean" ? Number(v) : v)),
        ),
      first: async (column?: string) => {
        const row = get().get(...params()) as Record<string, unknown> | null;
        if (!row) return null;
        return column ? row[column] : row;
      },
      all: async () => ({ success: true, results: get().all(...params()), meta: meta() }),
      run: async () => {
        const res = get().run(...params());
        return {
          success: true,
          results: [],
          meta: { ...meta(), changes: res.changes, last_row_id: Number(res.lastInsertRowid) },
        };
      },
      raw: async (options?: { columnNames?: boolean }) => {
        const rows = get().values(...params()) as unknown[][];
        return options?.columnNames ? [get().columnNames, ...rows] : rows;
      },
    };
    return api;
  };
  return {
    prepare: (sql: string) => wrap(sql),
    batch: async (stmts: { all: () => Promise<unknown> }[]) => {
      db.run("BEGIN");
      try {
        const out: unknown[] = [];
        for (const s of stmts) out.push(await s.all());
        db.run("COMMIT");
        return out;
      } catch (err) {
        db.run("ROLLBACK");
        throw err;
      }
    },
    exec: async (sql: string) => {
      db.run(sql);
      return { count: 1, duration: 0 };
    },
  };
}
