/**
 * Search over listed videos: FTS5 (`video_search`, kept in step with videos and channels by the
 * triggers of migrations 0004 and 0019) joined to `videos` for visibility, maturity and filters.
 *
 * Ranking (lower is better, as FTS5's bm25 is negative and more negative means more relevant):
 *
 *   score = bm25(video_search, 10, 1, 5, 3, 0.5) − ln(1 + likes + views / 10) × POPULARITY_WEIGHT
 *
 * The bm25 weights are per column of `video_search` (title 10, description 1, tags 5, channel
 * name 3, captions 0.5), so a word in the title counts most, then tags, then the channel's name,
 * then the description, then what is said in the video (its captions, every language: migration
 * 0019). The popularity term is logarithmic: it separates comparable matches (and lifts a
 * well-watched video over an obscure one with a similar text score) without letting a hugely
 * popular description-only match overtake a title match. Ties are broken by id.
 */

import { and, asc, count, desc, eq, gt, gte, lt, lte, max, type SQL, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type CardContext, cardChannel, cardColumns, toCards, visibleTo } from "../catalog/cards";
import { resolveCategory } from "../catalog/categories";
import { listedAt } from "../catalog/listings";
import { viewerMaturity } from "../catalog/maturity";
import { channels, videos, videoTags } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, keysetWhere, ScoreKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { matchExpression, searchTerms } from "./query";
import type { SearchQuery, Suggestion } from "./schemas";

/**
 * The FTS5 index (migration 0004), declared here rather than in db/schema so drizzle-kit never
 * tries to create it as an ordinary table. Its rowid is the video's.
 */
const videoSearch = sqliteTable("video_search", {
  rowid: integer("rowid").notNull(),
  title: text("title"),
  description: text("description"),
  tags: text("tags"),
  channelName: text("channel_name"),
  captions: text("captions"),
});

const indexed = eq(videoSearch.rowid, sql`${videos}.rowid`);

// Raw SQL (drizzle's `sql`): FTS5's MATCH operator and bm25() function have no drizzle builder.
const matches = (expression: string) => sql`${videoSearch} MATCH ${expression}`;
export const POPULARITY_WEIGHT = 1.0;
/** Column weights in `video_search` column order: title, description, tags, channel_name, captions. */
const score = sql<number>`(bm25(${videoSearch}, 10.0, 1.0, 5.0, 3.0, 0.5) - ln(1 + ${videos.likeCount} + ${videos.viewCount} / 10.0) * ${POPULARITY_WEIGHT})`;

const MINUTE = 60_000;
/** short < 4 min, medium 4–20 min, long > 20 min; a video whose duration is unknown matches none. */
const DURATION = {
  short: () => lt(videos.durationMs, 4 * MINUTE),
  medium: () => and(gte(videos.durationMs, 4 * MINUTE), lte(videos.durationMs, 20 * MINUTE)),
  long: () => gt(videos.durationMs, 20 * MINUTE),
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
 * Runs a read that MATCHes user-derived text. `matchExpression` cannot produce a syntax error, but
 * should FTS5 still refuse the query, the caller gets a 400 rather than a 500. (Drizzle wraps the
 * driver's error, and its own message quotes the statement: the driver's is in `cause`.)
 */
async function runMatch<T>(read: Promise<T[]>): Promise<T[]> {
  try {
    return await read;
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    if (/fts5|MATCH|unterminated|syntax error/i.test(String(cause))) {
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

  const filters: (SQL | undefined)[] = [matches(match), visibleTo(viewerMaturity(actor))];
  if (categoryId !== null) filters.push(eq(videos.categoryId, categoryId));
  if (query.uploaded) filters.push(gte(listedAt, ctx.nowMs - UPLOADED_MS[query.uploaded]));
  if (query.duration) filters.push(DURATION[query.duration]());
  if (after) {
    filters.push(
      keysetWhere([
        { column: score, value: after.s, order: "asc" },
        { column: videos.id, value: after.i, order: "asc" },
      ]),
    );
  }
  const rows = await runMatch(
    s.db
      .select({ ...cardColumns, score: score.as("score") })
      .from(videoSearch)
      .innerJoin(videos, indexed)
      .innerJoin(channels, cardChannel)
      .where(and(...filters))
      .orderBy(asc(score), asc(videos.id))
      .limit(query.limit + 1),
  );
  const { items, nextCursor } = keysetPage(
    rows,
    query.limit,
    "search",
    (last): ScoreKey => ({ s: last.score, i: last.id }),
  );
  return { items: await toCards(items, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
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
  const visible = visibleTo(viewerMaturity(actor));
  const terms = searchTerms(q);
  const titleMatch = matchExpression(terms, "title");
  const channelMatch = matchExpression(terms, "channel_name");
  const tagPrefix = q.trim().toLowerCase().replace(/\s+/g, " ");

  const popularity = max(sql<number>`${videos.likeCount} + ${videos.viewCount} / 10.0`);
  const videoCount = count();
  const [titles, tags, channelNames] = await Promise.all([
    titleMatch === null
      ? []
      : runMatch(
          s.db
            .select({ text: videos.title, popularity })
            .from(videoSearch)
            .innerJoin(videos, indexed)
            .where(and(matches(titleMatch), visible))
            .groupBy(videos.title)
            .orderBy(desc(popularity), asc(videos.title))
            .limit(MAX_SUGGESTIONS),
        ),
    s.db
      .select({ text: videoTags.tag, videos: videoCount })
      .from(videoTags)
      .innerJoin(videos, eq(videos.id, videoTags.videoId))
      .where(and(gte(videoTags.tag, tagPrefix), lt(videoTags.tag, tagPrefix + MAX_CHAR), visible))
      .groupBy(videoTags.tag)
      .orderBy(desc(videoCount), asc(videoTags.tag))
      .limit(MAX_SUGGESTIONS),
    channelMatch === null
      ? []
      : runMatch(
          s.db
            .select({ text: channels.name, videos: videoCount })
            .from(videoSearch)
            .innerJoin(videos, indexed)
            .innerJoin(channels, cardChannel)
            .where(and(matches(channelMatch), visible))
            .groupBy(channels.id)
            .orderBy(desc(videoCount), asc(channels.name))
            .limit(MAX_SUGGESTIONS),
        ),
  ]);

  const lists: Suggestion[][] = [
    titles.map((r) => ({ text: r.text, kind: "title" as const })),
    tags.map((r) => ({ text: r.text, kind: "tag" as const })),
    channelNames.map((r) => ({ text: r.text, kind: "channel" as const })),
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
