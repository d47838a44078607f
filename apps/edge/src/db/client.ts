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

/** A request's database handle, its D1 session opened on first use (see `lazySessionDb`). */
export interface LazySessionDb {
  db: Db;
  /** The session, or null while nothing has used `db` (no query ran, so no bookmark moved). */
  session: () => D1DatabaseSession | null;
}

/**
 * `createSessionDb` deferred until something first touches `db`: a request that never queries D1
 * (media segments, pages, /healthz) pays neither `withSession` nor drizzle's construction, which
 * walks the whole relational schema (~0.1 ms of CPU per request, paid on every request before).
 * Opening late changes nothing a query sees: a session's constraint only applies from its first
 * query, and the constraint is fixed when the request starts. `c.var` hands out copies of the
 * variables (Hono), so a getter cannot defer it; the handle is a Proxy that opens the session on its
 * first property access and forwards everything to the real drizzle object (methods run with the
 * proxy as `this`, whose reads land on the real object too).
 */
export function lazySessionDb(
  d1: D1Database,
  constraint: D1SessionBookmark | D1SessionConstraint,
): LazySessionDb {
  let session: D1DatabaseSession | null = null;
  let real: Db | null = null;
  const open = (): Db => {
    if (!real) {
      session = d1.withSession(constraint);
      real = createSessionDb(session);
    }
    return real;
  };
  const db = new Proxy({} as Db, {
    get: (_, prop) => Reflect.get(open(), prop),
    set: (_, prop, value) => Reflect.set(open(), prop, value),
    has: (_, prop) => Reflect.has(open(), prop),
    getPrototypeOf: () => Reflect.getPrototypeOf(open()),
  });
  return { db, session: () => session };
}
export { schema };
