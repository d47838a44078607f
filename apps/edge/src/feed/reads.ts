/**
 * The reads of one personal feed: a handful of small index-range reads sent in ONE D1 batch (one
 * round trip). feed/rows.ts ranks and merges what they return; reads.test.ts checks their plans.
 */
import type { Maturity } from "@marquee/shared";
import { and, Column, desc, eq, gte, is, isNotNull, lte, notExists, type SQL, sql } from "drizzle-orm";
import { type CardRow, cardChannel, cardColumns, visibleTo } from "../catalog/cards";
import { maturityIn } from "../catalog/maturity";
import type { Db } from "../db/client";
import {
  categories,
  channels,
  profileAffinities,
  subscriptions,
  trending,
  videoReactionIndex,
  videos,
  watchHistory,
} from "../db/schema";
import { historyColumns } from "../history/service";
import { POPULAR_SCOPE, TRENDING_ALL } from "./trending-task";
import { FEED } from "./tuning";

/**
 * The card columns as expressions decoded like their columns: drizzle refuses to select a table's
 * columns FROM raw SQL (read 11's INDEXED BY), but not expressions over them.
 */
const cardExpressions = Object.fromEntries(
  Object.entries(cardColumns).map(([key, field]) => [
    key,
    is(field, Column) ? sql`${field}`.mapWith(field) : field,
  ]),
) as { [K in keyof CardRow]: SQL<CardRow[K]> };

type AffinityKind = "category" | "channel" | "tag";

const likedBy = (profileId: string) =>
  and(eq(videoReactionIndex.profileId, profileId), eq(videoReactionIndex.value, "like"));

/** The reads of one feed, in batch order. Exported for the plan checks. */
export function feedReads(db: Db, profileId: string, level: Maturity, now: number) {
  const visible = visibleTo(level);
  const unfinished = notExists(
    db
      .select({ one: sql`1` })
      .from(watchHistory)
      .where(
        and(
          eq(watchHistory.profileId, profileId),
          eq(watchHistory.videoId, videos.id),
          eq(watchHistory.completed, true),
        ),
      ),
  );
  const n = FEED.candidates;
  const topAffinities = (kind: AffinityKind, limit: number) =>
    db
      .select({
        kind: profileAffinities.kind,
        key: profileAffinities.key,
        score: profileAffinities.score,
        updatedAt: profileAffinities.updatedAt,
        lastVideoId: profileAffinities.lastVideoId,
      })
      .from(profileAffinities)
      .where(and(eq(profileAffinities.profileId, profileId), eq(profileAffinities.kind, kind)))
      .orderBy(desc(profileAffinities.score))
      .limit(limit);
  const favourites = topAffinities("channel", 5).as("fav");
  const trendingIn = (scope: string) =>
    db
      .select({ ...cardColumns, trendScore: trending.score })
      .from(trending)
      .innerJoin(videos, eq(videos.id, trending.videoId))
      .innerJoin(channels, cardChannel)
      .where(and(eq(trending.scope, scope), maturityIn(trending.maturity, level), visible, unfinished))
      .orderBy(desc(trending.score))
      .limit(n);
  return [
    // 0. Recent history (continue watching, "because you watched", what is finished).
    db
      .select(historyColumns)
      .from(watchHistory)
      .innerJoin(videos, eq(videos.id, watchHistory.videoId))
      .innerJoin(channels, cardChannel)
      .where(and(eq(watchHistory.profileId, profileId), visible))
      .orderBy(desc(watchHistory.lastWatchedAt))
      .limit(50),
    // 1–3. Top affinities per kind (profile_affinities_rank_idx).
    topAffinities("category", 10),
    topAffinities("channel", 20),
    topAffinities("tag", 30),
    // 4. Recent likes (video_reaction_index_recent_idx).
    db
      .select({
        reactedAt: videoReactionIndex.reactedAt,
        categoryId: videos.categoryId,
        channelId: videos.channelId,
        tags: videos.tags,
      })
      .from(videoReactionIndex)
      .innerJoin(videos, eq(videos.id, videoReactionIndex.videoId))
      .where(and(likedBy(profileId), visible))
      .orderBy(desc(videoReactionIndex.reactedAt))
      .limit(30),
    // 5. Subscribed channels.
    db
      .select({ channelId: subscriptions.channelId })
      .from(subscriptions)
      .where(eq(subscriptions.profileId, profileId))
      .limit(500),
    // 6. Their newest videos (videos_channel_published_idx per channel).
    db
      .select(cardColumns)
      .from(subscriptions)
      .innerJoin(
        videos,
        and(
          eq(videos.channelId, subscriptions.channelId),
          gte(videos.publishedAt, now - FEED.subscriptionWindowMs),
        ),
      )
      .innerJoin(channels, cardChannel)
      .where(and(eq(subscriptions.profileId, profileId), visible, unfinished))
      .orderBy(desc(videos.publishedAt))
      .limit(n),
    // 7. Trending overall, 8. popular.
    trendingIn(TRENDING_ALL),
    trendingIn(POPULAR_SCOPE),
    // 9. Trending in the profile's categories: its top watched ones and those of its recent likes.
    trendingInCategories(db, profileId, level, and(visible, unfinished) as SQL),
    // 10. The newest videos of the favourite channels.
    db
      .select(cardColumns)
      .from(favourites)
      .innerJoin(
        videos,
        and(eq(videos.channelId, favourites.key), gte(videos.publishedAt, now - FEED.channelWindowMs)),
      )
      .innerJoin(channels, cardChannel)
      .where(and(visible, unfinished))
      .orderBy(desc(videos.publishedAt))
      .limit(n),
    // 11. The newest videos overall: walk videos_published_idx newest first and stop after n that pass
    // the filters (1.4 ms at 100k videos; materialising the newest 2,000 first took 20 ms). Raw SQL
    // for the FROM only: drizzle has no INDEXED BY (see cardExpressions).
    db
      .select(cardExpressions)
      .from(sql`${videos} INDEXED BY videos_published_idx`)
      .innerJoin(channels, cardChannel)
      .where(and(isNotNull(videos.publishedAt), lte(videos.publishedAt, now), visible, unfinished))
      .orderBy(desc(videos.publishedAt))
      .limit(n),
  ] as const;
}

