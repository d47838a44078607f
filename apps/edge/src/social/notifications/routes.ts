import type { Context } from "hono";
import { requireActor, resolveActor } from "../../auth/middleware";
import { AppError } from "../../lib/errors";
import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  ProblemSchema,
  routesOf,
} from "../../lib/openapi";
import { ListQuery } from "../../lib/pagination";
import { caller, services } from "../../services";
import type { AppEnv } from "../../types";
import {
  MarkReadBody,
  MarkReadResult,
  NotificationPage,
  Preferences,
  PreferencesPatch,
  UnreadCount,
} from "./schemas";
import * as notifications from "./service";
import { LIVE_PROTOCOL } from "./service";

const route = routesOf({ tags: ["notifications"], security: bearerSecurity });

const BEARER_PROTOCOL = "bearer.";

/**
 * 426 as a problem document. The closed set of error codes (lib/errors.ts) has no 426 yet, so the
 * document is written here with the same shape problemOf() gives.
 */
function upgradeRequired(c: Context<AppEnv>): Response {
  return new Response(
    JSON.stringify({
      type: "https://marquee.dev/problems/upgrade-required",
      title: "Upgrade required",
      status: 426,
      detail: "This endpoint is a WebSocket: send `Upgrade: websocket`.",
      code: "upgrade_required",
      instance: new URL(c.req.url).pathname,
      requestId: c.var.requestId,
    }),
    { status: 426, headers: { "content-type": "application/problem+json", upgrade: "websocket" } },
  );
}

/**
 * The caller of the live socket. Browsers cannot set Authorization on a WebSocket, so the access
 * token travels as a subprotocol: `new WebSocket(url, ["marquee.v1", "bearer." + token])`. The
 * answer selects `marquee.v1` (never echoing the token). Chosen over `?access_token=`: query
 * strings end up in access logs, proxies and browser history; this header does not, and a token
 * in it can only come from script that already holds it (no cross-site socket hijacking). Clients
 * that can set headers may send `Authorization: Bearer` instead.
 */
async function liveCaller(c: Context<AppEnv>) {
  const offered = (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const bearer = offered.find((p) => p.startsWith(BEARER_PROTOCOL))?.slice(BEARER_PROTOCOL.length);
  if (bearer !== undefined && !offered.includes(LIVE_PROTOCOL)) {
    // Browsers fail a handshake whose answer selects none of the offered subprotocols, and the
    // bearer one must never be echoed.
    throw new AppError("bad_request", `Offer the "${LIVE_PROTOCOL}" subprotocol next to the bearer one`);
  }
  const actor = c.var.actor ?? (bearer ? await resolveActor(c, bearer) : null);
  c.set("actor", actor);
  return { actor: requireActor(c), protocol: offered.includes(LIVE_PROTOCOL) ? LIVE_PROTOCOL : null };
}

/** notifications routes under /api/v1. */
export const notificationsRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/me/notifications",
      summary: "The active profile's notifications, newest first (cursor-paginated), with the unread count",
      request: { query: ListQuery },
      responses: { 200: jsonContent(NotificationPage, "A page of notifications"), ...commonErrors },
    }),
    async (c) => c.json(await notifications.listNotifications(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/notifications/read",
      summary: "Mark notifications read: `ids` (up to 100) or `all: true`",
      description:
        "Unknown or already-read ids are ignored. The live sockets of the profile get the new count.",
      request: { body: jsonBody(MarkReadBody) },
      responses: { 200: jsonContent(MarkReadResult, "Marked"), ...commonErrors },
    }),
    async (c) => c.json(await notifications.markRead(...caller(c), c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/notifications/unread-count",
      summary: "How many notifications the active profile has not read",
      responses: { 200: jsonContent(UnreadCount, "The unread count"), ...commonErrors },
    }),
    async (c) => c.json(await notifications.unreadCount(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/notifications/live",
      summary: "WebSocket that pushes each new notification of the active profile",
      description:
        'Open with `new WebSocket(url, ["marquee.v1", "bearer." + accessToken])` (or an Authorization ' +
        'header where the client can set one). Frames are JSON: `{type: "hello", unread}` on connect, ' +
        '`{type: "notification", notification, unread}` per new one, `{type: "read", ids, unread}` when ' +
        "notifications are marked read elsewhere. Send `ping` to keep it alive (answered `pong`). The socket " +
        "is closed with 4401 when its session ends (logout, revocation, password change, account or profile " +
        "deletion) and sends nothing after. Without `Upgrade: websocket` the answer is 426.",
      responses: {
        101: { description: "Switching protocols: the live socket" },
        ...commonErrors,
        426: {
          description: "Not a WebSocket upgrade",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) => {
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return upgradeRequired(c);
      const { actor, protocol } = await liveCaller(c);
      return notifications.openLive(services(c), actor, protocol);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/notification-preferences",
      summary: "Which notification types the active profile receives",
      responses: { 200: jsonContent(Preferences, "Per type: on or off"), ...commonErrors },
    }),
    async (c) => c.json(await notifications.getPreferences(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/me/notification-preferences",
      summary: "Turn notification types on or off for the active profile (types left out keep their value)",
      description: "Honoured when notifications are fanned out: a type turned off is not delivered at all.",
      request: { body: jsonBody(PreferencesPatch) },
      responses: { 200: jsonContent(Preferences, "The preferences now"), ...commonErrors },
    }),
    async (c) => c.json(await notifications.setPreferences(...caller(c), c.req.valid("json")), 200),
  );
