import { z } from "@hono/zod-openapi";
import { VideoCard } from "../catalog/cards";
import { CategoryRef } from "../catalog/schemas";
import { Cursor, ListQuery, pageOf } from "../lib/pagination";

export const REASON_TYPES = [
  "continue_watching",
  "new_from_subscriptions",
  "because_you_watched",
  "trending_in_category",
  "trending",
  "new",
  "popular",
] as const;
export type ReasonType = (typeof REASON_TYPES)[number];

export const Reason = z
  .object({
    type: z.enum(REASON_TYPES),
    videoId: z.string().optional().openapi({ description: "because_you_watched: the video watched" }),
    videoTitle: z.string().optional(),
    categoryId: z.string().optional().openapi({ description: "trending_in_category: the category" }),
    categoryName: z.string().optional(),
    channelId: z.string().optional().openapi({ description: "new_from_subscriptions: the channel" }),
    channelName: z.string().optional(),
  })
  .openapi("FeedReason");
export type Reason = z.infer<typeof Reason>;

export const FeedItem = z
  .object({
    video: VideoCard,
    reason: Reason,
    positionMs: z.number().int().optional().openapi({
      description:
        "continue_watching items only: where the profile stopped (ms; video.durationMs is the length)",
    }),
  })
  .openapi("FeedItem");

export const FeedRow = z
  .object({ id: z.string(), title: z.string(), reason: Reason, items: z.array(FeedItem) })
  .openapi("FeedRow");

/** A page of the feed: its items are rows. */
export const FeedPage = pageOf("FeedPage", FeedRow);

export const FeedQuery = z.object({ cursor: Cursor });

export const TrendingQuery = ListQuery.extend({
  category: CategoryRef.optional().openapi({
    description: "A category id or slug; omitted: trending overall",
  }),
});
