/**
 * The periodic trending recompute, run by the cron trigger (see index.ts, every 30 minutes).
 *
 * score = VIEW · Σ_d views_d · w(d) + LIKE · Σ_d max(likes_d, 0) · w(d) + FRESH · 2^(−age / FRESH_HALF_LIFE)
 *
 * over the last WINDOW_DAYS UTC days d (video_view_days, video_reaction_days), where
 * w(d) = 2^(−(days before today) / HALF_LIFE_DAYS), and age = now − published_at. Candidates are
 * bounded by indexes: videos published in the last CANDIDATE_PUBLISHED_DAYS (videos_published_idx),
 * videos with beacons received in the last CANDIDATE_ACTIVE_DAYS (playback_events_received_idx), and
 * the current trending rows (so a video fades out instead of vanishing). Their per-day rows are
 * read by primary-key range. The top TOP_ALL go to scope "all", the top TOP_PER_CATEGORY of each
 * category to scope = category id; "popular" holds the all-time most liked/viewed (no decay, a full
 * scan of videos, once per run). The whole table is replaced in one D1 batch (one transaction), so
 * readers never see it half written.
 */
import { and, desc, gt, ne, or, sql } from "drizzle-orm";
import { listed } from "../catalog/cards";
import { createDb, type Db } from "../db/client";
import { playbackEvents, trending, videoReactionDays, videos, videoViewDays } from "../db/schema";
import { createLogger } from "../lib/logger";
import { DAY_MS } from "./affinity";

export const TRENDING_ALL = "all";
export const POPULAR_SCOPE = "popular";

export const TRENDING = {
  windowDays: 7,
  halfLifeDays: 1,
  freshHalfLifeMs: 2 * DAY_MS,
  weights: { view: 1, like: 3, fresh: 2 },
  /** Weight of a like against a view in "popular" (all-time counts). */
  popularLikeWeight: 3,
  candidatePublishedDays: 30,
  candidateActiveDays: 2,
  topAll: 500,
  topPerCategory: 100,
  topPopular: 500,
} as const;

const dayName = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Day weights: CASE day WHEN 'today' THEN 1 WHEN 'yesterday' THEN 0.5 ... END. */
function dayWeight(day: typeof videoViewDays.day | typeof videoReactionDays.day, now: number) {
  const whens = Array.from({ length: TRENDING.windowDays }, (_, d) => {
    const weight = 2 ** (-d / TRENDING.halfLifeDays);
    return sql`WHEN ${dayName(now - d * DAY_MS)} THEN ${weight}`;
  });
  return sql`(CASE ${day} ${sql.join(whens, sql` `)} ELSE 0 END)`;
}

/** Every row of `trending` is written again by each run (the primary key is scope + video). */
const replaceRow = {
  target: [trending.scope, trending.videoId],
  set: {
    score: sql`excluded.score`,
    maturity: sql`excluded.maturity`,
    computedAt: sql`excluded.computed_at`,
  },
};

export function trendingStatements(db: Db, now: number) {
  const from = dayName(now - (TRENDING.windowDays - 1) * DAY_MS);
  const { weights } = TRENDING;
  // Raw SQL (drizzle's `sql`): a MATERIALIZED CTE and a ROW_NUMBER() window, which drizzle's
  // builders cannot express. Column order is the table's: scope, video_id, score, maturity, computed_at.
  const scored = sql`
    WITH cand(id) AS (
      SELECT ${videos.id} FROM ${videos} WHERE ${videos.publishedAt} >= ${now - TRENDING.candidatePublishedDays * DAY_MS}
      UNION SELECT ${playbackEvents.videoId} FROM ${playbackEvents}
             WHERE ${playbackEvents.receivedAt} >= ${now - TRENDING.candidateActiveDays * DAY_MS}
      UNION SELECT ${trending.videoId} FROM ${trending} WHERE ${trending.scope} != ${POPULAR_SCOPE}
    ),
    scored AS MATERIALIZED (
      SELECT ${videos.id} AS id, ${videos.categoryId} AS category_id, ${videos.maturity} AS maturity,
             ${weights.view} * COALESCE((SELECT SUM(${videoViewDays.views} * ${dayWeight(videoViewDays.day, now)})
                                           FROM ${videoViewDays}
                                          WHERE ${videoViewDays.videoId} = ${videos.id} AND ${videoViewDays.day} >= ${from}), 0)
           + ${weights.like} * COALESCE((SELECT SUM(MAX(${videoReactionDays.likes}, 0) * ${dayWeight(videoReactionDays.day, now)})
                                           FROM ${videoReactionDays}
                                          WHERE ${videoReactionDays.videoId} = ${videos.id} AND ${videoReactionDays.day} >= ${from}), 0)
           + ${weights.fresh} * exp(-${Math.LN2} * MAX(0, ${now} - ${videos.publishedAt}) / ${TRENDING.freshHalfLifeMs})
             AS score
        FROM cand JOIN ${videos} ON ${videos.id} = cand.id
       WHERE ${listed()} AND ${videos.publishedAt} IS NOT NULL
    )
    SELECT ${TRENDING_ALL}, id, score, maturity, ${now}
      FROM (SELECT id, score, maturity FROM scored ORDER BY score DESC LIMIT ${TRENDING.topAll})
    UNION ALL
    SELECT category_id, id, score, maturity, ${now}
      FROM (SELECT id, category_id, score, maturity,
                   ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY score DESC) AS n
              FROM scored WHERE category_id IS NOT NULL)
     WHERE n <= ${TRENDING.topPerCategory}`;
  const popularScore = sql<number>`${videos.likeCount} * ${TRENDING.popularLikeWeight} + ${videos.viewCount}`;
  return [
    db.insert(trending).select(scored).onConflictDoUpdate(replaceRow),
    db
      .insert(trending)
      .select(
        db
          .select({
            scope: sql<string>`${POPULAR_SCOPE}`.as("scope"),
            videoId: videos.id,
            score: popularScore.as("score"),
            maturity: videos.maturity,
            computedAt: sql<number>`${now}`.as("computed_at"),
          })
          .from(videos)
          .where(and(listed(), or(gt(videos.likeCount, 0), gt(videos.viewCount, 0))))
          .orderBy(desc(popularScore))
          .limit(TRENDING.topPopular),
      )
      .onConflictDoUpdate(replaceRow),
    // What this run did not write again is stale.
    db.delete(trending).where(ne(trending.computedAt, now)),
  ] as const;
}

/** Recomputes the trending table (all scopes) as of `now`, in one D1 batch (one transaction). */
export async function recomputeTrending(env: Pick<Env, "DB">, now: number): Promise<void> {
  const started = Date.now();
  const db = createDb(env.DB);
  await db.batch(trendingStatements(db, now));
  createLogger({ task: "trending" })("info", { event: "trending-recomputed", ms: Date.now() - started });
}
