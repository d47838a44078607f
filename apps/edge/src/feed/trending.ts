/** GET /trending: the trending table (see trending-task.ts) read by scope, score first. */
import { and, asc, desc, eq } from "drizzle-orm";
import { type CardContext, selectCards, toCards, visibleTo } from "../catalog/cards";
import { resolveCategory } from "../catalog/categories";
import { maturityIn, viewerMaturity } from "../catalog/maturity";
import { trending, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, keysetWhere, ScoreKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { TRENDING_ALL } from "./trending-task";

export async function listTrending(
  s: Services,
  actor: Actor | null,
  query: { category?: string | undefined; limit: number; cursor?: string | undefined },
  ctx: CardContext,
) {
  const level = viewerMaturity(actor);
  const after = query.cursor ? decodeCursor(query.cursor, "trending", ScoreKey) : null;
  let scope = TRENDING_ALL;
  if (query.category !== undefined) {
    const categoryId = await resolveCategory(s, query.category);
    if (categoryId === null) throw new AppError("not_found", "No such category");
    scope = categoryId;
  }
  const render = { signingKey: s.config.mediaSigningKey, ...ctx };
  // trending_rank_idx (scope, score): a range of at most a few hundred rows per scope.
  const rows = await selectCards(s.db, { trendScore: trending.score })
    .innerJoin(trending, eq(trending.videoId, videos.id))
    .where(
      and(
        eq(trending.scope, scope),
        maturityIn(trending.maturity, level),
        visibleTo(level),
        after
          ? keysetWhere([
              { column: trending.score, value: after.s, order: "desc" },
              { column: trending.videoId, value: after.i, order: "asc" },
            ])
          : undefined,
      ),
    )
    .orderBy(desc(trending.score), asc(trending.videoId))
    .limit(query.limit + 1);
  if (rows.length === 0 && !after) {
    // Nothing computed yet (a fresh platform before the first cron run): newest listed videos, one page.
    const newest = await selectCards(s.db)
      .where(and(visibleTo(level), scope === TRENDING_ALL ? undefined : eq(videos.categoryId, scope)))
      .orderBy(desc(videos.publishedAt), asc(videos.id))
      .limit(query.limit);
    return { items: await toCards(newest, render), nextCursor: null };
  }
  const { items, nextCursor } = keysetPage(rows, query.limit, "trending", (last) => ({
    s: last.trendScore,
    i: last.id,
  }));
  return { items: await toCards(items, render), nextCursor };
}
