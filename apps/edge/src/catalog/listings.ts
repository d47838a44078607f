/**
 * Newest-first card lists (a tag, a channel) and the studio's list of the account's own videos.
 * Each is keyset-paginated on (listing time, id), so a walk never repeats an item: the next page
 * starts strictly after the last item of the previous one.
 */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { videos } from "../db/schema";
import { viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { videoView } from "../videos/view";
import { CARD_COLUMNS, type CardContext, type CardRow, toCards, visibleToSql } from "./cards";

/**
 * When a video entered the lists: `published_at` (first time ready), or for a video already
 * playable while still processing (no `published_at` yet) its creation time. Whole milliseconds,
 * so cursors compare exactly (column defaults may store a REAL).
 */
export const LISTED_AT_SQL = "CAST(COALESCE(v.published_at, v.created_at) AS INTEGER)";

/** Where cards are rendered for (catalog/cards.ts). */
export type { CardContext } from "./cards";

type Scope = { kind: "tag"; tag: string } | { kind: "channel"; channelId: string };

async function listNewest(
  s: Services,
  actor: Actor | null,
  scope: Scope,
  query: ListQuery,
  ctx: CardContext,
) {
  const cursorKind = scope.kind === "tag" ? "tag" : "channel";
  const after = query.cursor ? decodeCursor(query.cursor, cursorKind, TimeKey) : null;
  const from =
    scope.kind === "tag"
      ? "video_tags vt JOIN videos v ON v.id = vt.video_id JOIN channels c ON c.id = v.channel_id"
      : "videos v JOIN channels c ON c.id = v.channel_id";
  const where = scope.kind === "tag" ? "vt.tag = ?1" : "v.channel_id = ?1";
  const { results } = await s.env.DB.prepare(
    `SELECT ${CARD_COLUMNS}, ${LISTED_AT_SQL} AS listed_at
       FROM ${from}
      WHERE ${where} AND ${visibleToSql(viewerMaturity(actor))}
        AND (?2 IS NULL OR ${LISTED_AT_SQL} < ?2 OR (${LISTED_AT_SQL} = ?2 AND v.id < ?3))
      ORDER BY listed_at DESC, v.id DESC
      LIMIT ?4`,
  )
    .bind(
      scope.kind === "tag" ? scope.tag : scope.channelId,
      after?.t ?? null,
      after?.i ?? "",
      query.limit + 1,
    )
    .all<CardRow & { listed_at: number }>();
  const { items: page, nextCursor } = keysetPage(
    results,
    query.limit,
    cursorKind,
    (last): TimeKey => ({ t: last.listed_at, i: last.id }),
  );
  return { items: await toCards(page, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
}

/**
 * Listed videos carrying `tag` (already normalised), newest first. A tag exists only through its
 * videos: when none the caller may see carries it, the first page is a 404 (a later page that
 * comes out empty, because videos went away meanwhile, is an ordinary empty page).
 */
export async function listTagVideos(
  s: Services,
  actor: Actor | null,
  tag: string,
  query: ListQuery,
  ctx: CardContext,
) {
  const page = await listNewest(s, actor, { kind: "tag", tag }, query, ctx);
  if (!query.cursor && page.items.length === 0) throw new AppError("not_found", "No videos with this tag");
  return page;
}

/** Listed videos of a channel (by id or @handle; 404 if there is no such channel), newest first. */
export async function listChannelVideos(
  s: Services,
  actor: Actor | null,
  channelRef: string,
  query: ListQuery,
  ctx: CardContext,
) {
  const handle = (channelRef.startsWith("@") ? channelRef.slice(1) : channelRef).toLowerCase();
  const channel = await s.env.DB.prepare("SELECT id FROM channels WHERE id = ?1 OR handle = ?2 LIMIT 1")
    .bind(channelRef, handle)
    .first<{ id: string }>();
  if (!channel) throw new AppError("not_found", "No such channel");
  return listNewest(s, actor, { kind: "channel", channelId: channel.id }, query, ctx);
}

/**
 * The studio: every video of the caller's account whatever its status (deleted ones excepted),
 * newest created first, as full video objects. Kids profiles manage nothing (403).
 */
export async function listMyVideos(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "video.manage", { ownerAccountId: actor.accountId });
  const after = query.cursor ? decodeCursor(query.cursor, "studio", TimeKey) : null;
  const createdAt = sql<number>`CAST(${videos.createdAt} AS INTEGER)`;
  const rows = await s.db
    .select({ video: videos, createdMs: createdAt })
    .from(videos)
    .where(
      and(
        eq(videos.accountId, actor.accountId),
        ne(videos.status, "deleted"),
        after
          ? sql`(${createdAt} < ${after.t} OR (${createdAt} = ${after.t} AND ${videos.id} < ${after.i}))`
          : undefined,
      ),
    )
    .orderBy(desc(createdAt), desc(videos.id))
    .limit(query.limit + 1)
    .all();
  const { items: page, nextCursor } = keysetPage(
    rows,
    query.limit,
    "studio",
    (last): TimeKey => ({ t: last.createdMs, i: last.video.id }),
  );
  return { items: page.map((r) => videoView(r.video)), nextCursor };
}
