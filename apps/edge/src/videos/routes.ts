import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  ProblemSchema,
  routesOf,
} from "../lib/openapi";
import { VideoParam } from "../lib/params";
import { caller, services } from "../services";
import { CreatedVideo, UploadStatusSchema, VideoCreate, VideoPatch, VideoSchema } from "./schemas";
import * as videos from "./service";
import * as uploads from "./uploads";

const route = routesOf({ tags: ["videos"], security: bearerSecurity });
const params = VideoParam;

/** Public video routes under /api/v1 (videos domain). */
export const videoRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/videos",
      summary: "Create a video (a creator with a channel) and get signed URLs to upload its file",
      description:
        "Files up to SINGLE_UPLOAD_MAX_BYTES get one signed PUT; larger ones (or any with `upload.partSize`) " +
        "a multipart plan with a signed URL per part. Then call upload-complete.",
      request: { body: jsonBody(VideoCreate) },
      responses: { 201: jsonContent(CreatedVideo, "Created, awaiting its upload"), ...commonErrors },
    }),
    async (c) => c.json(await videos.createVideo(...caller(c), c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}",
      security: optionalBearerSecurity,
      summary: "A video's metadata and processing state",
      description:
        "Private videos, and videos not yet watchable, are visible to their owner and admins only (404 for others).",
      request: { params },
      responses: { 200: jsonContent(VideoSchema, "The video"), ...commonErrors },
    }),
    async (c) => c.json(await videos.getVideo(services(c), c.var.actor, c.req.valid("param").videoId), 200),
  )
  .openapi(
    route({
      method: "patch",
      path: "/videos/{videoId}",
      summary: "Edit a video's metadata (its owner or an admin)",
      request: { params, body: jsonBody(VideoPatch) },
      responses: { 200: jsonContent(VideoSchema, "Updated"), ...commonErrors },
    }),
    async (c) =>
      c.json(await videos.updateVideo(...caller(c), c.req.valid("param").videoId, c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/videos/{videoId}",
      summary: "Delete a video (owner, admin or moderator): its job is cancelled and its files removed",
      request: { params },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await videos.deleteVideo(...caller(c), c.req.valid("param").videoId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/upload",
      summary: "Upload progress: stored parts, and fresh signed URLs for the missing ones (resume)",
      request: { params },
      responses: { 200: jsonContent(UploadStatusSchema, "The upload"), ...commonErrors },
    }),
    async (c) => c.json(await uploads.getUploadStatus(...caller(c), c.req.valid("param").videoId), 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/videos/{videoId}/upload",
      summary: "Abort the upload: stored bytes are discarded and the video fails with “upload aborted”",
      request: { params },
      responses: { 200: jsonContent(VideoSchema, "Aborted"), ...commonErrors },
    }),
    async (c) => c.json(await uploads.abortUpload(...caller(c), c.req.valid("param").videoId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/videos/{videoId}/upload-complete",
      summary: "Check the stored file against the declared size and queue its transcode",
      description:
        "409 before the upload is whole (the detail says what is missing) and once it is already queued; " +
        "502 if the job queue did not answer (the video stays `uploaded`; call again).",
      request: { params },
      responses: {
        202: jsonContent(VideoSchema, "Queued for processing"),
        ...commonErrors,
        502: {
          description: "The job queue did not answer",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) => c.json(await uploads.completeUpload(...caller(c), c.req.valid("param").videoId), 202),
  );
