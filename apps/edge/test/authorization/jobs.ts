/**
 * Authorisation-matrix entries of the jobs domain (see matrix.ts). The internal API accepts only
 * the origin's bearer token: no user credential of any kind — missing, broken, or a perfectly
 * valid JWT of any account and role — gets past it.
 */
import { env } from "cloudflare:test";
import { api } from "../harness";
import type { Intruder, MatrixEntry, MatrixRequest, OwnerCheck } from "./matrix";

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

const origin = () => ({ token: env.ORIGIN_TOKEN });
/**
 * The origin acting on a job it holds no lease of: the route let it in, looked the lease up and
 * found it is not the origin's. (A real job's lease is the jobs tests' business; here only the gate
 * matters, and leasing a real job would take one another test file is waiting for.)
 */
const noSuchJob: OwnerCheck = {
  as: origin,
  status: 409,
  because:
    "the matrix holds no lease: the origin token is accepted, then the lease is found not to be its own",
};
const leaseToken = "matrix-lease-token";

/**
 * The origin's request on a job, per operation: well formed, with a lease it does not hold (the
 * fuzz test sends the same requests as its legitimate cases).
 */
export const JOB_REQUESTS: Record<string, MatrixRequest> = {
  "POST /internal/jobs/{jobId}/heartbeat": {
    path: `/internal/jobs/${JOB}/heartbeat`,
    json: { leaseToken, progress: 50, playable: true },
  },
  "POST /internal/jobs/{jobId}/outputs": {
    path: `/internal/jobs/${JOB}/outputs`,
    json: { leaseToken, files: [{ path: "hls/master.m3u8", contentType: "application/vnd.apple.mpegurl" }] },
  },
  "POST /internal/jobs/{jobId}/complete": {
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
  },
  "POST /internal/jobs/{jobId}/fail": {
    path: `/internal/jobs/${JOB}/fail`,
    json: { leaseToken, reason: "matrix", retryable: false },
  },
  "POST /internal/jobs/{jobId}/release": { path: `/internal/jobs/${JOB}/release`, json: { leaseToken } },
};

export const JOB_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /internal/jobs/lease",
    request: () => ({ path: "/internal/jobs/lease", json: { workerId: "matrix-worker" } }),
    refuse: everyUser,
    owner: {
      as: origin,
      // The queue is shared with other test files: there may be a job to lease, or none.
      status: [200, 204],
      because: "204 when no job is queued",
      settle: async (res, body) => {
        if (res.status !== 200) return;
        const job = JSON.parse(body) as { id: string; leaseToken: string };
        await api(`/internal/jobs/${job.id}/release`, {
          method: "POST",
          token: env.ORIGIN_TOKEN,
          json: { leaseToken: job.leaseToken },
        });
      },
    },
  },
  ...Object.entries(JOB_REQUESTS).map(
    ([operation, request]): MatrixEntry => ({
      operation,
      request: () => request,
      refuse: everyUser,
      owner: noSuchJob,
    }),
  ),
];

/** Mutating jobs operations that need no user (or are authenticated otherwise), and why. */
export const JOB_PUBLIC_OPERATIONS: Record<string, string> = {};
