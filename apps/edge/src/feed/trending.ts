/** GET /trending: the trending table (see trending-task.ts) read by scope, score first. */
import { CARD_COLUMNS, type CardRow, toCards, visibleToSql } from "../catalog/cards";
import { maturitySql, viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, ScoreKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { TRENDING_ALL } from "./trending-task";

interface TrendingRow extends CardRow {
  trend_score: number;
}

export async function listTrending(
  s: Services,
  actor: Actor | null,
  query: { category?: string | undefined; limit: number; cursor?: string | undefined },
  ctx: { origin: string; nowMs: number },
) {
  const level = viewerMaturity(actor);
  const after = query.cursor ? decodeCursor(query.cursor, "trending", ScoreKey) : null;
  let scope = TRENDING_ALL;
  if (query.category !== undefined) {
    const category = await s.env.DB.prepare("SELECT id FROM categories WHERE id = ?1 OR slug = lower(?1)")
      .bind(query.category)
      .first<{ id: string }>();
    if (!category) throw new AppError("not_found", "No such category");
    scope = category.id;
  }
  // trending_rank_idx (scope, score): a range of at most a few hundred rows per scope.
  const { results } = await s.env.DB.prepare(
    `SELECT ${CARD_COLUMNS}, t.score AS trend_score
       FROM trending t
       JOIN videos v ON v.id = t.video_id
       JOIN channels c ON c.id = v.channel_id
      WHERE t.scope = ?1 AND ${maturitySql("t.maturity", level)} AND ${visibleToSql(level)}
        AND (?2 IS NULL OR t.score < ?2 OR (t.score = ?2 AND t.video_id > ?3))
      ORDER BY t.score DESC, t.video_id ASC
      LIMIT ?4`,
  )
    .bind(scope, after?.s ?? null, after?.i ?? "", query.limit + 1)
    .all<TrendingRow>();
  if (results.length === 0 && !after) {
    // Nothing computed yet (a fresh platform before the first cron run): newest listed videos, one page.
    const newest = await s.env.DB.prepare(
      `SELECT ${CARD_COLUMNS}
         FROM videos v JOIN channels c ON c.id = v.channel_id
        WHERE ${visibleToSql(level)} AND (?1 = '${TRENDING_ALL}' OR v.category_id = ?1)
        ORDER BY v.published_at DESC, v.id ASC
        LIMIT ?2`,
    )
      .bind(scope, query.limit)
      .all<CardRow>();
    return {
      items: await toCards(newest.results, { signingKey: s.config.mediaSigningKey, ...ctx }),
      nextCursor: null,
    };
  }
  const { items: page, nextCursor } = keysetPage(results, query.limit, "trending", (last) => ({
    s: last.trend_score,
    i: last.id,
  }));
  return { items: await toCards(page, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
}
