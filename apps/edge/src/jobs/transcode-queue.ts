import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db/client";
import { newId, randomToken } from "../lib/ids";
import { createLogger } from "../lib/logger";
import { applyVideoUpdate, type VideoUpdate } from "./video-state";

/**
 * The global transcode job queue (one instance, name "global"; docs/media-pipeline.md).
 *
 * Invariants, and why they hold:
 * - **One holder at a time.** A job is handed out by `lease`, which picks the oldest queued job,
 *   gives it a fresh random lease token and a deadline, and stores all of it before answering.
 *   Every RPC method does its reads and writes synchronously on SQLite (no `await` between the
 *   read and the write), so the object's single thread makes each method atomic: two concurrent
 *   `lease` calls can never both see the same job as queued. The output gate holds the answer
 *   until the write is durable, so a holder never has a lease the storage does not know about.
 * - **A lease is valid iff the token matches, the job is `leased`, and the deadline is in the
 *   future.** Lapse is decided by the clock, not by when the alarm happens to run: every method
 *   first sweeps lapsed leases (`sweep`), so a late alarm can neither let a dead worker's lease be
 *   revived by a heartbeat nor hide a lapsed job from the next `lease`.
 * - **At most one live (queued or leased) job per video**, enforced by a partial unique index, so
 *   `enqueue` is idempotent per video while a job is live.
 * - **The alarm is set for the earliest live lease deadline** (or sooner, while D1 updates wait in
 *   the outbox), and removed when nothing is leased.
 *
 * The queue owns job state only. The videos row in D1 follows it: the internal API's handlers
 * update it after each RPC answers (jobs/service.ts). Transitions nobody asked for over HTTP —
 * leases lapsing — are written to an outbox table in the same synchronous step as the job change,
 * and the alarm delivers them to D1 (retrying until D1 accepts), so they are never lost.
 *
 * Config (lease length, attempt limit) arrives as RPC arguments from the edge, which validated it;
 * each job remembers the values of its latest lease so the alarm can apply them.
 */

export type JobState = "queued" | "leased" | "completed" | "failed" | "cancelled";

/** How the latest lease of a job ended; lets a repeated complete/fail/release be answered idempotently. */
type LeaseEnd = "completed" | "failed" | "released" | "lapsed" | "cancelled";

