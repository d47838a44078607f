/**
 * The rows of a personal feed, computed from the reads of feed/reads.ts: continue watching, new
 * from subscriptions, because you watched X, trending in a category, trending, popular, new. Each
 * video appears at most once in the whole feed and at most FEED.perChannel times per row.
 */
import type { Maturity } from "@marquee/shared";
import type { CardRow } from "../catalog/cards";
import type { Db } from "../db/client";
import { AFFINITY_WEIGHTS, decay } from "./affinity";
import { ranker } from "./ranking";
import { feedReads } from "./reads";
import type { Reason } from "./schemas";
import { Taste } from "./taste";
import { FEED } from "./tuning";

/** A row as computed (cards not rendered yet): what the snapshot stores. */
export interface RowDraft {
  id: string;
  title: string;
  reason: Reason;
  /** `positionMs`: where the profile stopped, on "continue watching" items only. */
  items: { card: CardRow; reason: Reason; positionMs?: number }[];
}

export async function buildFeed(
  db: Db,
  profileId: string,
  level: Maturity,
  now: number,
): Promise<RowDraft[]> {
  // Reads 6–11 are the candidate videos (feedReads' batch order).
  const [history, categoryAffinities, channelAffinities, tagAffinities, likes, subscribed, ...candidates] =
    await db.batch(feedReads(db, profileId, level, now));
  const [subscriptionVideos, trendingAll, popular, trendingInCategories, channelVideos, newest] = candidates;
  const affinities = [...categoryAffinities, ...channelAffinities, ...tagAffinities];

  // The profile's taste: stored affinities (decayed), likes (decayed by their age), subscriptions.
  const taste = new Taste();
  for (const a of affinities) taste.add(a.kind, a.key, a.score * decay(now - a.updatedAt));
  for (const like of likes) taste.addVideo(like, AFFINITY_WEIGHTS.like * decay(now - like.reactedAt));
  for (const sub of subscribed) taste.add("channel", sub.channelId, AFFINITY_WEIGHTS.subscription);

  // Ranking: every candidate once, with its trending score if it has one.
  const trend = new Map<string, number>();
  for (const r of [...trendingAll, ...trendingInCategories]) {
    trend.set(r.id, Math.max(trend.get(r.id) ?? 0, r.trendScore));
  }
  const pool = new Map<string, CardRow>();
  for (const list of candidates) {
    for (const card of list) if (!pool.has(card.id)) pool.set(card.id, card);
  }
  const byRank = ranker(taste, trend, pool.values(), now);

  // Rows, in order; `used` keeps every video to one appearance in the whole feed.
  const used = new Set<string>();
  const rows: RowDraft[] = [];
  const addRow = (
    id: string,
    title: string,
    reason: Reason,
    cards: CardRow[],
    itemReason = (_c: CardRow) => reason,
    positionOf = (_c: CardRow): number | undefined => undefined,
  ) => {
    const items: RowDraft["items"] = [];
    const perChannel = new Map<string, number>();
    for (const card of cards) {
      if (items.length >= FEED.rowSize) break;
      if (used.has(card.id) || (perChannel.get(card.channelId) ?? 0) >= FEED.perChannel) continue;
      perChannel.set(card.channelId, (perChannel.get(card.channelId) ?? 0) + 1);
      used.add(card.id);
      const positionMs = positionOf(card);
      items.push({ card, reason: itemReason(card), ...(positionMs === undefined ? {} : { positionMs }) });
    }
    if (items.length > 0) rows.push({ id, title, reason, items });
  };

  // Finished videos never appear: the reads filter them, and recent history marks them here too.
  for (const h of history) if (h.completed) used.add(h.id);

  const unfinished = history.filter((h) => !h.completed && h.positionMs > 0);
  const positions = new Map(unfinished.map((h) => [h.id, h.positionMs]));
  addRow(
    "continue_watching",
    "Continue watching",
    { type: "continue_watching" },
    unfinished,
    (c) => ({ type: "continue_watching", videoId: c.id, videoTitle: c.title }),
    (c) => positions.get(c.id),
  );

  addRow(
    "new_from_subscriptions",
    "New from your subscriptions",
    { type: "new_from_subscriptions" },
    subscriptionVideos,
    (c) => ({ type: "new_from_subscriptions", channelId: c.channelId, channelName: c.channelName }),
  );

  // "Because you watched X": X is what most recently raised the profile's strongest categories and
  // channels, else its most recent watches.
  const watched = new Map(history.map((h) => [h.id, h]));
  const anchors: CardRow[] = [];
  const strongest = [...affinities]
    .filter((a) => a.kind !== "tag" && a.lastVideoId !== null)
    .sort((a, b) => b.score * decay(now - b.updatedAt) - a.score * decay(now - a.updatedAt));
  for (const a of strongest) {
    const x = watched.get(a.lastVideoId as string);
    if (x && !anchors.includes(x)) anchors.push(x);
  }
  for (const h of history) if (!anchors.includes(h)) anchors.push(h);
  for (const x of anchors.slice(0, FEED.anchorRows)) {
    const xTags = new Set(x.tags);
    const similar = [...pool.values()].filter(
      (c) =>
        c.id !== x.id &&
        ((x.categoryId !== null && c.categoryId === x.categoryId) ||
          c.channelId === x.channelId ||
          c.tags.some((t) => xTags.has(t))),
    );
    const reason: Reason = { type: "because_you_watched", videoId: x.id, videoTitle: x.title };
    addRow(`because_you_watched:${x.id}`, `Because you watched ${x.title}`, reason, byRank(similar));
  }

  // Trending in the categories the profile likes most.
  const categories = [...new Set(trendingInCategories.map((r) => r.scope))]
    .sort((a, b) => (taste.category.get(b) ?? 0) - (taste.category.get(a) ?? 0))
    .slice(0, FEED.categoryRows);
  for (const categoryId of categories) {
    const inCategory = trendingInCategories.filter((r) => r.scope === categoryId);
    const name = inCategory[0]?.categoryName ?? categoryId;
    const reason: Reason = { type: "trending_in_category", categoryId, categoryName: name };
    addRow(`trending_in_category:${categoryId}`, `Trending in ${name}`, reason, inCategory);
  }

  addRow("trending", "Trending now", { type: "trending" }, taste.empty ? trendingAll : byRank(trendingAll));
  addRow("popular", "Popular", { type: "popular" }, taste.empty ? popular : byRank(popular));
  const fresh = [...channelVideos, ...newest];
  addRow("new", "New", { type: "new" }, taste.empty ? newest : byRank(fresh));
  return rows;
}
