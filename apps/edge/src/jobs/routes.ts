/**
 * The origin's internal API under /internal (docs/media-pipeline.md): lease a transcode job,
 * heartbeat it, get signed output URLs, complete / fail / release it. Authenticated by the
 * origin's bearer token, never by a user's JWT.
 *
 * Status codes the origin relies on: 409 always and only means "this lease is not yours any
 * more — stop and discard"; 400 is a bad request (including `complete` before the master playlist
 * is stored); 401 a wrong token.
 */
import { z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../lib/errors";
import { commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { VideoParam } from "../lib/params";
import { services } from "../services";
import { transcodeQueue } from "../transcode-queue/client";
import { isPayoutsPath, requireOriginToken } from "./origin-auth";
import {
  CompleteAnswer,
  CompleteBody,
  FailAnswer,
  FailBody,
  HeartbeatAnswer,
  HeartbeatBody,
  JobParam,
  LeaseBody,
  LeasedJobSchema,
  OutputsAnswer,
  OutputsBodySchema,
  ReleaseAnswer,
  ReleaseBody,
} from "./schemas";
import * as jobs from "./service";

/** Largest internal request body: an outputs request for 200 files is ~40 KiB. */
export const MAX_INTERNAL_BODY_BYTES = 256 * 1024;

const route = routesOf({ tags: ["internal"], security: [{ originToken: [] }] });
const errors = {
  400: commonErrors[400],
  401: commonErrors[401],
  413: { ...commonErrors[400], description: "The body is over the limit" },
} as const;
const lostLease = {
  409: { ...commonErrors[409], description: "The lease is lost (expired, cancelled or taken over): stop" },
} as const;

export const internalRoutes = createRouter();

internalRoutes.openAPIRegistry.registerComponent("securitySchemes", "originToken", {
  type: "http",
  scheme: "bearer",
  description: "ORIGIN_TOKEN, the origin transcoder's shared secret (not a user JWT)",
});

// Order matters: the token is checked before anything reads the body. /internal/payouts/* takes
// PAYOUTS_TOKEN instead (payouts/internal-routes.ts checks it): the origin's token is not enough there.
internalRoutes.use("*", (c, next) => (isPayoutsPath(c.req.path) ? next() : requireOriginToken(c, next)));
const internalBodyLimit = bodyLimit({
  maxSize: MAX_INTERNAL_BODY_BYTES,
  onError: () => {
    throw new AppError(
      "payload_too_large",
      `Internal request bodies are limited to ${MAX_INTERNAL_BODY_BYTES} bytes`,
    );
  },
});
// /internal/payouts has its own, larger limit (payouts/internal-routes.ts): a run's statements can
// name thousands of skipped channels.
internalRoutes.use("*", (c, next) => (isPayoutsPath(c.req.path) ? next() : internalBodyLimit(c, next)));

const JobViewSchema = z
  .object({
    id: z.string(),
    videoId: z.string(),
    state: z.enum(["queued", "leased", "completed", "failed", "cancelled"]),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    leases: z.number().int(),
    workerId: z.string().nullable(),
    leaseExpiresAt: z.number().int().nullable(),
    progress: z.number(),
    playable: z.boolean(),
    lastError: z.string().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
  })
  .openapi("TranscodeJob");

/** POST /jobs/{jobId}/{action}: a call of the lease holder, 409 once the lease is not theirs. */
const leaseHolderRoute = <Body extends z.ZodType, Answer extends z.ZodType>(
  action: string,
  summary: string,
  body: Body,
  answer: Answer,
  answerDescription: string,
) =>
  route({
    method: "post",
    path: `/jobs/{jobId}/${action}`,
    summary,
    request: { params: JobParam, body: jsonBody(body) },
    responses: { 200: jsonContent(answer, answerDescription), ...errors, ...lostLease },
  });

internalRoutes
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/job",
      summary: "The latest transcode job of a video: state, attempts, leases (for operators and tests)",
      request: { params: VideoParam },
      responses: {
        200: jsonContent(JobViewSchema, "The job"),
        404: commonErrors[404],
        401: commonErrors[401],
      },
    }),
    async (c) => {
      const job = await transcodeQueue(c.env).status(c.req.valid("param").videoId);
      if (!job) throw new AppError("not_found", "This video has no transcode job");
      return c.json(job, 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/jobs/lease",
      summary: "Lease the oldest queued transcode job (204 when none is queued)",
      request: { body: jsonBody(LeaseBody) },
      responses: {
        200: jsonContent(LeasedJobSchema, "A job, its lease, a signed GET URL of the source and the limits"),
        204: { description: "Nothing is queued" },
        ...errors,
      },
    }),
    async (c) => {
      const leased = await jobs.leaseJob(services(c), c.req.valid("json").workerId);
      return leased ? c.json(leased, 200) : c.body(null, 204);
    },
  )
  .openapi(
    leaseHolderRoute(
      "heartbeat",
      "Report progress and extend the lease",
      HeartbeatBody,
      HeartbeatAnswer,
      "The new lease deadline",
    ),
    async (c) =>
      c.json(await jobs.heartbeat(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    leaseHolderRoute(
      "outputs",
      "Signed PUT URLs for outputs under videos/{videoId}/",
      OutputsBodySchema,
      OutputsAnswer,
      "One signed PUT per file",
    ),
    async (c) =>
      c.json(await jobs.signOutputs(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    leaseHolderRoute(
      "complete",
      "Finish the job: the video becomes ready and video.published is emitted",
      CompleteBody,
      CompleteAnswer,
      "The video is ready",
    ),
    async (c) =>
      c.json(await jobs.completeJob(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    leaseHolderRoute(
      "fail",
      "Report a failed attempt (retryable ones go back to the queue while attempts remain)",
      FailBody,
      FailAnswer,
      "Queued for another attempt, or failed",
    ),
    async (c) =>
      c.json(await jobs.failJob(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    leaseHolderRoute(
      "release",
      "Give the job back without counting the attempt (shutdown)",
      ReleaseBody,
      ReleaseAnswer,
      "Back in the queue",
    ),
    async (c) =>
      c.json(await jobs.releaseJob(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  );
