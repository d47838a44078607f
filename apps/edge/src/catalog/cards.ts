/**
 * The video card: the one shape every listing returns (channel pages, tags, search, feed rows,
 * trending, history), and the SQL that selects it. Discovery routes share it so a client renders
 * every list the same way and every list applies the same visibility and maturity rules
 * (`visibleTo`).
 */
import { z } from "@hono/zod-openapi";
import { MATURITY_LEVELS, type Maturity } from "@marquee/shared";
import { and, eq, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Context } from "hono";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { channels, videos } from "../db/schema";
import { currentGeneration, currentGenerations, POSTER_MAX_LIFETIME_SECONDS } from "../playback/revocation";
import { issuePlaybackToken } from "../playback/token";
import { publicBaseUrl } from "../playback/urls";
import type { AppEnv } from "../types";
import { maturityIn } from "./maturity";

/** Ready, or already playable while still processing (progressive publish). */
export const watchable = (): SQL =>
  or(eq(videos.status, "ready"), and(eq(videos.status, "processing"), eq(videos.playable, true))) as SQL;

/**
 * Listed: public or premium (premium shows in lists, playback checks the plan), not private or
 * unlisted, not deleted, ready or already playable while processing, and not hidden by moderation.
 *
 * No index covers `status` as a whole (almost every video is `ready`, so one would select nearly the
 * whole table, and SQLite drove listings through it: see `videos_awaiting_upload_idx` in
 * db/schema/videos.ts); every listing comes in through something selective (a channel, a tag,
 * trending, the newest ids).
 */
export const listed = (): SQL =>
  and(
    inArray(videos.visibility, ["public", "premium"]),
    ne(videos.status, "deleted"),
    isNull(videos.deletedAt),
    watchable(),
    // Moderation (docs/moderation.md, "Visibility"): held pending review or removed, or its channel
    // held/suspended or account suspended (`channel_hidden`, kept by moderation/channel-hidden.ts).
    eq(videos.moderationState, "visible"),
    eq(videos.channelHidden, false),
  ) as SQL;

/** Listed and within the viewer's maturity level. */
export const visibleTo = (level: Maturity): SQL => and(listed(), maturityIn(videos.maturity, level)) as SQL;

/**
 * What a card needs, as a drizzle selection; join `channels` on `videos.channelId`. The channel's
 * columns are renamed: D1 batches answer rows keyed by column name, where `channels.id` would
 * overwrite `videos.id`.
 */
export const cardColumns = {
  id: videos.id,
  title: videos.title,
  durationMs: videos.durationMs,
  publishedAt: videos.publishedAt,
  viewCount: videos.viewCount,
  likeCount: videos.likeCount,
  maturity: videos.maturity,
  categoryId: videos.categoryId,
  tags: videos.tags,
  visibility: videos.visibility,
  status: videos.status,
  channelId: sql<string>`${channels.id}`.as("channel_id"),
  channelHandle: sql<string>`${channels.handle}`.as("channel_handle"),
  channelName: sql<string>`${channels.name}`.as("channel_name"),
};

/** The join every card read makes. */
export const cardChannel = eq(channels.id, videos.channelId);

/**
 * The one card read: `cardColumns` (plus `extra` columns) from videos joined with their channels.
 * Callers chain their own `.where(...).orderBy(...).limit(...)`, and a read that goes through
 * another table (subscriptions, trending, history) joins it next.
 */
export function selectCards<Extra extends Record<string, SQLiteColumn | SQL.Aliased>>(
  db: Db,
  extra: Extra = {} as Extra,
) {
  return db
    .select({ ...cardColumns, ...extra })
    .from(videos)
    .innerJoin(channels, cardChannel);
}

export interface CardRow {
  id: string;
  title: string;
  durationMs: number | null;
  publishedAt: number | null;
  viewCount: number;
  likeCount: number;
  maturity: Maturity;
  categoryId: string | null;
  tags: string[];
  visibility: string;
  status: string;
  channelId: string;
  channelHandle: string;
  channelName: string;
}

export const VideoCard = z
  .object({
    id: z.string(),
    title: z.string(),
    channel: z.object({ id: z.string(), handle: z.string(), name: z.string() }),
    durationMs: z.number().int().nullable(),
    publishedAt: z.string().nullable().openapi({ description: "When it first became playable (ISO 8601)" }),
    viewCount: z.number().int(),
    likeCount: z.number().int(),
    maturity: z.enum(MATURITY_LEVELS),
    categoryId: z.string().nullable(),
    tags: z.array(z.string()),
    premium: z.boolean(),
    /** False while the ladder is still growing (playable from the start already). */
    processing: z.boolean(),
    posterUrl: z.string().openapi({ description: "Poster image; the link is valid for at least a day" }),
    storyboardUrl: z.string().nullable().openapi({
      description:
        "Hover preview: a WebVTT storyboard whose cues point into a sprite (`sprite.jpg#xywh=…`) beside it; valid as long as posterUrl. Null for premium videos and while processing",
    }),
  })
  .openapi("VideoCard");
