import { z } from "@hono/zod-openapi";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery, pageOf } from "../lib/pagination";
import { ChannelParam } from "../lib/params";
import { caller } from "../services";
import {
  CreateWebhook,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookParam,
  WebhookWithSecret,
} from "./schemas";
import * as webhooks from "./service";

const route = routesOf({ tags: ["webhooks"], security: bearerSecurity });

export const webhookRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/webhooks",
      summary: "The channel's webhook endpoints (its owner or an admin)",
      request: { params: ChannelParam },
      responses: {
        200: jsonContent(z.object({ items: z.array(Webhook) }), "The endpoints"),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await webhooks.listEndpoints(...caller(c), c.req.valid("param").channelId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/channels/{channelId}/webhooks",
      summary: "Register an HTTPS endpoint for the channel's events; the answer holds its signing secret",
      description:
        "The URL must be https and its host must resolve only to public addresses (400 otherwise). At most 10 per channel.",
      request: { params: ChannelParam, body: jsonBody(CreateWebhook) },
      responses: { 201: jsonContent(WebhookWithSecret, "Created"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await webhooks.createEndpoint(...caller(c), c.req.valid("param").channelId, c.req.valid("json")),
        201,
      ),
  )
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/webhooks/{webhookId}",
      summary: "One webhook endpoint",
      request: { params: WebhookParam },
      responses: { 200: jsonContent(Webhook, "The endpoint"), ...commonErrors },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      return c.json(await webhooks.getEndpoint(...caller(c), channelId, webhookId), 200);
    },
  )
  .openapi(
    route({
      method: "patch",
      path: "/channels/{channelId}/webhooks/{webhookId}",
      summary: "Change a webhook endpoint's URL, events or description",
      request: { params: WebhookParam, body: jsonBody(UpdateWebhook) },
      responses: { 200: jsonContent(Webhook, "Updated"), ...commonErrors },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      return c.json(
        await webhooks.updateEndpoint(...caller(c), channelId, webhookId, c.req.valid("json")),
        200,
      );
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/channels/{channelId}/webhooks/{webhookId}",
      summary: "Remove a webhook endpoint (its delivery log goes with it)",
      request: { params: WebhookParam },
      responses: { 204: { description: "Removed" }, ...commonErrors },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      await webhooks.deleteEndpoint(...caller(c), channelId, webhookId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/channels/{channelId}/webhooks/{webhookId}/rotate-secret",
      summary: "A new signing secret; the old one keeps signing too for 24 hours",
      request: { params: WebhookParam },
      responses: { 200: jsonContent(WebhookWithSecret, "Rotated"), ...commonErrors },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      return c.json(await webhooks.rotateSecret(...caller(c), channelId, webhookId), 200);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/channels/{channelId}/webhooks/{webhookId}/test",
      summary: "Send a webhook.test event to the endpoint (it shows in the delivery log)",
      request: { params: WebhookParam },
      responses: {
        202: jsonContent(z.object({ deliveryId: z.string(), eventId: z.string() }), "Queued"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      return c.json(await webhooks.sendTestEvent(...caller(c), channelId, webhookId), 202);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/webhooks/{webhookId}/deliveries",
      summary: "The endpoint's delivery log, newest first, with every attempt's response code",
      request: { params: WebhookParam, query: ListQuery },
      responses: {
        200: jsonContent(pageOf("WebhookDeliveryPage", WebhookDelivery), "The log"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { channelId, webhookId } = c.req.valid("param");
      return c.json(
        await webhooks.listDeliveries(...caller(c), channelId, webhookId, c.req.valid("query")),
        200,
      );
    },
  );
