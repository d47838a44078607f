/**
 * Search over listed videos: FTS5 (`video_search`, kept in step with videos and channels by the
 * triggers of migration 0004) joined to `videos` for visibility, maturity and filters.
 *
 * Ranking (lower is better, as FTS5's bm25 is negative and more negative means more relevant):
 *
 *   score = bm25(video_search, 10, 1, 5, 3) − ln(1 + likes + views / 10) × POPULARITY_WEIGHT
 *
 * The bm25 weights are per column of `video_search` (title 10, description 1, tags 5, channel
 * name 3), so a word in the title counts most, then tags, then the channel's name, then the
 * description. The popularity term is logarithmic: it separates comparable matches (and lifts a
 * well-watched video over an obscure one with a similar text score) without letting a hugely
 * popular description-only match overtake a title match. Ties are broken by id.
 */

import { CARD_COLUMNS, type CardRow, toCards, visibleToSql } from "../catalog/cards";
import { resolveCategory } from "../catalog/categories";
import { type CardContext, LISTED_AT_SQL } from "../catalog/listings";
import { viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, ScoreKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { matchExpression, searchTerms } from "./query";
import type { SearchQuery, Suggestion } from "./schemas";

/** Column weights in `video_search` column order: title, description, tags, channel_name. */
export const BM25_SQL = "bm25(video_search, 10.0, 1.0, 5.0, 3.0)";
export const POPULARITY_WEIGHT = 1.0;
export const SCORE_SQL = `(${BM25_SQL} - ln(1 + v.like_count + v.view_count / 10.0) * ${POPULARITY_WEIGHT})`;

const MINUTE = 60_000;
/** short < 4 min, medium 4–20 min, long > 20 min; a video whose duration is unknown matches none. */
const DURATION_SQL = {
  short: `v.duration_ms < ${4 * MINUTE}`,
  medium: `v.duration_ms >= ${4 * MINUTE} AND v.duration_ms <= ${20 * MINUTE}`,
  long: `v.duration_ms > ${20 * MINUTE}`,
} as const;

const HOUR = 3_600_000;
const UPLOADED_MS = {
  hour: HOUR,
  day: 24 * HOUR,
  week: 7 * 24 * HOUR,
  month: 30 * 24 * HOUR,
  year: 365 * 24 * HOUR,
};

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", { errors: [{ path, message }] });

/**
 * Runs a statement that MATCHes user-derived text. `matchExpression` cannot produce a syntax error,
 * but should FTS5 still refuse the query, the caller gets a 400 rather than a 500.
 */
async function runMatch<T>(statement: D1PreparedStatement): Promise<T[]> {
  try {
    return (await statement.all<T>()).results;
  } catch (error) {
    if (/fts5|MATCH|unterminated|syntax error/i.test(String(error))) {
      throw invalid("query.q", "This query cannot be searched; try plain words");
    }
    throw error;
  }
}

export async function search(s: Services, actor: Actor | null, query: SearchQuery, ctx: CardContext) {
  const after = query.cursor ? decodeCursor(query.cursor, "search", ScoreKey) : null;
  let categoryId: string | null = null;
  if (query.category !== undefined) {
    categoryId = await resolveCategory(s, query.category);
    if (categoryId === null) throw invalid("query.category", "No such category");
  }
  const match = matchExpression(searchTerms(query.q));
  if (match === null) return { items: [], nextCursor: null };

  // D1 wants every numbered parameter used: the optional filters test theirs for NULL.
  const filters = [
    visibleToSql(viewerMaturity(actor)),
    "(?5 IS NULL OR v.category_id = ?5)",
    `(?6 IS NULL OR ${LISTED_AT_SQL} >= ?6)`,
  ];
  if (query.duration) filters.push(DURATION_SQL[query.duration]);
  const since = query.uploaded ? ctx.nowMs - UPLOADED_MS[query.uploaded] : null;

  const rows = await runMatch<CardRow & { score: number }>(
    s.env.DB.prepare(
      `SELECT * FROM (
         SELECT ${CARD_COLUMNS}, ${SCORE_SQL} AS score
           FROM video_search
           JOIN videos v ON v.rowid = video_search.rowid
           JOIN channels c ON c.id = v.channel_id
          WHERE video_search MATCH ?1 AND ${filters.join(" AND ")}
       )
       WHERE ?2 IS NULL OR score > ?2 OR (score = ?2 AND id > ?3)
       ORDER BY score ASC, id ASC
       LIMIT ?4`,
    ).bind(match, after?.s ?? null, after?.i ?? "", query.limit + 1, categoryId, since),
  );
  const { items: page, nextCursor } = keysetPage(
    rows,
    query.limit,
    "search",
    (last): ScoreKey => ({ s: last.score, i: last.id }),
  );
  return { items: await toCards(page, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
}

const MAX_SUGGESTIONS = 10;
/** The largest code point: `tag < prefix + MAX_CHAR` bounds a prefix range in UTF-8 byte order. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

/**
 * Up to ten completions for what is being typed: titles whose words match (the last one as a
 * prefix), tags that start with the text, and names of channels whose words match, all drawn from
 * videos the caller may see. Kinds take turns (title, tag, channel) so each shows when it exists.
 */
export async function suggest(s: Services, actor: Actor | null, q: string): Promise<{ items: Suggestion[] }> {
  const visible = visibleToSql(viewerMaturity(actor));
  const terms = searchTerms(q);
  const titleMatch = matchExpression(terms, "title");
  const channelMatch = matchExpression(terms, "channel_name");
  const tagPrefix = q.trim().toLowerCase().replace(/\s+/g, " ");

  const [titles, tags, channels] = await Promise.all([
    titleMatch === null
      ? []
      : runMatch<{ text: string }>(
          s.env.DB.prepare(
            `SELECT v.title AS text, MAX(v.like_count + v.view_count / 10.0) AS popularity
               FROM video_search JOIN videos v ON v.rowid = video_search.rowid
              WHERE video_search MATCH ?1 AND ${visible}
              GROUP BY v.title ORDER BY popularity DESC, text LIMIT ?2`,
          ).bind(titleMatch, MAX_SUGGESTIONS),
        ),
    s.env.DB.prepare(
      `SELECT vt.tag AS text, COUNT(*) AS videos
         FROM video_tags vt JOIN videos v ON v.id = vt.video_id
        WHERE vt.tag >= ?1 AND vt.tag < ?2 AND ${visible}
        GROUP BY vt.tag ORDER BY videos DESC, vt.tag LIMIT ?3`,
    )
      .bind(tagPrefix, tagPrefix + MAX_CHAR, MAX_SUGGESTIONS)
      .all<{ text: string }>()
      .then((r) => r.results),
    channelMatch === null
      ? []
      : runMatch<{ text: string }>(
          s.env.DB.prepare(
            `SELECT c.name AS text, COUNT(*) AS videos
               FROM video_search
               JOIN videos v ON v.rowid = video_search.rowid
               JOIN channels c ON c.id = v.channel_id
              WHERE video_search MATCH ?1 AND ${visible}
              GROUP BY c.id ORDER BY videos DESC, c.name LIMIT ?2`,
          ).bind(channelMatch, MAX_SUGGESTIONS),
        ),
  ]);

  const lists: Suggestion[][] = [
    titles.map((r) => ({ text: r.text, kind: "title" as const })),
    tags.map((r) => ({ text: r.text, kind: "tag" as const })),
    channels.map((r) => ({ text: r.text, kind: "channel" as const })),
  ];
  const items: Suggestion[] = [];
  const seen = new Set<string>();
  for (let i = 0; items.length < MAX_SUGGESTIONS && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const item = list[i];
      if (!item || items.length >= MAX_SUGGESTIONS) continue;
      const key = `${item.kind}:${item.text.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return { items };
}
