import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/**
 * drizzle over the plain binding: every query goes to the primary. Queue consumers, cron, alarms
 * and Durable Objects use this (they decide on exact state and no client bookmark concerns them).
 */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/**
 * drizzle over one D1 Sessions API session (docs/read-replicas.md): reads may come from a replica
 * that is at least as new as the session's bookmark, and every query sees the session's own writes.
 */
export function createSessionDb(session: D1DatabaseSession) {
  return createDb(sessionAsDatabase(session));
}

/**
 * drizzle-orm 0.45's d1 driver types its client as `D1Database`, but only ever calls `prepare` and
 * `batch` on it (drizzle-orm/d1/session.js, transactions included: they are `begin`/`commit`
 * statements through `prepare`), which is exactly what a `D1DatabaseSession` has. The three methods
 * a session lacks throw instead of reaching the binding, so nothing can silently bypass the session.
 */
function sessionAsDatabase(session: D1DatabaseSession): D1Database {
  const notOnASession = (method: string) => () => {
    throw new Error(`D1Database.${method} is not available through a D1 session`);
  };
  return {
    // Forwarded for drizzle only; application code still goes through drizzle (tests/lint/raw-sql.ts).
    prepare: session.prepare.bind(session),
    batch: session.batch.bind(session),
    exec: notOnASession("exec"),
    withSession: notOnASession("withSession"),
    dump: notOnASession("dump"),
  };
}

export type Db = ReturnType<typeof createDb>;
export { schema };
