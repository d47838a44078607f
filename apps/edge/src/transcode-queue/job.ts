/** What the transcode queue stores about a job, and the shapes its RPC methods answer with. */

export type JobState = "queued" | "leased" | "completed" | "failed" | "cancelled";

/** How the latest lease of a job ended; lets a repeated complete/fail/release be answered idempotently. */
export type LeaseEnd = "completed" | "failed" | "released" | "lapsed" | "cancelled";

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

/**
 * The answer of every method that acts on a lease: `ok: false` when the caller does not hold it
 * (expired, cancelled, handed to another worker, or a wrong token) and must stop.
 */
export type LeaseResult<T> = ({ ok: true } & T) | { ok: false; reason: "lease_lost" };

export const leaseLost = { ok: false, reason: "lease_lost" } as const;

export interface Heartbeat {
  videoId: string;
  leaseExpiresAt: number;
  progress: number;
  playable: boolean;
}

export interface Failure {
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

/** A row of the `jobs` table (schema.ts). */
export interface JobRow extends Record<string, SqlStorageValue> {
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

export const jobView = (r: JobRow): JobView => ({
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

export const failure = (job: JobRow): Failure => ({
  videoId: job.video_id,
  state: job.state === "failed" ? "failed" : "queued",
  attempts: job.attempts,
  maxAttempts: job.max_attempts,
  reason: job.last_error ?? "",
});
