import { bearerSecurity, commonErrors, createRouter, jsonContent, routesOf } from "../../lib/openapi";
import { StreamParam } from "../../lib/params";
import { caller } from "../../services";
import { ActiveStreamList } from "./schemas";
import * as streams from "./service";

const route = routesOf({ tags: ["playback"], security: bearerSecurity });

/**
 * Heartbeats and ends of the account's concurrent streams; the active list. The object is the
 * caller's account's, so another account's stream id is not found (404): nobody can keep alive or
 * end someone else's stream. Heartbeats are not rate-limited: each is one call to the caller's own
 * object, no more than any authenticated request costs.
 */
export const streamRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/playback/streams/{streamId}/heartbeat",
      summary: "Keep a playback's stream slot (every heartbeatSeconds while playing)",
      description:
        "A stream stops holding its slot STREAM_LAPSE_SECONDS (90) after its last heartbeat. Once it " +
        "has ended or lapsed this is 404: ask for playback again (a new stream, if a slot is free).",
      request: { params: StreamParam },
      responses: { 204: { description: "The stream holds its slot" }, ...commonErrors },
    }),
    async (c) => {
      await streams.heartbeatStream(...caller(c), c.req.valid("param").streamId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/playback/streams/{streamId}",
      summary: "End a stream of your account at once, freeing its slot",
      description:
        "The player calls it when playback stops (use fetch with keepalive on page exit: sendBeacon " +
        "cannot send the token). Any profile may end any stream of the account, except that a kids " +
        "profile ends only its own. 404 when there is no such live stream.",
      request: { params: StreamParam },
      responses: { 204: { description: "The stream ended" }, ...commonErrors },
    }),
    async (c) => {
      await streams.endStream(...caller(c), c.req.valid("param").streamId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/streams",
      summary: "Your account's live streams, every profile's, oldest first",
      description:
        "At most the plan's number of streams (not paginated). Signed-out viewers of public videos " +
        "hold no stream and are not listed.",
      responses: { 200: jsonContent(ActiveStreamList, "The live streams"), ...commonErrors },
    }),
    async (c) => c.json(await streams.listStreams(...caller(c)), 200),
  );
