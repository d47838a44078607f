import { z } from "@hono/zod-openapi";
import { commonErrors, createRouter, jsonContent, optionalBearerSecurity, routesOf } from "../lib/openapi";
import { entityId, VideoParam } from "../lib/params";
import { services } from "../services";
import { getPlayback } from "./service";

const Playback = z
  .object({
    videoId: z.string(),
    status: z.string(),
    playable: z.boolean(),
    progress: z.number().int(),
    growing: z.boolean(),
    durationMs: z.number().int().nullable(),
    maxHeight: z.number().int(),
    sourceHeight: z.number().int().nullable(),
    streamId: z.string().nullable(),
    heartbeatSeconds: z.number().int().nullable(),
    manifestUrl: z.string(),
    posterUrl: z.string(),
    storyboardUrl: z.string(),
    expiresAt: z.string(),
    ad: z
      .object({
        sessionId: z.string(),
        campaignId: z.string(),
        durationMs: z.number().int(),
        title: z.string(),
        clickUrl: z
          .string()
          .openapi({ description: "Signed; counts the click and redirects to the advertiser" }),
      })
      .nullable()
      .openapi({
        description:
          "The pre-roll stitched in front of the content in the media playlists (plans with ads only); " +
          "an EXT-X-DATERANGE of CLASS com.marquee.ad marks it there too",
      }),
  })
  .openapi("Playback");

const PlaybackQuery = z.object({
  // The streams object's ids (`stream_<hex>`), the same shape as every entity id.
  streamId: entityId("stream")
    .optional()
    .openapi({ description: "The caller's own live stream, to re-issue for it" }),
});

// Anonymous callers may watch public videos; a token adds private/premium access.
const route = routesOf({ tags: ["playback"], security: optionalBearerSecurity });

export const playbackRoutes = createRouter().openapi(
  route({
    method: "get",
    path: "/videos/{videoId}/playback",
    summary:
      "A signed master playlist URL (renditions capped by plan; Save-Data caps at 480p), poster and storyboard",
    description:
      "Signed in, the playback holds one of the plan's concurrent streams (`streamId`, kept alive by a " +
      "heartbeat every `heartbeatSeconds`); pass `streamId` to re-issue for the same stream. A premium " +
      "video without a plan that includes it is 403 `plan_required` (`requiredPlan`); all streams in " +
      "use is 409 `too_many_streams` (`activeStreams`).",
    request: { params: VideoParam, query: PlaybackQuery },
    responses: { 200: jsonContent(Playback, "Where to play it"), ...commonErrors },
  }),
  // URLs are built on PUBLIC_URL (playback/urls.ts), never on the request's Host.
  async (c) => {
    const { streamId } = c.req.valid("query");
    return c.json(
      await getPlayback(services(c), c.var.actor, c.req.valid("param").videoId, {
        ...(streamId ? { streamId } : {}),
        userAgent: c.req.header("user-agent"),
        request: c.req.raw,
      }),
      200,
    );
  },
);
