/**
 * The origin's internal API under /internal (docs/media-pipeline.md): lease a transcode job,
 * heartbeat it, get signed output URLs, complete / fail / release it. Authenticated by the
 * origin's bearer token, never by a user's JWT.
 *
 * Status codes the origin relies on: 409 always and only means "this lease is not yours any
 * more — stop and discard"; 400 is a bad request (including `complete` before the master playlist
 * is stored); 401 a wrong token.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../lib/errors";
import { commonErrors, createRouter, entityId, jsonBody, jsonContent } from "../lib/openapi";
import { services } from "../services";
import { requireOriginToken } from "./origin-auth";
import { transcodeQueue } from "./queue";
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

const tags = ["internal"];
const security = [{ originToken: [] }];
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

// Order matters: the token is checked before anything reads the body.
internalRoutes.use("*", requireOriginToken);
internalRoutes.use(
  "*",
  bodyLimit({
    maxSize: MAX_INTERNAL_BODY_BYTES,
    onError: () => {
      throw new AppError(
        "payload_too_large",
        `Internal request bodies are limited to ${MAX_INTERNAL_BODY_BYTES} bytes`,
      );
    },
  }),
);

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

internalRoutes
  .openapi(
    createRoute({
      method: "get",
      path: "/videos/{videoId}/job",
      tags,
      security,
      summary: "The latest transcode job of a video: state, attempts, leases (for operators and tests)",
      request: {
        params: z.object({
          videoId: entityId("video"),
        }),
      },
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
    createRoute({
      method: "post",
      path: "/jobs/lease",
      tags,
      security,
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
    createRoute({
      method: "post",
      path: "/jobs/{jobId}/heartbeat",
      tags,
      security,
      summary: "Report progress and extend the lease",
      request: { params: JobParam, body: jsonBody(HeartbeatBody) },
      responses: { 200: jsonContent(HeartbeatAnswer, "The new lease deadline"), ...errors, ...lostLease },
    }),
    async (c) =>
      c.json(await jobs.heartbeat(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/jobs/{jobId}/outputs",
      tags,
      security,
      summary: "Signed PUT URLs for outputs under videos/{videoId}/",
      request: { params: JobParam, body: jsonBody(OutputsBodySchema) },
      responses: { 200: jsonContent(OutputsAnswer, "One signed PUT per file"), ...errors, ...lostLease },
    }),
    async (c) =>
      c.json(await jobs.signOutputs(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/jobs/{jobId}/complete",
      tags,
      security,
      summary: "Finish the job: the video becomes ready and video.published is emitted",
      request: { params: JobParam, body: jsonBody(CompleteBody) },
      responses: { 200: jsonContent(CompleteAnswer, "The video is ready"), ...errors, ...lostLease },
    }),
    async (c) =>
      c.json(await jobs.completeJob(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/jobs/{jobId}/fail",
      tags,
      security,
      summary: "Report a failed attempt (retryable ones go back to the queue while attempts remain)",
      request: { params: JobParam, body: jsonBody(FailBody) },
      responses: {
        200: jsonContent(FailAnswer, "Queued for another attempt, or failed"),
        ...errors,
        ...lostLease,
      },
    }),
    async (c) =>
      c.json(await jobs.failJob(services(c), c.req.valid("param").jobId, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/jobs/{jobId}/release",
      tags,
      security,
      summary: "Give the job back without counting the attempt (shutdown)",
      request: { params: JobParam, body: jsonBody(ReleaseBody) },
      responses: { 200: jsonContent(ReleaseAnswer, "Back in the queue"), ...errors, ...lostLease },
    }),
    async (c) =>
      c.json(
        await jobs.releaseJob(services(c), c.req.valid("param").jobId, c.req.valid("json").leaseToken),
        200,
      ),
  );
