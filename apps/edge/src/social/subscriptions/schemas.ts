import { z } from "@hono/zod-openapi";

export const SUBSCRIPTION_LEVELS = ["all", "none"] as const;
export type SubscriptionLevel = (typeof SUBSCRIPTION_LEVELS)[number];

export const Level = z.enum(SUBSCRIPTION_LEVELS).openapi({
  description: "all: notify me of every new video; none: follow without notifications",
});

/** A channel by id or @handle, like GET /channels/{channelId}. */
export const ChannelParam = z.object({
  channelId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^@?[A-Za-z0-9_]+$/, "A channel id or @handle")
    .openapi({ param: { name: "channelId", in: "path" }, example: "@ada_films" }),
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

export const SubscriptionPage = z
  .object({ items: z.array(SubscriptionItem), nextCursor: z.string().nullable() })
  .openapi("SubscriptionPage");

/** `<subscribedAt ms>.<channel id>`: the keyset of the last item of the previous page. */
export const SubscriptionCursor = z
  .string()
  .max(100)
  .regex(/^\d{1,16}\.[A-Za-z0-9_]{1,64}$/, "A cursor from a previous page");

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: SubscriptionCursor.optional(),
});
