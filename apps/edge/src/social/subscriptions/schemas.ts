import { z } from "@hono/zod-openapi";
import { pageOf } from "../../lib/pagination";

export const SUBSCRIPTION_LEVELS = ["all", "none"] as const;
export type SubscriptionLevel = (typeof SUBSCRIPTION_LEVELS)[number];

export const Level = z.enum(SUBSCRIPTION_LEVELS).openapi({
  description: "all: notify me of every new video; none: follow without notifications",
});

export const SubscriptionBody = z.strictObject({ level: Level.default("all") });

export const SubscriptionState = z
  .object({
    channelId: z.string(),
    subscribed: z.boolean(),
    level: Level.nullable(),
    subscribedAt: z.string().nullable(),
    subscriberCount: z.number().int(),
  })
  .openapi("SubscriptionState");

export const SubscriptionItem = z
  .object({
    channel: z.object({
      id: z.string(),
      handle: z.string(),
      name: z.string(),
      subscriberCount: z.number().int(),
    }),
    level: Level,
    subscribedAt: z.string(),
  })
  .openapi("Subscription");

export const SubscriptionPage = pageOf("SubscriptionPage", SubscriptionItem);
