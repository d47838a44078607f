import type { Maturity } from "@marquee/shared";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { profileRef } from "./accounts";
import { videoRef } from "./videos";

/**
 * A profile's taste: weights for categories, tags and channels, learned from history, likes and
 * subscriptions. `score` is the value as of `updated_at`; readers and writers decay it by age
 * (half-life in discovery/affinity.ts) before use, so no sweep is needed to age it.
 */
export const profileAffinities = sqliteTable(
  "profile_affinities",
  {
    profileId: profileRef(),
    kind: text("kind").$type<"category" | "tag" | "channel">().notNull(),
    key: text("key").notNull(),
    score: real("score").notNull(),
    /** What most recently raised it, for the feed's reason ("because you watched X"). */
    lastVideoId: text("last_video_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.kind, t.key] }),
    index("profile_affinities_rank_idx").on(t.profileId, t.kind, t.score),
  ],
);

/**
 * Trending, recomputed periodically (cron): the top videos overall (`scope` = "all") and per
 * category (`scope` = category id), with the video's maturity copied so kids' reads filter in
 * the index.
 */
export const trending = sqliteTable(
  "trending",
  {
    scope: text("scope").notNull(),
    videoId: videoRef(),
    score: real("score").notNull(),
    maturity: text("maturity").$type<Maturity>().notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.videoId] }), index("trending_rank_idx").on(t.scope, t.score)],
);
