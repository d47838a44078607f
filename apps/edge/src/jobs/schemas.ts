/**
 * OpenAPI-facing schemas of the internal API. Request bodies are the shared contract's
 * (`@marquee/shared` media.ts), named here for the document; the answers that the contract
 * leaves implicit are defined here.
 */
import { z } from "@hono/zod-openapi";
import {
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  HeartbeatResponse,
  LeasedJob,
  LeaseRequest,
  OutputsRequest,
  OutputsResponse,
  ReleaseRequest,
} from "@marquee/shared";

export const JobParam = z.object({
  jobId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^job_[0-9a-z]+$/, "A job id as handed out by a lease")
    .openapi({ param: { name: "jobId", in: "path" }, example: "job_0123456789abcdefghjkmnpqrs" }),
});

/** A MIME type without parameters, e.g. `video/iso.segment` (it is signed into the upload URL). */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/i;

/**
 * OUTPUT_PATH already confines paths to the known directories; on top of that no segment may be
 * `.` or `..` (a URL would resolve them) and each content type must be a plain MIME type.
 */
export const OutputsBody = OutputsRequest.superRefine((body, ctx) => {
  body.files.forEach((file, i) => {
    if (file.path.split("/").some((segment) => segment === "." || segment === "..")) {
      ctx.addIssue({ code: "custom", path: ["files", i, "path"], message: "not an allowed output path" });
    }
    if (!MIME.test(file.contentType)) {
      ctx.addIssue({
        code: "custom",
        path: ["files", i, "contentType"],
        message: "a MIME type such as video/mp4",
      });
    }
  });
});

export const LeaseBody = LeaseRequest.openapi("LeaseRequest");
export const LeasedJobSchema = LeasedJob.openapi("LeasedJob");
export const HeartbeatBody = HeartbeatRequest.openapi("HeartbeatRequest");
export const OutputsBodySchema = OutputsBody.openapi("OutputsRequest");
export const CompleteBody = CompleteRequest.openapi("CompleteRequest");
export const FailBody = FailRequest.openapi("FailRequest");
export const ReleaseBody = ReleaseRequest.openapi("ReleaseRequest");

export const HeartbeatAnswer = HeartbeatResponse.openapi("HeartbeatResponse");
export const OutputsAnswer = OutputsResponse.openapi("OutputsResponse");
export const CompleteAnswer = z
  .object({ videoId: z.string(), status: z.literal("ready") })
  .openapi("CompleteAnswer");
export const FailAnswer = z
  .object({
    status: z.enum(["queued", "failed"]).openapi({ description: "queued: another attempt follows" }),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
  })
  .openapi("FailAnswer");
export const ReleaseAnswer = z.object({ status: z.literal("queued") }).openapi("ReleaseAnswer");
