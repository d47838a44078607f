import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db/client";
import { announceFailure } from "../jobs/failure-event";
import { migrate } from "../lib/do-migrations";
import { newId } from "../lib/ids";
import { createLogger } from "../lib/logger";
import { type Backlog, wakeOrigins } from "../origin-container/fleet";
import {
  DEFAULT_LEASE_SECONDS,
  DEFAULT_MAX_ATTEMPTS,
  type Failure,
  failure,
  type Heartbeat,
  type JobRow,
  type JobState,
  type JobView,
  jobView,
  type Lease,
  type LeaseOptions,
  type LeaseResult,
  leaseLost,
} from "./job";
import { endedBy, endLease, extendLease, grantLease, heldJob, jobById, sweepLapsedLeases } from "./leases";
import { deliverOutbox, outboxSize } from "./outbox";
import { SCHEMA } from "./schema";

/** Finished jobs are kept this long for status queries, then pruned. */
const RETENTION_MS = 30 * 24 * 3600 * 1000;
/** How soon the alarm retries outbox deliveries after D1 refused one. */
const OUTBOX_RETRY_MS = 15_000;

/**
 * The global transcode job queue (one instance, name "global"; docs/media-pipeline.md).
 *
 * Invariants, and why they hold:
 * - **One holder at a time.** `lease` picks the oldest queued job, gives it a fresh random token
 *   and a deadline, and stores all of it before answering. Every RPC method does its reads and
 *   writes synchronously on SQLite (no `await` between them), so the object's single thread makes
 *   each method atomic: two concurrent `lease` calls never both see the same job as queued. The
 *   output gate holds the answer until the write is durable.
 * - **A lease is valid iff the token matches, the job is `leased`, and the deadline is in the
 *   future.** Lapse is decided by the clock, not by when the alarm runs: every method first sweeps
 *   lapsed leases, so a late alarm can neither let a heartbeat revive a dead worker's lease nor hide
 *   a lapsed job from the next `lease`.
 * - **At most one live (queued or leased) job per video**, by a partial unique index, so `enqueue`
 *   is idempotent per video while a job is live.
 * - **The alarm is set for the earliest live lease deadline** (or sooner, while D1 updates wait in
 *   the outbox, or at once when origin containers must be woken), and removed when nothing is leased.
 * - **Origin containers are woken from the alarm**, never inside an RPC: only where the
 *   ORIGIN_CONTAINER binding exists (production), after an enqueue and whenever the alarm finds
 *   jobs queued (a lapsed lease back in line). A container start can take seconds, so `enqueue`
 *   answers without waiting for it; a failed start is logged, and the next alarm or the 30-minute
 *   cron (index.ts) wakes again.
 *
 * The queue owns job state only; the videos row in D1 follows it (jobs/service.ts updates it after
 * each RPC answers; lapses go through the outbox, outbox.ts). Config (lease length, attempt limit)
 * arrives as RPC arguments from the edge, which validated it; each job remembers the values of its
 * latest lease so the alarm can apply them.
 */
