/**
 * The personal feed (GET /feed) and the subscriptions feed (GET /feed/subscriptions).
 *
 * The feed is built from a handful of small index-range reads sent in ONE D1 batch (one round
 * trip): the profile's recent history, its top affinities per kind, its recent likes, its
 * subscriptions' newest videos, trending overall / in its categories / popular, the newest videos
 * of its favourite channels, and the newest videos overall. Rows are ranked and merged here; each
 * video appears at most once in the whole feed and at most twice per channel in a row.
 *
 * Pagination: the first request computes the whole feed once; when it does not fit one page, the
 * remaining rows are stored in KV (`feed:{profileId}:{snapshotId}`, FEED.snapshotTtlSeconds) and
 * the cursor names `{ snapshotId, offset }`. Later pages read only that snapshot, so a walk never
 * repeats an item, whatever changes meanwhile. A snapshot that expired is a 410 (load the feed again).
 */

import { z } from "@hono/zod-openapi";
import type { Maturity } from "@marquee/shared";
import { requireProfile } from "../auth/permissions";
import { CARD_COLUMNS, type CardRow, toCards, visibleToSql } from "../catalog/cards";
import { AFFINITY_WEIGHTS, DAY_MS, decay } from "../discovery/affinity";
import { canSee, maturitySql, viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { decodeCursor, encodeCursor, keysetPage, type ListQuery, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { Reason } from "./schemas";
import { POPULAR_SCOPE, TRENDING_ALL } from "./trending-task";

export const FEED = {
  /** Items per row, at most. */
  rowSize: 20,
  /** Items of one channel per row, at most. */
  perChannel: 2,
  /** Rows per page. */
  rowsPerPage: 4,
  /** "because you watched X" and "trending in <category>" rows, at most each. */
  anchorRows: 2,
  categoryRows: 2,
  snapshotTtlSeconds: 300,
  /** Subscription videos younger than this make "new from subscriptions". */
  subscriptionWindowMs: 30 * DAY_MS,
  /** Newest videos of the favourite channels considered. */
  channelWindowMs: 90 * DAY_MS,
  /** Freshness halves every week. */
  freshHalfLifeMs: 7 * DAY_MS,
  /** The ranking mix: affinity, popularity (likes, views), trending velocity, freshness. */
  mix: { affinity: 0.45, popularity: 0.2, trend: 0.2, freshness: 0.15 },
  /** popularity = log(1 + views + this · likes). */
  popularityLikeWeight: 2,
  /** Candidates read per source. */
  candidates: 60,
} as const;

interface HistoryRow extends CardRow {
  position_ms: number;
  watched_ms: number;
  completed: number;
  last_watched_at: number;
}

interface AffinityRow {
  kind: "category" | "tag" | "channel";
  key: string;
  score: number;
  updated_at: number;
  last_video_id: string | null;
  category_name: string | null;
}

interface LikeRow {
  reacted_at: number;
  category_id: string | null;
  channel_id: string;
  tags: string;
}

interface ScopedRow extends CardRow {
  trend_score: number;
  scope: string;
  category_name: string | null;
}

interface TrendRow extends CardRow {
  trend_score: number;
}

/** A row as computed (cards not rendered yet): what the snapshot stores. */
interface RowDraft {
  id: string;
  title: string;
  reason: Reason;
  items: { card: CardRow; reason: Reason }[];
}

const profileOf = (actor: Actor) => requireProfile(actor, "feed.read");

const CARD_FROM = "JOIN channels c ON c.id = v.channel_id";

/** The reads of one feed, sent in one batch (?1 = the profile in each). Exported for plan checks. */
export function feedQueries(
  profileId: string,
  level: Maturity,
  now: number,
): { sql: string; params: unknown[] }[] {
  const visible = visibleToSql(level);
  const unfinished = `NOT EXISTS (SELECT 1 FROM watch_history f WHERE f.profile_id = ?1 AND f.video_id = v.id AND f.completed = 1)`;
  const n = FEED.candidates;
  const stmt = (sql: string, ...extra: unknown[]) => ({ sql, params: [profileId, ...extra] });
  const affinities = (kind: string, limit: number) =>
    stmt(
      `SELECT a.kind, a.key, a.score, a.updated_at, a.last_video_id, cat.name AS category_name
         FROM profile_affinities a LEFT JOIN categories cat ON cat.id = a.key AND a.kind = 'category'
        WHERE a.profile_id = ?1 AND a.kind = ?2
        ORDER BY a.score DESC LIMIT ?3`,
      kind,
      limit,
    );
  const trendingIn = (scope: string) =>
    stmt(
      `SELECT ${CARD_COLUMNS}, t.score AS trend_score
         FROM trending t JOIN videos v ON v.id = t.video_id ${CARD_FROM}
        WHERE t.scope = ?2 AND ${maturitySql("t.maturity", level)} AND ${visible} AND ${unfinished}
        ORDER BY t.score DESC LIMIT ${n}`,
      scope,
    );
  return [
    // 0. Recent history (continue watching, "because you watched", what is finished).
    stmt(
      `SELECT ${CARD_COLUMNS}, h.position_ms, h.watched_ms, h.completed, h.last_watched_at
         FROM watch_history h JOIN videos v ON v.id = h.video_id ${CARD_FROM}
        WHERE h.profile_id = ?1 AND ${visible}
        ORDER BY h.last_watched_at DESC LIMIT 50`,
    ),
    // 1–3. Top affinities per kind (profile_affinities_rank_idx).
    affinities("category", 10),
    affinities("channel", 20),
    affinities("tag", 30),
    // 4. Recent likes (video_reaction_index_recent_idx).
    stmt(
      `SELECT r.reacted_at, v.category_id, v.channel_id, v.tags
         FROM video_reaction_index r JOIN videos v ON v.id = r.video_id
        WHERE r.profile_id = ?1 AND r.value = 'like' AND ${visible}
        ORDER BY r.reacted_at DESC LIMIT 30`,
    ),
    // 5. Subscribed channels.
    stmt("SELECT channel_id FROM subscriptions WHERE profile_id = ?1 LIMIT 500"),
    // 6. Their newest videos (videos_channel_published_idx per channel).
    stmt(
      `SELECT ${CARD_COLUMNS}
         FROM subscriptions s JOIN videos v ON v.channel_id = s.channel_id AND v.published_at >= ?2 ${CARD_FROM}
        WHERE s.profile_id = ?1 AND ${visible} AND ${unfinished}
        ORDER BY v.published_at DESC LIMIT ${n}`,
      now - FEED.subscriptionWindowMs,
    ),
    // 7. Trending overall, 8. popular.
    trendingIn(TRENDING_ALL),
    trendingIn(POPULAR_SCOPE),
    // 9. Trending in the profile's categories: its top watched ones and those of its recent likes.
    stmt(
      `WITH cats(id) AS (
         SELECT key FROM (SELECT key FROM profile_affinities WHERE profile_id = ?1 AND kind = 'category'
                           ORDER BY score DESC LIMIT 3)
         UNION
         SELECT category_id FROM (SELECT v.category_id FROM video_reaction_index r JOIN videos v ON v.id = r.video_id
                                   WHERE r.profile_id = ?1 AND r.value = 'like' AND v.category_id IS NOT NULL
                                   ORDER BY r.reacted_at DESC LIMIT 10)
       ),
       ranked AS (
         SELECT t.scope, t.video_id, t.score,
                ROW_NUMBER() OVER (PARTITION BY t.scope ORDER BY t.score DESC) AS n
           FROM trending t WHERE t.scope IN (SELECT id FROM cats) AND ${maturitySql("t.maturity", level)}
       )
       SELECT ${CARD_COLUMNS}, rk.score AS trend_score, rk.scope, cat.name AS category_name
         FROM ranked rk JOIN videos v ON v.id = rk.video_id ${CARD_FROM} JOIN categories cat ON cat.id = rk.scope
        WHERE rk.n <= 30 AND ${visible} AND ${unfinished}
        ORDER BY rk.score DESC`,
    ),
    // 10. The newest videos of the favourite channels.
    stmt(
      `SELECT ${CARD_COLUMNS}
         FROM (SELECT key FROM profile_affinities WHERE profile_id = ?1 AND kind = 'channel'
                ORDER BY score DESC LIMIT 5) fav
         JOIN videos v ON v.channel_id = fav.key AND v.published_at >= ?2 ${CARD_FROM}
        WHERE ${visible} AND ${unfinished}
        ORDER BY v.published_at DESC LIMIT ${n}`,
      now - FEED.channelWindowMs,
    ),
    // 11. The newest videos overall: walk videos_published_idx newest first and stop after n that pass
    // the filters (1.4 ms at 100k videos; materialising the newest 2,000 first took 20 ms).
    stmt(
      `SELECT ${CARD_COLUMNS}
         FROM videos v INDEXED BY videos_published_idx ${CARD_FROM}
        WHERE v.published_at IS NOT NULL AND v.published_at <= ?2 AND ${visible} AND ${unfinished}
        ORDER BY v.published_at DESC LIMIT ${n}`,
      now,
    ),
  ];
}

const tagsOf = (row: { tags: string }): string[] => {
  try {
    const tags = JSON.parse(row.tags) as unknown;
    return Array.isArray(tags) ? (tags.filter((t) => typeof t === "string") as string[]) : [];
  } catch {
    return [];
  }
};

/** Category, channel and tag weights of the profile, decayed to `now`. */
class Taste {
  readonly category = new Map<string, number>();
  readonly channel = new Map<string, number>();
  readonly tag = new Map<string, number>();

  add(kind: "category" | "channel" | "tag", key: string | null, weight: number) {
    if (key === null || weight <= 0) return;
    const map = this[kind];
    map.set(key, (map.get(key) ?? 0) + weight);
  }

  addVideo(video: { category_id: string | null; channel_id: string; tags: string }, weight: number) {
    this.add("category", video.category_id, weight);
    this.add("channel", video.channel_id, weight);
    for (const tag of tagsOf(video).slice(0, AFFINITY_WEIGHTS.maxTags)) {
      this.add("tag", tag, weight * AFFINITY_WEIGHTS.tagFactor);
    }
  }

  of(card: CardRow): number {
    let score = (this.category.get(card.category_id ?? "") ?? 0) + (this.channel.get(card.channel_id) ?? 0);
    for (const tag of tagsOf(card).slice(0, AFFINITY_WEIGHTS.maxTags)) score += this.tag.get(tag) ?? 0;
    return score;
  }

  get empty() {
    return this.category.size + this.channel.size + this.tag.size === 0;
  }
}

export async function buildFeed(
  s: Services,
  profileId: string,
  level: Maturity,
  now: number,
): Promise<RowDraft[]> {
  const db = s.env.DB;
  const results = await db.batch(
    feedQueries(profileId, level, now).map((q) => db.prepare(q.sql).bind(...q.params)),
  );
  const rowsOf = <T>(i: number) => (results[i]?.results ?? []) as T[];
  const history = rowsOf<HistoryRow>(0);
  const affinities = [...rowsOf<AffinityRow>(1), ...rowsOf<AffinityRow>(2), ...rowsOf<AffinityRow>(3)];
  const likes = rowsOf<LikeRow>(4);
  const subscribed = rowsOf<{ channel_id: string }>(5);
  const subscriptionVideos = rowsOf<CardRow>(6);
  const trendingAll = rowsOf<TrendRow>(7);
  const popular = rowsOf<TrendRow>(8);
  const trendingInCategories = rowsOf<ScopedRow>(9);
  const channelVideos = rowsOf<CardRow>(10);
  const newest = rowsOf<CardRow>(11);

  // The profile's taste: stored affinities (decayed), likes (decayed by their age), subscriptions.
  const taste = new Taste();
  for (const a of affinities) taste.add(a.kind, a.key, a.score * decay(now - a.updated_at));
  for (const like of likes) taste.addVideo(like, AFFINITY_WEIGHTS.like * decay(now - like.reacted_at));
  for (const sub of subscribed) taste.add("channel", sub.channel_id, AFFINITY_WEIGHTS.subscription);

  // Ranking: every candidate once, with its trending score if it has one.
  const trend = new Map<string, number>();
  for (const r of [...trendingAll, ...trendingInCategories]) {
    trend.set(r.id, Math.max(trend.get(r.id) ?? 0, r.trend_score));
  }
  const pool = new Map<string, CardRow>();
  for (const list of [
    subscriptionVideos,
    trendingAll,
    popular,
    trendingInCategories,
    channelVideos,
    newest,
  ]) {
    for (const card of list) if (!pool.has(card.id)) pool.set(card.id, card);
  }
  const popularity = (c: CardRow) => Math.log1p(c.view_count + FEED.popularityLikeWeight * c.like_count);
  let maxAffinity = 0;
  let maxPopularity = 0;
  let maxTrend = 0;
  for (const card of pool.values()) {
    maxAffinity = Math.max(maxAffinity, taste.of(card));
    maxPopularity = Math.max(maxPopularity, popularity(card));
    maxTrend = Math.max(maxTrend, trend.get(card.id) ?? 0);
  }
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  const rankCache = new Map<string, number>();
  const rank = (c: CardRow) => {
    let r = rankCache.get(c.id);
    if (r === undefined) {
      r =
        FEED.mix.affinity * share(taste.of(c), maxAffinity) +
        FEED.mix.popularity * share(popularity(c), maxPopularity) +
        FEED.mix.trend * share(trend.get(c.id) ?? 0, maxTrend) +
        FEED.mix.freshness * decay(now - (c.published_at ?? 0), FEED.freshHalfLifeMs);
      rankCache.set(c.id, r);
    }
    return r;
  };
  const byRank = (cards: Iterable<CardRow>) => [...cards].sort((a, b) => rank(b) - rank(a));

  // Rows, in order; `used` keeps every video to one appearance in the whole feed.
  const used = new Set<string>();
  const rows: RowDraft[] = [];
  const addRow = (
    id: string,
    title: string,
    reason: Reason,
    cards: CardRow[],
    itemReason = (_c: CardRow) => reason,
  ) => {
    const items: RowDraft["items"] = [];
    const perChannel = new Map<string, number>();
    for (const card of cards) {
      if (items.length >= FEED.rowSize) break;
      if (used.has(card.id) || (perChannel.get(card.channel_id) ?? 0) >= FEED.perChannel) continue;
      perChannel.set(card.channel_id, (perChannel.get(card.channel_id) ?? 0) + 1);
      used.add(card.id);
      items.push({ card, reason: itemReason(card) });
    }
    if (items.length > 0) rows.push({ id, title, reason, items });
  };

  // Finished videos never appear: the reads filter them, and recent history marks them here too.
  for (const h of history) if (h.completed === 1) used.add(h.id);

  addRow(
    "continue_watching",
    "Continue watching",
    { type: "continue_watching" },
    history.filter((h) => h.completed === 0 && h.position_ms > 0),
    (c) => ({ type: "continue_watching", videoId: c.id, videoTitle: c.title }),
  );

  addRow(
    "new_from_subscriptions",
    "New from your subscriptions",
    { type: "new_from_subscriptions" },
    subscriptionVideos,
    (c) => ({
      type: "new_from_subscriptions",
      channelId: c.channel_id,
      channelName: c.channel_name,
    }),
  );

  // "Because you watched X": X is what most recently raised the profile's strongest categories and
  // channels, else its most recent watches.
  const watched = new Map(history.map((h) => [h.id, h]));
  const anchors: HistoryRow[] = [];
  const strongest = [...affinities]
    .filter((a) => a.kind !== "tag" && a.last_video_id !== null)
    .sort((a, b) => b.score * decay(now - b.updated_at) - a.score * decay(now - a.updated_at));
  for (const a of strongest) {
    const x = watched.get(a.last_video_id as string);
    if (x && !anchors.includes(x)) anchors.push(x);
  }
  for (const h of history) if (!anchors.includes(h)) anchors.push(h);
  for (const x of anchors.slice(0, FEED.anchorRows)) {
    const xTags = new Set(tagsOf(x));
    const similar = [...pool.values()].filter(
      (c) =>
        c.id !== x.id &&
        ((x.category_id !== null && c.category_id === x.category_id) ||
          c.channel_id === x.channel_id ||
          tagsOf(c).some((t) => xTags.has(t))),
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
    const name = inCategory[0]?.category_name ?? categoryId;
    const reason: Reason = { type: "trending_in_category", categoryId, categoryName: name };
    addRow(`trending_in_category:${categoryId}`, `Trending in ${name}`, reason, inCategory);
  }

  addRow("trending", "Trending now", { type: "trending" }, taste.empty ? trendingAll : byRank(trendingAll));
  addRow("popular", "Popular", { type: "popular" }, taste.empty ? popular : byRank(popular));
  const fresh = [...channelVideos, ...newest];
  addRow("new", "New", { type: "new" }, taste.empty ? newest : byRank(fresh));
  return rows;
}

const SnapshotKey = z.strictObject({
  s: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  o: z.number().int().min(0),
});

const snapshotKey = (profileId: string, snapshotId: string) => `feed:${profileId}:${snapshotId}`;

export async function getFeed(
  s: Services,
  actor: Actor,
  cursor: string | undefined,
  ctx: { origin: string; nowMs: number },
) {
  const profileId = profileOf(actor);
  let page: RowDraft[];
  let next: { s: string; o: number } | null = null;
  if (cursor === undefined) {
    const rows = await buildFeed(s, profileId, viewerMaturity(actor), ctx.nowMs);
    page = rows.slice(0, FEED.rowsPerPage);
    const rest = rows.slice(FEED.rowsPerPage);
    if (rest.length > 0) {
      next = { s: randomToken(16), o: 0 };
      await s.env.SETTINGS.put(snapshotKey(profileId, next.s), JSON.stringify(rest), {
        expirationTtl: FEED.snapshotTtlSeconds,
      });
    }
  } else {
    const at = decodeCursor(cursor, "feed", SnapshotKey);
    const rest = await s.env.SETTINGS.get<RowDraft[]>(snapshotKey(profileId, at.s), "json");
    if (rest === null) throw new AppError("gone", "This feed has expired; load it again without a cursor");
    // The snapshot was ranked for the profile's level when the walk began; the level may have been
    // lowered since (a profile turned into a kids profile), so every served card is checked again.
    const level = viewerMaturity(actor);
    page = rest
      .slice(at.o, at.o + FEED.rowsPerPage)
      .map((row) => ({ ...row, items: row.items.filter((i) => canSee(level, i.card.maturity)) }))
      .filter((row) => row.items.length > 0);
    if (rest.length > at.o + FEED.rowsPerPage) next = { s: at.s, o: at.o + FEED.rowsPerPage };
  }
  const cardCtx = { signingKey: s.config.mediaSigningKey, ...ctx };
  return {
    rows: await Promise.all(
      page.map(async (row) => {
        const cards = await toCards(
          row.items.map((i) => i.card),
          cardCtx,
        );
        return {
          id: row.id,
          title: row.title,
          reason: row.reason,
          items: cards.map((video, i) => ({ video, reason: row.items[i]?.reason ?? row.reason })),
        };
      }),
    ),
    nextCursor: next ? encodeCursor("feed", next) : null,
  };
}

/** Videos of the subscribed channels, newest first (keyset on published_at, id). */
export async function subscriptionsFeed(
  s: Services,
  actor: Actor,
  query: ListQuery,
  ctx: { origin: string; nowMs: number },
) {
  const profileId = profileOf(actor);
  const level = viewerMaturity(actor);
  const after = query.cursor ? decodeCursor(query.cursor, "subscriptions", TimeKey) : null;
  const { results } = await s.env.DB.prepare(
    `SELECT ${CARD_COLUMNS}
       FROM subscriptions s JOIN videos v ON v.channel_id = s.channel_id ${CARD_FROM}
      WHERE s.profile_id = ?1 AND ${visibleToSql(level)} AND v.published_at IS NOT NULL
        AND (?2 IS NULL OR v.published_at < ?2 OR (v.published_at = ?2 AND v.id < ?3))
      ORDER BY v.published_at DESC, v.id DESC LIMIT ?4`,
  )
    .bind(profileId, after?.t ?? null, after?.i ?? "", query.limit + 1)
    .all<CardRow>();
  const { items: page, nextCursor } = keysetPage(results, query.limit, "subscriptions", (last) => ({
    t: last.published_at as number,
    i: last.id,
  }));
  return { items: await toCards(page, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
}
