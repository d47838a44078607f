/**
 * Who holds which job: the lease checks and the lease endings every RPC method shares. All of it is
 * synchronous SQL, so that each method of the object stays atomic (object.ts).
 */
import { randomToken } from "../lib/ids";
import type { Logger } from "../lib/logger";
import {
  type Heartbeat,
  type JobRow,
  jobView,
  LEASE_EXPIRED_REASON,
  type Lease,
  type LeaseEnd,
  type LeaseOptions,
} from "./job";
import { recordVideoUpdate } from "./outbox";

/** Lease tokens are compared without an early exit (they are bearer secrets of the holder). */
export function sameToken(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const jobById = (sql: SqlStorage, id: string): JobRow | undefined =>
  sql.exec<JobRow>("SELECT * FROM jobs WHERE id = ?", id).toArray()[0];

/** The job if `leaseToken` is its current lease (callers sweep first, so the deadline is in the future). */
export function heldJob(sql: SqlStorage, jobId: string, leaseToken: string): JobRow | null {
  const job = jobById(sql, jobId);
  return job && job.state === "leased" && sameToken(job.lease_token, leaseToken) ? job : null;
}

/** The job if its latest lease is `leaseToken` and ended the given way (an idempotent repeat). */
export function endedBy(sql: SqlStorage, jobId: string, leaseToken: string, end: LeaseEnd): JobRow | null {
  const job = jobById(sql, jobId);
  return job && job.state !== "leased" && job.lease_ended_by === end && sameToken(job.lease_token, leaseToken)
    ? job
    : null;
}

/** Leases the oldest queued job (or `options.videoId`'s) to `workerId`; null when nothing is queued. */
export function grantLease(
  sql: SqlStorage,
  workerId: string,
  options: LeaseOptions,
  now: number,
): Lease | null {
  const next = (
    options.videoId === undefined
      ? sql.exec<JobRow>("SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1")
      : sql.exec<JobRow>("SELECT * FROM jobs WHERE state = 'queued' AND video_id = ?", options.videoId)
  ).toArray()[0];
  if (!next) return null;
  const leaseToken = randomToken(32);
  const leaseExpiresAt = now + options.leaseSeconds * 1000;
  // No await since the read above: no other call can see this job as queued in the meantime.
  sql.exec(
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
  const job = jobById(sql, next.id) as JobRow;
  return {
    job: jobView(job),
    leaseToken,
    leaseExpiresAt,
    attempt: job.attempts + 1,
    sourceEtag: job.source_etag,
  };
}

const clampProgress = (p: number) => (Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0);

/** A heartbeat of the holder: a new deadline (the job's lease length unless given) and progress. */
export function extendLease(
  sql: SqlStorage,
  job: JobRow,
  beat: { now: number; progress: number; playable: boolean; leaseSeconds?: number },
): Heartbeat {
  const leaseExpiresAt = beat.now + (beat.leaseSeconds ?? job.lease_seconds) * 1000;
  // `playable` is sticky within an attempt: once the first segments of every rung are stored they
  // stay stored, whatever a later heartbeat omits.
  const playable = beat.playable || job.playable === 1;
  const progress = clampProgress(beat.progress);
  sql.exec(
    "UPDATE jobs SET lease_expires_at = ?, progress = ?, playable = ?, updated_at = ? WHERE id = ?",
    leaseExpiresAt,
    progress,
    playable ? 1 : 0,
    beat.now,
    job.id,
  );
  return { videoId: job.video_id, leaseExpiresAt, progress, playable };
}

/**
 * Ends a lease without the job succeeding: back to the queue, or `failed` when `final`. Nobody
 * produces output for it any more, so progress and playable start over with the next lease.
 */
export function endLease(
  sql: SqlStorage,
  job: JobRow,
  end: "failed" | "released" | "lapsed",
  outcome: { now: number; attempts: number; lastError: string | null; final: boolean },
): void {
  const { now, attempts, lastError, final } = outcome;
  sql.exec(
    `UPDATE jobs SET state = ?, attempts = ?, last_error = ?, lease_expires_at = NULL, lease_ended_by = ?,
       worker_id = NULL, progress = 0, playable = 0, updated_at = ?, finished_at = ? WHERE id = ?`,
    final ? "failed" : "queued",
    attempts,
    lastError,
    end,
    now,
    final ? now : null,
    job.id,
  );
}

/**
 * Every lease whose deadline has passed ends now: the attempt counts; the job goes back to the
 * queue, or fails once it has used its attempts (with the last reported reason, if any). The D1
 * side of each change goes to the outbox in the same synchronous transaction.
 */
export function sweepLapsedLeases(storage: DurableObjectStorage, now: number, log: Logger): void {
  const sql = storage.sql;
  const lapsed = sql
    .exec<JobRow>("SELECT * FROM jobs WHERE state = 'leased' AND lease_expires_at <= ?", now)
    .toArray();
  if (lapsed.length === 0) return;
  storage.transactionSync(() => {
    for (const job of lapsed) {
      const attempts = job.attempts + 1;
      const final = attempts >= job.max_attempts;
      const reason = job.last_error ?? LEASE_EXPIRED_REASON;
      endLease(sql, job, "lapsed", { now, attempts, lastError: final ? reason : job.last_error, final });
      recordVideoUpdate(sql, job.video_id, final ? { kind: "failed", reason } : { kind: "requeued" }, now);
      log("warn", {
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
