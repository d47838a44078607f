import { z } from "@hono/zod-openapi";
import { commonErrors, createRouter, optionalBearerSecurity, routesOf } from "../lib/openapi";
import { entityId } from "../lib/params";
import { services } from "../services";
import { recordBeacon, recordClick, vastFor } from "./delivery";

const VastQuery = z.object({
  videoId: entityId("video")
    .optional()
    .openapi({ description: "The content the ad plays before (public): context and the channel credited" }),
});

// Any string: a malformed beacon is answered like a forged one (204, nothing counted), and a
// malformed click link like an unknown one (404), so neither tells a prober more than the other.
const TokenParam = z.object({
  token: z.string().openapi({ description: "A signed link token (ads/tracking.ts)" }),
});

const route = routesOf({ tags: ["ads"], security: optionalBearerSecurity });

export const deliveryRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/ads/vast",
      summary: "A VAST 4.2 pre-roll for third-party players (empty VAST when none, or the viewer is ad-free)",
      description:
        "Each call is a new ad decision (session). The InLine ad lists the creative's HLS master and " +
        "MP4, signed tracking beacons and a click-through through our redirect. Plans without ads " +
        'and no eligible campaign get `<VAST version="4.2"/>`.',
      request: { query: VastQuery },
      responses: {
        200: {
          description: "The VAST document",
          content: { "application/xml": { schema: z.string() } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { videoId } = c.req.valid("query");
      const xml = await vastFor(services(c), c.var.actor, videoId ?? null, c.req.raw);
      return c.body(xml, 200, {
        "content-type": "application/xml; charset=utf-8",
        "cache-control": "no-store",
        // Players on any site fetch it (without credentials: a bearer needs an allowed origin).
        "access-control-allow-origin": "*",
      });
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/ads/track/{token}",
      summary: "A VAST tracking beacon (impression, start, quartiles, complete, click)",
      description:
        "Always 204 with no body. Counts only when the token's signature is valid, once per ad session " +
        "and event: forged, altered, expired and replayed beacons count nothing.",
      security: [],
      request: { params: TokenParam },
      responses: { 204: { description: "Received" } },
    }),
    async (c) => {
      await recordBeacon(services(c), c.req.valid("param").token);
      c.header("cache-control", "no-store");
      c.header("access-control-allow-origin", "*");
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/ads/click/{token}",
      summary: "An ad's click-through: counted once per session, then 302 to the campaign's registered URL",
      security: [],
      request: { params: TokenParam },
      responses: {
        302: {
          description: "To the advertiser's click-through URL",
          headers: { location: { schema: { type: "string" } } },
        },
        404: commonErrors[404],
      },
    }),
    async (c) => {
      const location = await recordClick(services(c), c.req.valid("param").token);
      c.header("cache-control", "no-store");
      // The advertiser learns the click came from an ad, not from which page or video.
      c.header("referrer-policy", "no-referrer");
      return c.redirect(location, 302);
    },
  );
