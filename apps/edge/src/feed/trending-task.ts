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
import { LISTED_SQL } from "../catalog/cards";
import { DAY_MS } from "../discovery/affinity";
import { createLogger } from "../lib/logger";

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

/** Day weights as SQL: CASE day WHEN 'today' THEN 1 WHEN 'yesterday' THEN 0.5 ... END. */
function dayWeightSql(column: string, now: number): string {
  const whens = Array.from({ length: TRENDING.windowDays }, (_, d) => {
    const weight = 2 ** (-d / TRENDING.halfLifeDays);
    return `WHEN '${dayName(now - d * DAY_MS)}' THEN ${weight}`;
  });
  return `(CASE ${column} ${whens.join(" ")} ELSE 0 END)`;
}

export function trendingStatements(db: D1Database, now: number): D1PreparedStatement[] {
  const from = dayName(now - (TRENDING.windowDays - 1) * DAY_MS);
  const { weights } = TRENDING;
  const scored = `
    WITH cand(id) AS (
      SELECT id FROM videos WHERE published_at >= ?1
      UNION SELECT video_id FROM playback_events WHERE received_at >= ?2
      UNION SELECT video_id FROM trending WHERE scope != '${POPULAR_SCOPE}'
    ),
    scored AS MATERIALIZED (
      SELECT v.id, v.category_id, v.maturity,
             ${weights.view} * COALESCE((SELECT SUM(d.views * ${dayWeightSql("d.day", now)})
                                           FROM video_view_days d WHERE d.video_id = v.id AND d.day >= ?3), 0)
           + ${weights.like} * COALESCE((SELECT SUM(MAX(r.likes, 0) * ${dayWeightSql("r.day", now)})
                                           FROM video_reaction_days r WHERE r.video_id = v.id AND r.day >= ?3), 0)
           + ${weights.fresh} * exp(-${Math.LN2} * MAX(0, ?4 - v.published_at) / ${TRENDING.freshHalfLifeMs})
             AS score
        FROM cand JOIN videos v ON v.id = cand.id
       WHERE ${LISTED_SQL} AND v.published_at IS NOT NULL
    )`;
  return [
    db
      .prepare(
        `${scored}
         INSERT OR REPLACE INTO trending (scope, video_id, score, maturity, computed_at)
         SELECT '${TRENDING_ALL}', id, score, maturity, ?4
           FROM (SELECT id, score, maturity FROM scored ORDER BY score DESC LIMIT ${TRENDING.topAll})
         UNION ALL
         SELECT category_id, id, score, maturity, ?4
           FROM (SELECT id, category_id, score, maturity,
                        ROW_NUMBER() OVER (PARTITION BY category_id ORDER BY score DESC) AS n
                   FROM scored WHERE category_id IS NOT NULL)
          WHERE n <= ${TRENDING.topPerCategory}`,
      )
      .bind(
        now - TRENDING.candidatePublishedDays * DAY_MS,
        now - TRENDING.candidateActiveDays * DAY_MS,
        from,
        now,
      ),
    db
      .prepare(
        `INSERT OR REPLACE INTO trending (scope, video_id, score, maturity, computed_at)
         SELECT '${POPULAR_SCOPE}', v.id, v.like_count * ${TRENDING.popularLikeWeight} + v.view_count, v.maturity, ?1
           FROM videos v
          WHERE ${LISTED_SQL} AND (v.like_count > 0 OR v.view_count > 0)
          ORDER BY 3 DESC LIMIT ${TRENDING.topPopular}`,
      )
      .bind(now),
    // What this run did not write again is stale.
    db.prepare("DELETE FROM trending WHERE computed_at != ?1").bind(now),
  ];
}

/** Recomputes the trending table (all scopes) as of `now`. */
export async function recomputeTrending(env: Env, now: number): Promise<void> {
  const started = Date.now();
  await env.DB.batch(trendingStatements(env.DB, now));
  createLogger({ task: "trending" })("info", { event: "trending-recomputed", ms: Date.now() - started });
}
