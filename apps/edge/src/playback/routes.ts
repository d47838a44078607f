import { z } from "@hono/zod-openapi";
import { commonErrors, createRouter, jsonContent, optionalBearerSecurity, routesOf } from "../lib/openapi";
import { VideoParam } from "../lib/params";
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
    manifestUrl: z.string(),
    posterUrl: z.string(),
    storyboardUrl: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Playback");

// Anonymous callers may watch public videos; a token adds private/premium access.
const route = routesOf({ tags: ["playback"], security: optionalBearerSecurity });

export const playbackRoutes = createRouter().openapi(
  route({
    method: "get",
    path: "/videos/{videoId}/playback",
    summary:
      "A signed master playlist URL (renditions capped by plan; Save-Data caps at 480p), poster and storyboard",
    request: { params: VideoParam },
    responses: { 200: jsonContent(Playback, "Where to play it"), ...commonErrors },
  }),
  // URLs are built on PUBLIC_URL (playback/urls.ts), never on the request's Host.
  async (c) => c.json(await getPlayback(services(c), c.var.actor, c.req.valid("param").videoId), 200),
);