/** Read 9: the top 30 trending videos of each of the profile's favourite categories. */
function trendingInCategories(db: Db, profileId: string, level: Maturity, visibleUnfinished: SQL) {
  const watchedCategories = db
    .select({ key: profileAffinities.key })
    .from(profileAffinities)
    .where(and(eq(profileAffinities.profileId, profileId), eq(profileAffinities.kind, "category")))
    .orderBy(desc(profileAffinities.score))
    .limit(3);
  const likedCategories = db
    .select({ categoryId: videos.categoryId })
    .from(videoReactionIndex)
    .innerJoin(videos, eq(videos.id, videoReactionIndex.videoId))
    .where(and(likedBy(profileId), isNotNull(videos.categoryId)))
    .orderBy(desc(videoReactionIndex.reactedAt))
    .limit(10);
  // Raw SQL: a ROW_NUMBER() window and a UNION of two LIMITed reads, which drizzle cannot express.
  const ranked = db
    .select({
      scope: trending.scope,
      videoId: trending.videoId,
      score: trending.score,
      n: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${trending.scope} ORDER BY ${trending.score} DESC)`.as(
        "n",
      ),
    })
    .from(trending)
    .where(
      and(
        sql`${trending.scope} IN (SELECT "key" FROM ${watchedCategories}
                                  UNION SELECT "category_id" FROM ${likedCategories})`,
        maturityIn(trending.maturity, level),
      ),
    )
    .as("ranked");
  return db
    .select({
      ...cardColumns,
      trendScore: ranked.score,
      scope: ranked.scope,
      categoryName: sql<string>`${categories.name}`.as("category_name"),
    })
    .from(ranked)
    .innerJoin(videos, eq(videos.id, ranked.videoId))
    .innerJoin(channels, cardChannel)
    .innerJoin(categories, eq(categories.id, ranked.scope))
    .where(and(lte(ranked.n, 30), visibleUnfinished))
    .orderBy(desc(ranked.score));
}
