import { DurableObject } from "cloudflare:workers";
import { hasTable, type MigrationStep, migrate } from "../lib/do-migrations";

export interface ThrottleDecision {
  allowed: boolean;
  /** Set when allowed: pass it back to `settle` once the outcome is known. */
  attemptId?: number;
  /** Seconds until the oldest counted failure leaves the window, when refused. */
  retryAfterSeconds?: number;
}

export interface PaceDecision {
  allowed: boolean;
  /** Set when allowed and counted (not for a known client): pass it back to `settle` on success. */
  attemptId?: number;
  /** How long to hold the attempt before its password check. */
  waitMs?: number;
  retryAfterSeconds?: number;
}

/**
 * Schema steps, in order (do-migrations.ts): append only.
 * 1. Attempts under the key, in a sliding window.
 * 2. An email's pace: the time of the latest reserved slot.
 * 3. An email's known clients: hashes of (email, client key) that signed in, since when they have
 *    been known without a gap, and until when they count.
 */
export const RATE_LIMITER_MIGRATIONS: readonly MigrationStep[] = [
  "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL)",
  "CREATE TABLE pace_slot (id INTEGER PRIMARY KEY CHECK (id = 1), next_at INTEGER NOT NULL)",
  "CREATE TABLE known_clients (hash TEXT PRIMARY KEY, since INTEGER NOT NULL, until INTEGER NOT NULL)",
];

/**
 * Objects from before versioning created the tables of the steps above in order, each time they
 * started (`CREATE TABLE IF NOT EXISTS`), so the tables present say how far they got.
 */
const adopt = (sql: SqlStorage): number => {
  const tables = ["attempts", "pace_slot", "known_clients"];
  const missing = tables.findIndex((t) => !hasTable(sql, t));
  return missing === -1 ? tables.length : missing;
};

/** What the constructor runs: brings the object's storage to the current schema. */
export const migrateRateLimiter = (storage: DurableObjectStorage) =>
  migrate(storage, RATE_LIMITER_MIGRATIONS, { adopt });

/** The rate limiter that counts under `key` (one object per key; the key says whose limit it is). */
export const rateLimiter = (env: Env, key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));

/**
 * A sliding-window rate limiter for one key, used by name: sign-in (an email, a client address, an
 * email and client pair), code requests, comment posting (`comment-post:{profileId}`) and playback
 * beacons (`beacons:{profileId}`). An attempt is counted *before* the work it guards is done, so a
 * burst of parallel attempts cannot all slip past the check; a successful attempt may then be
 * forgiven. The object is single-threaded, which makes check-and-count atomic without locks.
 * Sign-in also keeps an email's pace and its known clients here.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrateRateLimiter(ctx.storage);
    });
  }

  async begin(limit: number, windowSeconds: number): Promise<ThrottleDecision> {
    const now = Date.now();
    const windowStart = now - windowSeconds * 1000;
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", windowStart);
    const row = this.sql
      .exec<{ n: number; oldest: number | null }>("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM attempts")
      .one();
    if (row.n >= limit) {
      const oldest = row.oldest ?? now;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000)),
      };
    }
    const inserted = this.sql
      .exec<{ id: number }>("INSERT INTO attempts (at) VALUES (?) RETURNING id", now)
      .one();
    // Forget everything once the window has passed with no further attempts.
    await this.ctx.storage.setAlarm(now + windowSeconds * 1000 + 1000);
    return { allowed: true, attemptId: inserted.id };
  }

  /**
   * The email's rate, for attempts that passed the hard per-client limits. Below `softLimit`
   * attempts in the window nothing waits. Past it, each attempt reserves the next slot — `stepMs`
   * after the latest reserved one, or after now — and waits until its slot, so parallel attempts
   * queue rather than share one delay: the email gets at most one check per step from everyone
   * together. An attempt whose slot is more than `maxWaitMs` away is refused (and not recorded).
   * A known client (`clientHash` signed in to this email lately) is never slowed, queued or refused:
   * a crowd of strangers cannot keep the owner out of an address they have used.
   */
  async reserve(o: {
    softLimit: number;
    windowSeconds: number;
    stepMs: number;
    maxWaitMs: number;
    clientHash: string;
  }): Promise<PaceDecision> {
    const now = Date.now();
    const known = this.sql
      .exec("SELECT 1 FROM known_clients WHERE hash = ? AND until > ?", o.clientHash, now)
      .toArray();
    if (known.length > 0) return { allowed: true, waitMs: 0 };
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - o.windowSeconds * 1000);
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts").one();
    let waitMs = 0;
    if (n >= o.softLimit) {
      const latest = this.sql.exec<{ next_at: number }>("SELECT next_at FROM pace_slot").toArray()[0];
      const slot = Math.max(now, latest?.next_at ?? 0) + o.stepMs;
      if (slot - now > o.maxWaitMs) {
        // The slot becomes reservable once it is within maxWaitMs of now.
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((slot - o.maxWaitMs - now) / 1000)),
        };
      }
      this.sql.exec("INSERT OR REPLACE INTO pace_slot (id, next_at) VALUES (1, ?)", slot);
      waitMs = slot - now;
    }
    const inserted = this.sql
      .exec<{ id: number }>("INSERT INTO attempts (at) VALUES (?) RETURNING id", now)
      .one();
    await this.ctx.storage.setAlarm(now + o.windowSeconds * 1000 + 1000);
    return { allowed: true, attemptId: inserted.id, waitMs };
  }

  /**
   * Remembers a client that signed in to this email, for `ttlMs` from now. A client still known
   * keeps its `since`; one whose time lapsed starts again.
   */
  async remember(clientHash: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM known_clients WHERE until <= ?", now);
    this.sql.exec(
      "INSERT INTO known_clients (hash, since, until) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET until = excluded.until",
      clientHash,
      now,
      now + ttlMs,
    );
  }

  /** Since when the client has been known to this email, or null if it is not. */
  async knownSince(clientHash: string): Promise<number | null> {
    const row = this.sql
      .exec<{ since: number }>(
        "SELECT since FROM known_clients WHERE hash = ? AND until > ?",
        clientHash,
        Date.now(),
      )
      .toArray()[0];
    return row?.since ?? null;
  }

  async isKnown(clientHash: string): Promise<boolean> {
    return (await this.knownSince(clientHash)) !== null;
  }

  /** A success forgives this attempt, or (for the account's own key) every recorded failure. */
  async settle(attemptId: number, succeeded: boolean, clearAllOnSuccess: boolean): Promise<void> {
    if (!succeeded) return;
    if (clearAllOnSuccess) this.sql.exec("DELETE FROM attempts");
    else this.sql.exec("DELETE FROM attempts WHERE id = ?", attemptId);
  }

  /**
   * Fires one window after the latest attempt, so every recorded attempt is stale by then (and any
   * reserved slot has passed). Known clients stay until they expire.
   */
  override async alarm(): Promise<void> {
    this.sql.exec("DELETE FROM attempts");
    this.sql.exec("DELETE FROM pace_slot");
    this.sql.exec("DELETE FROM known_clients WHERE until <= ?", Date.now());
  }
}