export type VideoCard = z.infer<typeof VideoCard>;

const DAY_SECONDS = 86_400;

/**
 * Where cards are rendered for. `origin` is PUBLIC_URL (never the request's Host); `kv` reads the
 * media generations that poster links carry (playback/revocation.ts).
 */
export interface CardContext {
  origin: string;
  nowMs: number;
  kv?: KVNamespace;
}

/** The one card context every route that answers cards uses. */
export function cardContext(c: Context<AppEnv>): Required<CardContext> {
  return { origin: publicBaseUrl(c.var.config), nowMs: Date.now(), kv: c.env.SETTINGS };
}

type RenderContext = CardContext & { signingKey: string };

/**
 * A card's image links: the poster and, when asked for, the hover-preview storyboard (its WebVTT
 * index; the sprite it names sits beside it), both on one token. The grant has `maxHeight` 0, which
 * the media route accepts for `thumbs/` and `storyboard/` only (the storyboard only while the video is
 * neither premium nor private, checked per request), so a card never hands out playback. The expiry is rounded to the next day boundary
 * plus a day, so the same card has the same URLs all day (until the video's generation moves) and
 * browsers and the edge cache them. It carries the video's media generation, so narrowing the video
 * revokes it too.
 */
export async function cardImageUrls(
  signingKey: string,
  origin: string,
  videoId: string,
  nowMs: number,
  generation = 0,
  withStoryboard = true,
) {
  // At most POSTER_MAX_LIFETIME_SECONDS ahead: a deleted video's generation is kept that long.
  const expires = Math.floor(nowMs / 1000 / DAY_SECONDS) * DAY_SECONDS + POSTER_MAX_LIFETIME_SECONDS;
  const token = await issuePlaybackToken(signingKey, { videoId, expires, maxHeight: 0, generation });
  const base = `${origin}/media/${videoId}/${token}`;
  return {
    posterUrl: `${base}/thumbs/poster.jpg`,
    storyboardUrl: withStoryboard ? `${base}/storyboard/storyboard.vtt` : null,
  };
}

/**
 * The poster link of a video anyone may see, as its cards carry it (day-stable, on the video's
 * current generation). The watch page's first screen and the playback answer both give this one,
 * so the player's poster is the image the card or the first screen already put in the cache.
 */
export async function publicPosterUrl(
  config: Pick<Config, "mediaSigningKey" | "publicUrl">,
  videoId: string,
  nowMs: number,
  generation: number,
): Promise<string> {
  return (
    await cardImageUrls(config.mediaSigningKey, publicBaseUrl(config), videoId, nowMs, generation, false)
  ).posterUrl;
}

/**
 * One card. Without `generations` (a single card) the video's generation is read here. A context
 * without `kv` signs generation 0, which stops working once the video has been narrowed: callers
 * must pass the route's `cardContext`.
 */
export async function toCard(
  row: CardRow,
  ctx: RenderContext,
  generations?: Map<string, number>,
): Promise<VideoCard> {
  const generation = generations?.get(row.id) ?? (ctx.kv ? await currentGeneration(ctx.kv, row.id) : 0);
  const premium = row.visibility === "premium";
  const processing = row.status !== "ready";
  // Frames of paid content are not handed to everyone on a card; a video still processing has no
  // storyboard yet (it is published with the last rung).
  const images = await cardImageUrls(
    ctx.signingKey,
    ctx.origin,
    row.id,
    ctx.nowMs,
    generation,
    !premium && !processing,
  );
  return {
    id: row.id,
    title: row.title,
    channel: { id: row.channelId, handle: row.channelHandle, name: row.channelName },
    durationMs: row.durationMs,
    publishedAt: row.publishedAt === null ? null : new Date(row.publishedAt).toISOString(),
    viewCount: row.viewCount,
    likeCount: row.likeCount,
    maturity: row.maturity,
    categoryId: row.categoryId,
    tags: row.tags,
    premium,
    processing,
    posterUrl: images.posterUrl,
    storyboardUrl: images.storyboardUrl,
  };
}

/** Cards for a page of rows: the generations come in one bulk read. */
export async function toCards(rows: CardRow[], ctx: RenderContext) {
  const generations = ctx.kv
    ? await currentGenerations(
        ctx.kv,
        rows.map((r) => r.id),
      )
    : new Map<string, number>();
  return Promise.all(rows.map((r) => toCard(r, ctx, generations)));
}