export class TranscodeQueue extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  private readonly log = createLogger({ object: "TranscodeQueue" });
  /** Not before this time does the alarm retry the outbox after a D1 failure (memory only). */
  private outboxRetryAt = 0;
  /** An enqueue asked for origins to be woken by the next (immediate) alarm (memory only). */
  private wakeRequested = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, SCHEMA));
  }

  // Every method is `run(now, body)`: sweep lapsed leases, then the body — synchronous SQL only,
  // so it is atomic — then re-aim the alarm. `now` is injectable for tests; it defaults to the clock.

  /**
   * Queues a job for the video; while one is live (queued or leased) it is returned as is.
   * `sourceEtag` pins the job to the source version upload-complete checked (every lease carries it).
   */
  async enqueue(videoId: string, options: { now?: number; sourceEtag?: string } = {}): Promise<JobView> {
    return this.run(options.now, (now) => {
      // With origin containers, a queued job wakes them (the alarm does it; see the class comment).
      if (this.env.ORIGIN_CONTAINER) this.wakeRequested = true;
      const live = this.liveJobOf(videoId);
      if (live) return jobView(live);
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
      return jobView(jobById(this.sql, id) as JobRow);
    });
  }

  /** Hands the oldest queued job to `workerId` under a fresh lease, or null when nothing is queued. */
  async lease(workerId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.run(options.now, (now) => grantLease(this.sql, workerId, options, now));
  }

  /** Extends the caller's lease and records progress. */
  async heartbeat(
    jobId: string,
    leaseToken: string,
    progress: number,
    playable: boolean,
    options: { now?: number; leaseSeconds?: number } = {},
  ): Promise<LeaseResult<Heartbeat>> {
    return this.run(options.now, (now) => {
      const job = heldJob(this.sql, jobId, leaseToken);
      if (!job) return leaseLost;
      return { ok: true, ...extendLease(this.sql, job, { ...options, now, progress, playable }) };
    });
  }

  /**
   * Checks that the caller holds the lease, changing nothing. With `orCompleted`, a job this same
   * lease already completed passes too (a `complete` retried after its answer was lost).
   */
  async verifyLease(
    jobId: string,
    leaseToken: string,
    options: { now?: number; orCompleted?: boolean } = {},
  ): Promise<LeaseResult<{ videoId: string; leaseExpiresAt: number | null }>> {
    return this.run(options.now, () => {
      const job =
        heldJob(this.sql, jobId, leaseToken) ??
        (options.orCompleted ? endedBy(this.sql, jobId, leaseToken, "completed") : null);
      return job ? { ok: true, videoId: job.video_id, leaseExpiresAt: job.lease_expires_at } : leaseLost;
    });
  }

  /** Marks the job done. Idempotent for the lease that completed it (`repeated: true`). */
  async complete(
    jobId: string,
    leaseToken: string,
    options: { now?: number } = {},
  ): Promise<LeaseResult<{ videoId: string; repeated: boolean }>> {
    return this.run(options.now, (now) => {
      const done = endedBy(this.sql, jobId, leaseToken, "completed");
      if (done) return { ok: true, videoId: done.video_id, repeated: true };
      const job = heldJob(this.sql, jobId, leaseToken);
      if (!job) return leaseLost;
      this.sql.exec(
        `UPDATE jobs SET state = 'completed', lease_expires_at = NULL, lease_ended_by = 'completed',
           progress = 100, updated_at = ?, finished_at = ? WHERE id = ?`,
        now,
        now,
        jobId,
      );
      return { ok: true, videoId: job.video_id, repeated: false };
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
  ): Promise<LeaseResult<Failure>> {
    return this.run(options.now, (now) => {
      const repeated = endedBy(this.sql, jobId, leaseToken, "failed");
      if (repeated) return { ok: true, ...failure(repeated) };
      const job = heldJob(this.sql, jobId, leaseToken);
      if (!job) return leaseLost;
      const attempts = job.attempts + 1;
      const final = !retryable || attempts >= job.max_attempts;
      endLease(this.sql, job, "failed", { now, attempts, lastError: reason, final });
      return { ok: true, ...failure(jobById(this.sql, jobId) as JobRow) };
    });
  }

  /** Gives the job back without counting the attempt (the origin is shutting down). Idempotent. */
  async release(
    jobId: string,
    leaseToken: string,
    options: { now?: number } = {},
  ): Promise<LeaseResult<{ videoId: string }>> {
    return this.run(options.now, (now) => {
      const repeated = endedBy(this.sql, jobId, leaseToken, "released");
      if (repeated) return { ok: true, videoId: repeated.video_id };
      const job = heldJob(this.sql, jobId, leaseToken);
      if (!job) return leaseLost;
      // Back in line at its original position (the queue orders by enqueue time).
      endLease(this.sql, job, "released", {
        now,
        attempts: job.attempts,
        lastError: job.last_error,
        final: false,
      });
      return { ok: true, videoId: job.video_id };
    });
  }

  /** The video is gone: its live job ends, and the holder's next call finds its lease lost. */
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
      return row ? jobView(row) : null;
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
      const rows = this.sql.exec<{ state: JobState; n: number }>(
        "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state",
      );
      for (const r of rows) counts[r.state] = r.n;
      return counts;
    });
    return { jobs, outbox: outboxSize(this.sql), alarm: await this.ctx.storage.getAlarm() };
  }

  /** Returns lapsed leases to the queue (or fails them), then delivers the outbox to D1. */
  override async alarm(): Promise<void> {
    sweepLapsedLeases(this.ctx.storage, Date.now(), this.log);
    const db = createDb(this.env.DB);
    // A job failed for good by a lapsed last lease: integrators hear of it as of any other failure.
    const delivered = await deliverOutbox(this.sql, db, this.log, (videoId, reason, seq) =>
      announceFailure(this.env, db, videoId, `evt_failed_${videoId}_q${seq}`, reason),
    );
    this.outboxRetryAt = delivered ? 0 : Date.now() + OUTBOX_RETRY_MS;
    // Cleared before the wake: an enqueue during it asks again, and the alarm below re-arms.
    this.wakeRequested = false;
    if (this.env.ORIGIN_CONTAINER) await wakeOrigins(this.env, this.backlog(), this.log);
    await this.scheduleAlarm(Date.now());
  }

  /** Jobs waiting and jobs held, for sizing the origin fleet. */
  private backlog(): Backlog {
    const backlog: Backlog = { queued: 0, leased: 0 };
    const rows = this.sql.exec<{ state: "queued" | "leased"; n: number }>(
      "SELECT state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'leased') GROUP BY state",
    );
    for (const r of rows) backlog[r.state] = r.n;
    return backlog;
  }

  private async run<T>(at: number | undefined, body: (now: number) => T): Promise<T> {
    const now = at ?? Date.now();
    sweepLapsedLeases(this.ctx.storage, now, this.log);
    const result = body(now);
    await this.scheduleAlarm(now);
    return result;
  }

  private liveJobOf(videoId: string): JobRow | undefined {
    return this.sql
      .exec<JobRow>("SELECT * FROM jobs WHERE video_id = ? AND state IN ('queued', 'leased')", videoId)
      .toArray()[0];
  }

  /** Keeps the alarm at the earliest live lease deadline, or sooner while the outbox has entries. */
  private async scheduleAlarm(now: number): Promise<void> {
    const earliest = this.sql
      .exec<{ at: number | null }>("SELECT MIN(lease_expires_at) AS at FROM jobs WHERE state = 'leased'")
      .one().at;
    const outboxDue = outboxSize(this.sql) > 0 ? Math.max(now, this.outboxRetryAt) : null;
    const wakeDue = this.wakeRequested ? now : null;
    const candidates = [earliest, outboxDue, wakeDue].filter((t): t is number => t !== null);
    const at = candidates.length > 0 ? Math.min(...candidates) : null;
    const current = await this.ctx.storage.getAlarm();
    if (at === null) {
      if (current !== null) await this.ctx.storage.deleteAlarm();
    } else if (current !== at) {
      await this.ctx.storage.setAlarm(at);
    }
  }
}
