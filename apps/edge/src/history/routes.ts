import { requestCountry } from "../ads/context";
import { deviceOf } from "../analytics/device";
import { pokeRollup } from "../analytics/rollup/poke";
import { sinkFor, writeToSink } from "../analytics/sink";
import { cardContext } from "../catalog/cards";
import { AppError } from "../lib/errors";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { VideoParam } from "../lib/params";
import { caller } from "../services";
import { ingestBeacons } from "./beacons";
import { BeaconBatch, BeaconReceipt, HistoryEntry, HistoryPage, HistorySettings } from "./schemas";
import * as history from "./service";

const route = routesOf({ tags: ["history"], security: bearerSecurity });

const router = createRouter();

// "settings" is not a video id: other methods on it are 405, not a validation error of {videoId}.
router.on(["DELETE", "POST", "PATCH"], "/me/history/settings", () => {
  throw new AppError("method_not_allowed", "Use GET or PUT", { headers: { allow: "GET, PUT" } });
});

/** history routes under /api/v1. */
export const historyRoutes = router
  .openapi(
    route({
      method: "post",
      path: "/events/playback",
      summary:
        "Player beacons (request, start, heartbeat, end, error) of the active profile, batched and idempotent",
      description:
        "Each beacon counts once however often it is sent (by profile and beacon id). A beacon for a video " +
        "the profile cannot watch, stamped more than 5 minutes ahead or older than 7 days is listed in " +
        "`rejected`; the rest of the batch is still taken. `playedMs` is capped at the wall time since the " +
        "session's previous beacon plus 5 s, and at 60 s per beacon. A `start` is a view only when it arrives " +
        "within 10 minutes of its `occurredAt`, and at most one view counts per profile and video per UTC day " +
        "of receipt (older starts still build the history). A beacon that would open a 21st session of one " +
        "profile on one video within an hour (by receipt) is listed in `rejected` as `too_many_sessions`; " +
        "beacons of a session already stored never are. More than 30 batches a minute from one profile " +
        "answer 429 with `Retry-After`; retry the batch with the same ids.\n\n" +
        "Analytics: `request` (play requested, before the first frame) and `error` (a fatal playback error) " +
        "beacons are stored for analytics only: no history, views or watch time. Any beacon may carry its " +
        "`source` (with `feedRow` for the home feed), `playerVersion`, `qoe` (startup time, stalls, time per " +
        "rendition, switches, the error) and the content `ranges` played since the session's previous beacon. " +
        "A beacon whose figures cannot be true (a negative count or duration, a startup over 10 minutes, a " +
        "range ending before it starts, more stall or rendition time than the wall time since the session's " +
        "previous beacon plus 5 s — at most 65 s, also without a previous beacon —, ranges longer in total than " +
        "twice that, more stalls or switches than one per 100 ms of it plus one) is listed in `rejected` as " +
        "`impossible_value`; positions and ranges past the video's duration are clamped to it, ranges on " +
        "`request` and `error` beacons and renditions named by no height of the ladder are dropped. The " +
        "request's country and device class are stored with each beacon.",
      request: { body: jsonBody(BeaconBatch) },
      responses: { 202: jsonContent(BeaconReceipt, "What was taken"), ...commonErrors },
    }),
    async (c) => {
      const request = { country: requestCountry(c.req.raw), device: deviceOf(c.req.header("user-agent")) };
      const { receipt, stored } = await ingestBeacons(...caller(c), c.req.valid("json").beacons, request);
      // After the commit, off the response: the rollup learns of new beacons (pokeRollup never
      // throws) and the optional Analytics Engine copy is written (failures logged, analytics/sink.ts).
      if (stored.length > 0) {
        c.executionCtx.waitUntil(
          Promise.all([pokeRollup(c.env), writeToSink(sinkFor(c.env), stored, c.var.log)]),
        );
      }
      return c.json(receipt, 202);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/history",
      summary: "The active profile's watch history, most recent first (cursor-paginated)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(HistoryPage, "A page of history"), ...commonErrors },
    }),
    async (c) => c.json(await history.listHistory(...caller(c), c.req.valid("query"), cardContext(c)), 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/me/history",
      summary: "Clear the active profile's watch history (and the taste learned from it)",
      responses: { 204: { description: "Cleared" }, ...commonErrors },
    }),
    async (c) => {
      await history.clearHistory(...caller(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/history/settings",
      summary: "Whether the active profile's history is paused",
      responses: { 200: jsonContent(HistorySettings, "The settings"), ...commonErrors },
    }),
    async (c) => c.json(await history.getHistorySettings(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/me/history/settings",
      summary: "Pause or resume the active profile's history",
      description:
        "While paused, playback beacons are still stored and counted as views, but nothing is added to " +
        "the history, resume positions or the profile's taste.",
      request: { body: jsonBody(HistorySettings) },
      responses: { 200: jsonContent(HistorySettings, "The settings"), ...commonErrors },
    }),
    async (c) => c.json(await history.putHistorySettings(...caller(c), c.req.valid("json").paused), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/history/{videoId}",
      summary: "One history entry: where to resume the video (404 if never watched)",
      request: { params: VideoParam },
      responses: { 200: jsonContent(HistoryEntry, "The entry"), ...commonErrors },
    }),
    async (c) =>
      c.json(await history.getHistoryEntry(...caller(c), c.req.valid("param").videoId, cardContext(c)), 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/me/history/{videoId}",
      summary: "Remove one video from the active profile's history (404 if it is not in the history)",
      request: { params: VideoParam },
      responses: { 204: { description: "Removed" }, ...commonErrors },
    }),
    async (c) => {
      await history.removeHistoryEntry(...caller(c), c.req.valid("param").videoId);
      return c.body(null, 204);
    },
  );
