import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  routesOf,
} from "../../lib/openapi";
import { ListQuery } from "../../lib/pagination";
import { ChannelParam } from "../../lib/params";
import { caller } from "../../services";
import { SubscriptionBody, SubscriptionPage, SubscriptionState } from "./schemas";
import * as subscriptions from "./service";

const route = routesOf({ tags: ["subscriptions"], security: bearerSecurity });

/** subscriptions routes under /api/v1. */
export const subscriptionsRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/subscription",
      summary: "Whether the active profile follows this channel, and the channel's subscriber count",
      request: { params: ChannelParam },
      responses: { 200: jsonContent(SubscriptionState, "The subscription state"), ...commonErrors },
    }),
    async (c) =>
      c.json(await subscriptions.getSubscription(...caller(c), c.req.valid("param").channelId), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/channels/{channelId}/subscription",
      summary: "Subscribe the active profile to a channel, or change the notification level (idempotent)",
      description:
        "`level: all` notifies the profile of each new public video; `none` follows without notifications. " +
        "Repeating the call changes nothing but the level. Subscribing to your own account's channel is 409.",
      request: { params: ChannelParam, body: jsonBody(SubscriptionBody) },
      responses: { 200: jsonContent(SubscriptionState, "Subscribed"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await subscriptions.subscribe(
          ...caller(c),
          c.req.valid("param").channelId,
          c.req.valid("json").level,
        ),
        200,
      ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/channels/{channelId}/subscription",
      summary: "Unsubscribe the active profile (idempotent)",
      request: { params: ChannelParam },
      responses: { 204: { description: "Not subscribed (any more)" }, ...commonErrors },
    }),
    async (c) => {
      await subscriptions.unsubscribe(...caller(c), c.req.valid("param").channelId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/me/subscriptions",
      summary: "The active profile's subscriptions, newest first (cursor-paginated)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(SubscriptionPage, "A page of subscriptions"), ...commonErrors },
    }),
    async (c) => c.json(await subscriptions.listSubscriptions(...caller(c), c.req.valid("query")), 200),
  );
