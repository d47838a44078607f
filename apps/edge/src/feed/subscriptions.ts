/** GET /feed/subscriptions: videos of the channels the profile follows, newest first. */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { requireProfile } from "../auth/permissions";
import { type CardContext, selectCards, toCards, visibleTo } from "../catalog/cards";
import { viewerMaturity } from "../catalog/maturity";
import { subscriptions, videos } from "../db/schema";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";

/** Keyset on (published_at, id), both descending. */
export async function subscriptionsFeed(s: Services, actor: Actor, query: ListQuery, ctx: CardContext) {
  const profileId = requireProfile(actor, "feed.read");
  const after = query.cursor ? decodeCursor(query.cursor, "feed-subscriptions", TimeKey) : null;
  const rows = await selectCards(s.db)
    .innerJoin(subscriptions, eq(subscriptions.channelId, videos.channelId))
    .where(
      and(
        eq(subscriptions.profileId, profileId),
        visibleTo(viewerMaturity(actor)),
        isNotNull(videos.publishedAt),
        after ? newestAfter(videos.publishedAt, videos.id, after) : undefined,
      ),
    )
    .orderBy(desc(videos.publishedAt), desc(videos.id))
    .limit(query.limit + 1);
  const { items, nextCursor } = keysetPage(rows, query.limit, "feed-subscriptions", (last) => ({
    t: last.publishedAt as number,
    i: last.id,
  }));
  return { items: await toCards(items, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
}
