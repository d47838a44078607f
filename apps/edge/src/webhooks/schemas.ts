import { z } from "@hono/zod-openapi";
import { ChannelParam, entityId } from "../lib/params";
import { SingleLineText } from "../lib/text";
import { WEBHOOK_EVENT_TYPES } from "./events";

export const WebhookParam = ChannelParam.extend({ webhookId: entityId("webhook") });

const EventType = z.enum(WEBHOOK_EVENT_TYPES);
const WebhookUrl = z.string().trim().max(2048).url().openapi({
  example: "https://hooks.example.com/marquee",
  description: "https only; never a private address",
});
const Events = z.array(EventType).min(1).max(WEBHOOK_EVENT_TYPES.length);
const Description = SingleLineText(0, 200);

export const CreateWebhook = z.strictObject({
  url: WebhookUrl,
  events: Events,
  description: Description.optional(),
});
export const UpdateWebhook = z.strictObject({
  url: WebhookUrl.optional(),
  events: Events.optional(),
  description: Description.optional(),
});

export const Webhook = z
  .object({
    id: z.string(),
    channelId: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(EventType),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: "Until when the rotated-out secret still signs deliveries" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Webhook");

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().openapi({ description: "Shown only now: keep it to verify Marquee-Signature" }),
}).openapi("WebhookWithSecret");

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.array(
      z.object({
        attempt: z.number().int(),
        at: z.string(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().int(),
      }),
    ),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("WebhookDelivery");