export interface JobView {
  id: string;
  videoId: string;
  state: JobState;
  /** Attempts counted against the limit: lapsed leases and reported failures (not releases). */
  attempts: number;
  maxAttempts: number;
  /** Times the job was handed out, releases included. */
  leases: number;
  workerId: string | null;
  leaseExpiresAt: number | null;
  progress: number;
  playable: boolean;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface Lease {
  job: JobView;
  leaseToken: string;
  leaseExpiresAt: number;
  /** 1-based number of this attempt (counted attempts so far + 1). */
  attempt: number;
  /** The source's ETag recorded at enqueue (upload-complete's check), or null for an unpinned job. */
  sourceEtag: string | null;
}

export interface LeaseOptions {
  leaseSeconds: number;
  maxAttempts: number;
  /** The clock, for tests; defaults to Date.now(). */
  now?: number;
  /** Lease only this video's job (tests, operator tooling); the HTTP API never sets it. */
  videoId?: string;
}

export type Lost = "lost";

export interface HeartbeatResult {
  videoId: string;
  leaseExpiresAt: number;
  progress: number;
  playable: boolean;
}

export interface FailResult {
  videoId: string;
  /** `queued`: another attempt follows; `failed`: final. */
  state: "queued" | "failed";
  attempts: number;
  maxAttempts: number;
  reason: string;
}

export const LEASE_EXPIRED_REASON = "lease expired: the transcoder stopped responding";
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_LEASE_SECONDS = 60;
/** Finished jobs are kept this long for status queries, then pruned. */
const RETENTION_MS = 30 * 24 * 3600 * 1000;
/** How soon the alarm retries outbox deliveries after D1 refused one. */
const OUTBOX_RETRY_MS = 15_000;

interface JobRow extends Record<string, SqlStorageValue> {
  id: string;
  video_id: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  leases: number;
  lease_seconds: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  lease_ended_by: LeaseEnd | null;
  worker_id: string | null;
  progress: number;
  playable: number;
  last_error: string | null;
  source_etag: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

interface OutboxRow extends Record<string, SqlStorageValue> {
  seq: number;
  video_id: string;
  kind: "requeued" | "failed";
  reason: string | null;
}

const view = (r: JobRow): JobView => ({
  id: r.id,
  videoId: r.video_id,
  state: r.state,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  leases: r.leases,
  workerId: r.worker_id,
  leaseExpiresAt: r.lease_expires_at,
  progress: r.progress,
  playable: r.playable === 1,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** Lease tokens are compared without an early exit (they are bearer secrets of the holder). */
function sameToken(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const clampProgress = (p: number) => (Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0);

export class TranscodeQueue extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  private readonly log = createLogger({ object: "TranscodeQueue" });
  /** Not before this time does the alarm retry the outbox after a D1 failure (memory only). */
  private outboxRetryAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
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
      );
    `);
    // Objects created before sources were pinned have a jobs table without the column.
    const columns = this.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('jobs')").toArray();
    if (!columns.some((c) => c.name === "source_etag"))
      this.sql.exec("ALTER TABLE jobs ADD COLUMN source_etag TEXT");
  }

  // ---- RPC ---------------------------------------------------------------------------------
  //
  // Every method is `run(now, body)`: sweep lapsed leases, then the body — synchronous SQL only,
  // so it is atomic — then re-aim the alarm. `now` is injectable for tests; it defaults to the clock.

  /**
   * Queues a job for the video; while one is live (queued or leased) it is returned as is.
   * `sourceEtag` pins the job to the source version upload-complete checked (every lease carries it).
   */
  async enqueue(videoId: string, options: { now?: number; sourceEtag?: string } = {}): Promise<JobView> {
    return this.run(options.now, (now) => {
      const live = this.liveJobOf(videoId);
      if (live) return view(live);
      const id = newId("job");
      this.sql.exec(
        `INSERT INTO jobs (id, video_id, state, max_attempts, lease_seconds, created_at, updated_at, source_etag)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`,
        id,
        videoId,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_LEASE_SECONDS,
        now,
        now,
        options.sourceEtag ?? null,
      );
      // Housekeeping rides on enqueues: a bounded batch of long-finished jobs per call.
      this.sql.exec(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at < ? ORDER BY finished_at LIMIT 50)",
        now - RETENTION_MS,
      );
      return view(this.job(id) as JobRow);
    });
  }

  /** Hands the oldest queued job to `workerId` under a fresh lease, or null when nothing is queued. */
  async lease(workerId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.run(options.now, (now) => {
      const next = (
        options.videoId === undefined
          ? this.sql.exec<JobRow>(
              "SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1",
            )
          : this.sql.exec<JobRow>(
              "SELECT * FROM jobs WHERE state = 'queued' AND video_id = ?",
              options.videoId,
            )
      ).toArray()[0];
      if (!next) return null;
      const leaseToken = randomToken(32);
      const leaseExpiresAt = now + options.leaseSeconds * 1000;
      // The read above and this write have no await between them: no other call can see this
      // job as queued in the meantime, so it is handed out exactly once.
      this.sql.exec(
        `UPDATE jobs SET state = 'leased', lease_token = ?, lease_expires_at = ?, lease_ended_by = NULL,
           worker_id = ?, lease_seconds = ?, max_attempts = ?, leases = leases + 1,
           progress = 0, playable = 0, updated_at = ?
         WHERE id = ? AND state = 'queued'`,
        leaseToken,
        leaseExpiresAt,
        workerId,
        options.leaseSeconds,
        options.maxAttempts,
        now,
        next.id,
      );
      const job = this.job(next.id) as JobRow;
      return {
        job: view(job),
        leaseToken,
        leaseExpiresAt,
        attempt: job.attempts + 1,
        sourceEtag: job.source_etag,
      };
    });
  }

  /** Extends a current lease and records progress; "lost" if the lease is not (or no longer) the caller's. */
  async heartbeat(
    jobId: string,
    leaseToken: string,
    progress: number,
    playable: boolean,
    options: { now?: number; leaseSeconds?: number } = {},
  ): Promise<HeartbeatResult | Lost> {
    return this.run(options.now, (now) => {
      const job = this.heldJob(jobId, leaseToken);
      if (!job) return "lost";
      const leaseExpiresAt = now + (options.leaseSeconds ?? job.lease_seconds) * 1000;
      // `playable` is sticky within an attempt: once the first segments of every rung are stored
      // they stay stored, whatever a later heartbeat omits.
      const isPlayable = playable || job.playable === 1;
      const pct = clampProgress(progress);
      this.sql.exec(
        "UPDATE jobs SET lease_expires_at = ?, progress = ?, playable = ?, updated_at = ? WHERE id = ?",
        leaseExpiresAt,
        pct,
        isPlayable ? 1 : 0,
        now,
        jobId,
      );
      return { videoId: job.video_id, leaseExpiresAt, progress: pct, playable: isPlayable };
    });
  }

  /**
   * Checks that the caller holds the lease, changing nothing else. With `orCompleted`, a job this
   * same lease already completed passes too (a `complete` retried after its answer was lost).
   */
  async verifyLease(
    jobId: string,
    leaseToken: string,
    options: { now?: number; orCompleted?: boolean } = {},
  ): Promise<{ videoId: string; leaseExpiresAt: number | null } | Lost> {
    return this.run(options.now, () => {
      const job =
        this.heldJob(jobId, leaseToken) ??
        (options.orCompleted ? this.endedBy(jobId, leaseToken, "completed") : null);
      return job ? { videoId: job.video_id, leaseExpiresAt: job.lease_expires_at } : "lost";
    });
  }

  /** Marks the job done. Idempotent for the lease that completed it (`repeated: true`). */
  async complete(
    jobId: string,
    leaseToken: string,
    options: { now?: number } = {},
  ): Promise<{ videoId: string; repeated: boolean } | Lost> {
    return this.run(options.now, (now) => {
      const done = this.endedBy(jobId, leaseToken, "completed");
      if (done) return { videoId: done.video_id, repeated: true };
      const job = this.heldJob(jobId, leaseToken);
      if (!job) return "lost";
      this.sql.exec(
        `UPDATE jobs SET state = 'completed', lease_expires_at = NULL, lease_ended_by = 'completed',
           progress = 100, updated_at = ?, finished_at = ? WHERE id = ?`,
        now,
        now,
        jobId,
      );
      return { videoId: job.video_id, repeated: false };
    });
  }

  /**
   * Reports a failed attempt. It counts; a retryable failure with attempts left goes back to the
   * queue, anything else fails the job with `reason`. Idempotent for the same lease.
   */
  async fail(
    jobId: string,
    leaseToken: string,
    reason: string,
    retryable: boolean,
    options: { now?: number } = {},
  ): Promise<FailResult | Lost> {
    return this.run(options.now, (now) => {
      const repeated = this.endedBy(jobId, leaseToken, "failed");
      if (repeated) return this.failResult(repeated);
      const job = this.heldJob(jobId, leaseToken);
      if (!job) return "lost";
      const attempts = job.attempts + 1;
      const final = !retryable || attempts >= job.max_attempts;
      this.sql.exec(
        `UPDATE jobs SET state = ?, attempts = ?, last_error = ?, lease_expires_at = NULL,
           lease_ended_by = 'failed', worker_id = NULL, progress = 0, playable = 0, updated_at = ?,
           finished_at = ? WHERE id = ?`,
        final ? "failed" : "queued",
        attempts,
        reason,
        now,
        final ? now : null,
        jobId,
      );
      return this.failResult(this.job(jobId) as JobRow);
    });
  }

  /** Gives the job back without counting the attempt (the origin is shutting down). Idempotent. */
  async release(
    jobId: string,
    leaseToken: string,
    options: { now?: number } = {},
  ): Promise<{ videoId: string } | Lost> {
    return this.run(options.now, (now) => {
      const repeated = this.endedBy(jobId, leaseToken, "released");
      if (repeated) return { videoId: repeated.video_id };
      const job = this.heldJob(jobId, leaseToken);
      if (!job) return "lost";
      // Back in line at its original position (the queue orders by enqueue time).
      this.sql.exec(
        `UPDATE jobs SET state = 'queued', lease_expires_at = NULL, lease_ended_by = 'released',
           worker_id = NULL, progress = 0, playable = 0, updated_at = ? WHERE id = ?`,
        now,
        jobId,
      );
      return { videoId: job.video_id };
    });
  }

  /** The video is gone: its live job ends, and the holder's next call gets "lost". */
  async cancel(videoId: string, options: { now?: number } = {}): Promise<{ cancelled: boolean }> {
    return this.run(options.now, (now) => {
      const live = this.liveJobOf(videoId);
      if (!live) return { cancelled: false };
      this.sql.exec(
        `UPDATE jobs SET state = 'cancelled', lease_expires_at = NULL,
           lease_ended_by = CASE WHEN state = 'leased' THEN 'cancelled' ELSE lease_ended_by END,
           updated_at = ?, finished_at = ? WHERE id = ?`,
        now,
        now,
        live.id,
      );
      return { cancelled: true };
    });
  }

  /** The video's latest job (any state), for tests and observability. */
  async status(videoId: string, options: { now?: number } = {}): Promise<JobView | null> {
    return this.run(options.now, () => {
      const row = this.sql
        .exec<JobRow>(
          "SELECT * FROM jobs WHERE video_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
          videoId,
        )
        .toArray()[0];
      return row ? view(row) : null;
    });
  }

  /** Jobs per state, D1 updates waiting in the outbox, and the alarm time. */
  async stats(): Promise<{ jobs: Record<JobState, number>; outbox: number; alarm: number | null }> {
    const jobs = await this.run(undefined, () => {
      const counts: Record<JobState, number> = {
        queued: 0,
        leased: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      };
      for (const r of this.sql.exec<{ state: JobState; n: number }>(
        "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state",
      )) {
        counts[r.state] = r.n;
      }
      return counts;
    });
    const outbox = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
    return { jobs, outbox, alarm: await this.ctx.storage.getAlarm() };
  }

  /** Returns lapsed leases to the queue (or fails them), then delivers the outbox to D1. */
  override async alarm(): Promise<void> {
    this.sweep(Date.now());
    await this.flushOutbox();
    await this.scheduleAlarm(Date.now());
  }

  // ---- internals -----------------------------------------------------------------------------

  private async run<T>(at: number | undefined, body: (now: number) => T): Promise<T> {
    const now = at ?? Date.now();
    this.sweep(now);
    const result = body(now);
    await this.scheduleAlarm(now);
    return result;
  }

  private job(id: string): JobRow | undefined {
    return this.sql.exec<JobRow>("SELECT * FROM jobs WHERE id = ?", id).toArray()[0];
  }

  private liveJobOf(videoId: string): JobRow | undefined {
    return this.sql
      .exec<JobRow>("SELECT * FROM jobs WHERE video_id = ? AND state IN ('queued', 'leased')", videoId)
      .toArray()[0];
  }

  /** The job if `leaseToken` is its current lease (callers sweep first, so the deadline is in the future). */
  private heldJob(jobId: string, leaseToken: string): JobRow | null {
    const job = this.job(jobId);
    return job && job.state === "leased" && sameToken(job.lease_token, leaseToken) ? job : null;
  }

  /** The job if its latest lease is `leaseToken` and ended the given way (an idempotent repeat). */
  private endedBy(jobId: string, leaseToken: string, end: LeaseEnd): JobRow | null {
    const job = this.job(jobId);
    return job &&
      job.state !== "leased" &&
      job.lease_ended_by === end &&
      sameToken(job.lease_token, leaseToken)
      ? job
      : null;
  }

  private failResult(job: JobRow): FailResult {
    return {
      videoId: job.video_id,
      state: job.state === "failed" ? "failed" : "queued",
      attempts: job.attempts,
      maxAttempts: job.max_attempts,
      reason: job.last_error ?? "",
    };
  }

  /**
   * Every lease whose deadline has passed ends now: the attempt counts; the job goes back to the
   * queue, or fails once it has used its attempts (with the last reported reason, if any). The
   * D1 side of each change goes to the outbox in the same synchronous step.
   */
  private sweep(now: number): void {
    const lapsed = this.sql
      .exec<JobRow>("SELECT * FROM jobs WHERE state = 'leased' AND lease_expires_at <= ?", now)
      .toArray();
    if (lapsed.length === 0) return;
    this.ctx.storage.transactionSync(() => {
      for (const job of lapsed) {
        const attempts = job.attempts + 1;
        const final = attempts >= job.max_attempts;
        const reason = job.last_error ?? LEASE_EXPIRED_REASON;
        this.sql.exec(
          `UPDATE jobs SET state = ?, attempts = ?, last_error = ?, lease_expires_at = NULL,
             lease_ended_by = 'lapsed', worker_id = NULL, progress = 0, playable = 0, updated_at = ?,
             finished_at = ? WHERE id = ?`,
          final ? "failed" : "queued",
          attempts,
          final ? reason : job.last_error,
          now,
          final ? now : null,
          job.id,
        );
        this.sql.exec(
          "INSERT INTO outbox (video_id, kind, reason, created_at) VALUES (?, ?, ?, ?)",
          job.video_id,
          final ? "failed" : "requeued",
          final ? reason : null,
          now,
        );
        this.log("warn", {
          event: "transcode-lease-lapsed",
          jobId: job.id,
          videoId: job.video_id,
          workerId: job.worker_id,
          attempts,
          final,
        });
      }
    });
  }

  /** Delivers outbox entries to D1 in order; stops at the first failure and retries later. */
  private async flushOutbox(): Promise<void> {
    const entries = this.sql.exec<OutboxRow>("SELECT * FROM outbox ORDER BY seq").toArray();
    if (entries.length === 0) return;
    const db = createDb(this.env.DB);
    for (const entry of entries) {
      const update: VideoUpdate =
        entry.kind === "failed"
          ? { kind: "failed", reason: entry.reason ?? LEASE_EXPIRED_REASON }
          : { kind: "requeued" };
      try {
        // D1 is outside this object: other calls may run while we wait. That is safe, because the
        // updates are conditional on the row's status (never resurrecting a deleted or ready video)
        // and each entry is deleted by its own sequence number once delivered.
        await applyVideoUpdate(db, entry.video_id, update);
        this.sql.exec("DELETE FROM outbox WHERE seq = ?", entry.seq);
      } catch (error) {
        this.outboxRetryAt = Date.now() + OUTBOX_RETRY_MS;
        this.log("error", {
          event: "transcode-outbox-failed",
          videoId: entry.video_id,
          error: String(error),
        });
        return;
      }
    }
    this.outboxRetryAt = 0;
  }

  /** Keeps the alarm at the earliest live lease deadline, or sooner while the outbox has entries. */
  private async scheduleAlarm(now: number): Promise<void> {
    const earliest = this.sql
      .exec<{ at: number | null }>("SELECT MIN(lease_expires_at) AS at FROM jobs WHERE state = 'leased'")
      .one().at;
    const pending = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n > 0;
    const candidates = [earliest, pending ? Math.max(now, this.outboxRetryAt) : null].filter(
      (t): t is number => t !== null,
    );
    const at = candidates.length > 0 ? Math.min(...candidates) : null;
    const current = await this.ctx.storage.getAlarm();
    if (at === null) {
      if (current !== null) await this.ctx.storage.deleteAlarm();
    } else if (current !== at) {
      await this.ctx.storage.setAlarm(at);
    }
  }
}
