import { bearerSecurity, commonErrors, createRouter, jsonContent, routesOf } from "../lib/openapi";
import { VideoParam } from "../lib/params";
import { caller } from "../services";
import { AnalyticsQuery, ChannelAnalytics, PlatformQoe, VideoAnalytics } from "./schemas";
import { channelAnalytics, platformQoe, videoAnalytics } from "./service";

const route = routesOf({ tags: ["analytics"], security: bearerSecurity });

const RANGE =
  "`from` inclusive, `to` exclusive, both rounded out to whole buckets of `granularity` (UTC). Figures come " +
  "from the rollups (docs/analytics.md), which follow the beacons within about a minute; `computedAt` says " +
  "how fresh they are.";

/** Analytics under /api/v1: creators read their own videos and channel; admins read platform quality. */
export const analyticsRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/studio/videos/{videoId}/analytics",
      summary:
        "A video's views, watch time, retention, traffic sources, audience and playback quality (owner)",
      description: RANGE,
      request: { params: VideoParam, query: AnalyticsQuery },
      responses: { 200: jsonContent(VideoAnalytics, "The video's analytics"), ...commonErrors },
    }),
    async (c) =>
      c.json(await videoAnalytics(...caller(c), c.req.valid("param").videoId, c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/studio/channel/analytics",
      summary: "The caller's channel: views, watch time, traffic sources, audience, quality, top videos",
      description: RANGE,
      request: { query: AnalyticsQuery },
      responses: { 200: jsonContent(ChannelAnalytics, "The channel's analytics"), ...commonErrors },
    }),
    async (c) => c.json(await channelAnalytics(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/analytics/qoe",
      summary: "Platform-wide playback quality by rendition, country, device and player version (admin)",
      description: RANGE,
      request: { query: AnalyticsQuery },
      responses: { 200: jsonContent(PlatformQoe, "Platform quality of experience"), ...commonErrors },
    }),
    async (c) => c.json(await platformQoe(...caller(c), c.req.valid("query")), 200),
  );
