import { z } from "@hono/zod-openapi";

export const REACTION_VALUES = ["like", "dislike"] as const;
export const MAX_STATS_DAYS = 365;

export const ReactionInput = z
  .strictObject({
    value: z
      .enum(REACTION_VALUES)
      .openapi({ description: "One reaction per profile: setting it again changes nothing" }),
  })
  .openapi("ReactionInput");
export type ReactionInput = z.infer<typeof ReactionInput>;

const Count = z.number().int().min(0);
const Mine = z.enum(REACTION_VALUES).nullable();

export const ReactionStateSchema = z
  .object({
    value: Mine.openapi({ description: "The active profile's reaction after the call (null: none)" }),
    likes: Count,
    dislikes: Count.optional().openapi({
      description: "Only for whoever may manage the video (its owner, admins)",
    }),
  })
  .openapi("ReactionState");

export const VideoReactionsSchema = z
  .object({
    likes: Count,
    dislikes: Count.optional().openapi({
      description: "Only for whoever may manage the video (its owner, admins)",
    }),
    mine: Mine.openapi({ description: "The active profile's reaction; null when none or anonymous" }),
  })
  .openapi("VideoReactions");

export const StatsQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_STATS_DAYS)
    .default(30)
    .openapi({ description: `UTC days ending today, 1–${MAX_STATS_DAYS}` }),
});

const DayStats = z.object({
  day: z.string().openapi({ example: "2026-11-23", description: "UTC day" }),
  likes: z
    .number()
    .int()
    .openapi({ description: "Net change of the like count that day (likes given − removed)" }),
  dislikes: z.number().int().openapi({ description: "Net change of the dislike count that day" }),
  net: z.number().int().openapi({ description: "likes − dislikes" }),
});

export const ReactionStatsSchema = z
  .object({
    videoId: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(DayStats).openapi({ description: "Every day of the range, oldest first (zeros included)" }),
    totals: DayStats.omit({ day: true }).openapi({ description: "Sums over the range" }),
  })
  .openapi("ReactionStats");
