import { DurableObject } from "cloudflare:workers";

export interface ThrottleDecision {
  allowed: boolean;
  /** Set when allowed: pass it back to `settle` once the outcome is known. */
  attemptId?: number;
  /** Seconds until the oldest counted failure leaves the window, when refused. */
  retryAfterSeconds?: number;
}

/**
 * Counts login attempts for one key (an email or a client address) in a sliding window.
 * An attempt is counted *before* the password is checked, so a burst of parallel guesses cannot
 * all slip past the check; a successful attempt is then forgiven. The object is single-threaded,
 * which makes check-and-count atomic without locks.
 */
export class LoginThrottle extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL)",
    );
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
   * Records an attempt that is never refused, and says how long to hold it before the password
   * check: nothing below `softLimit` attempts in the window, then `stepMs` more per attempt over it,
   * at most `maxDelayMs`. Used for the email key, where a hard limit would let anyone lock the owner
   * out by guessing from addresses of their own.
   */
  async pace(
    softLimit: number,
    windowSeconds: number,
    stepMs: number,
    maxDelayMs: number,
  ): Promise<{ attemptId: number; delayMs: number }> {
    const now = Date.now();
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - windowSeconds * 1000);
    const { n } = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts").one();
    const inserted = this.sql
      .exec<{ id: number }>("INSERT INTO attempts (at) VALUES (?) RETURNING id", now)
      .one();
    await this.ctx.storage.setAlarm(now + windowSeconds * 1000 + 1000);
    const over = n - softLimit + 1;
    return { attemptId: inserted.id, delayMs: over > 0 ? Math.min(maxDelayMs, over * stepMs) : 0 };
  }

  /** A success forgives this attempt, or (for the account's own key) every recorded failure. */
  async settle(attemptId: number, succeeded: boolean, clearAllOnSuccess: boolean): Promise<void> {
    if (!succeeded) return;
    if (clearAllOnSuccess) this.sql.exec("DELETE FROM attempts");
    else this.sql.exec("DELETE FROM attempts WHERE id = ?", attemptId);
  }

  /** Fires one window after the latest attempt, so every recorded attempt is stale by then. */
  override async alarm(): Promise<void> {
    this.sql.exec("DELETE FROM attempts");
  }
}
