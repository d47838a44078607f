/**
 * Authorisation-matrix entries of the jobs domain (see matrix.ts). The internal API accepts only
 * the origin's bearer token: no user credential of any kind — missing, broken, or a perfectly
 * valid JWT of any account and role — gets past it.
 */
import type { Intruder, MatrixEntry } from "./matrix";

const everyUser: Partial<Record<Intruder, 401>> = {
  anonymous: 401,
  expired: 401,
  tampered: 401,
  revoked: 401,
  otherAccount: 401,
  viewer: 401,
  kids: 401,
};

const JOB = "job_matrix0000000000000000000";
const leaseToken = "matrix-lease-token";

export const JOB_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /internal/jobs/lease",
    request: () => ({ path: "/internal/jobs/lease", json: { workerId: "matrix-worker" } }),
    refuse: everyUser,
  },
  {
    operation: "POST /internal/jobs/{jobId}/heartbeat",
    request: () => ({
      path: `/internal/jobs/${JOB}/heartbeat`,
      json: { leaseToken, progress: 50, playable: true },
    }),
    refuse: everyUser,
  },
  {
    operation: "POST /internal/jobs/{jobId}/outputs",
    request: () => ({
      path: `/internal/jobs/${JOB}/outputs`,
      json: {
        leaseToken,
        files: [{ path: "hls/master.m3u8", contentType: "application/vnd.apple.mpegurl" }],
      },
    }),
    refuse: everyUser,
  },
  {
    operation: "POST /internal/jobs/{jobId}/complete",
    request: () => ({
      path: `/internal/jobs/${JOB}/complete`,
      json: {
        leaseToken,
        result: {
          durationMs: 1000,
          width: 640,
          height: 360,
          renditions: [{ name: "360p", width: 640, height: 360, bandwidth: 900000, codecs: "avc1.64001e" }],
          segmentCount: 1,
        },
      },
    }),
    refuse: everyUser,
  },
  {
    operation: "POST /internal/jobs/{jobId}/fail",
    request: () => ({
      path: `/internal/jobs/${JOB}/fail`,
      json: { leaseToken, reason: "matrix", retryable: false },
    }),
    refuse: everyUser,
  },
  {
    operation: "POST /internal/jobs/{jobId}/release",
    request: () => ({ path: `/internal/jobs/${JOB}/release`, json: { leaseToken } }),
    refuse: everyUser,
  },
];

/** Mutating jobs operations that need no user (or are authenticated otherwise), and why. */
export const JOB_PUBLIC_OPERATIONS: Record<string, string> = {};
