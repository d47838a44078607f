/**
 * Newest-first card lists (a tag, a channel) and the studio's list of the account's own videos.
 * Each is keyset-paginated on (listing time, id), so a walk never repeats an item: the next page
 * starts strictly after the last item of the previous one.
 */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { getChannelFor } from "../channels/service";
import { channels, videos, videoTags } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import { currentGenerations } from "../playback/revocation";
import { issuePlaybackToken } from "../playback/token";
import type { Services } from "../services";
import type { Actor } from "../types";
import { videoView } from "../videos/view";
import { type CardContext, cardChannel, cardColumns, cardImageUrls, toCards, visibleTo } from "./cards";
import { viewerMaturity } from "./maturity";

/**
 * When a video entered the lists: `published_at` (first time ready), or for a video already
 * playable while still processing (no `published_at` yet) its creation time. Whole milliseconds,
 * so cursors compare exactly (column defaults may store a REAL).
 */
export const listedAt = sql<number>`CAST(COALESCE(${videos.publishedAt}, ${videos.createdAt}) AS INTEGER)`;

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
  const after = query.cursor ? decodeCursor(query.cursor, scope.kind, TimeKey) : null;
  const select = s.db.select({ ...cardColumns, listedAt: listedAt.as("listed_at") });
  const from =
    scope.kind === "tag"
      ? select.from(videoTags).innerJoin(videos, eq(videos.id, videoTags.videoId))
      : select.from(videos);
  const rows = await from
    .innerJoin(channels, cardChannel)
    .where(
      and(
        scope.kind === "tag" ? eq(videoTags.tag, scope.tag) : eq(videos.channelId, scope.channelId),
        visibleTo(viewerMaturity(actor)),
        after ? newestAfter(listedAt, videos.id, after) : undefined,
      ),
    )
    .orderBy(desc(listedAt), desc(videos.id))
    .limit(query.limit + 1);
  const { items, nextCursor } = keysetPage(
    rows,
    query.limit,
    scope.kind,
    (last): TimeKey => ({ t: last.listedAt, i: last.id }),
  );
  return { items: await toCards(items, { signingKey: s.config.mediaSigningKey, ...ctx }), nextCursor };
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

/**
 * Listed videos of a channel (by id or @handle), newest first: 404 if there is no such channel, and
 * for a held or suspended channel (or a suspended account's) exactly as its page is (getChannelFor).
 */
export async function listChannelVideos(
  s: Services,
  actor: Actor | null,
  channelRef: string,
  query: ListQuery,
  ctx: CardContext,
) {
  const channel = await getChannelFor(s, actor, channelRef);
  return listNewest(s, actor, { kind: "channel", channelId: channel.id }, query, ctx);
}

const hiddenByModeration = (v: { moderationState: string; channelHidden: boolean }) =>
  v.moderationState !== "visible" || v.channelHidden;

/**
 * The poster of a video moderation hides, for its owner's studio. Card grants no longer open its
 * images (playback/media.ts refuses them while it is hidden), so it is signed as the owner's own
 * playback grant (the lowest rung, which the owner may play anyway: videos/access.ts canReadHidden),
 * only as long as a playback link lives, and with the current generation like every other link.
 */
async function ownerPosterUrl(s: Services, ctx: Required<CardContext>, videoId: string, generation: number) {
  const expires = Math.floor(ctx.nowMs / 1000) + s.config.playback.tokenTtlSeconds;
  const token = await issuePlaybackToken(s.config.mediaSigningKey, {
    videoId,
    expires,
    maxHeight: 1,
    generation,
  });
  return `${ctx.origin}/media/${videoId}/${token}/thumbs/poster.jpg`;
}

/**
 * The studio: every video of the caller's account whatever its status (deleted ones excepted),
 * newest created first, as full video objects. Kids profiles manage nothing (403).
 */
export async function listMyVideos(s: Services, actor: Actor, query: ListQuery, ctx: Required<CardContext>) {
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
        // Ad creatives belong to the advertiser's campaign pages, not among their videos.
        eq(videos.kind, "content"),
        after ? newestAfter(createdAt, videos.id, after) : undefined,
      ),
    )
    .orderBy(desc(createdAt), desc(videos.id))
    .limit(query.limit + 1)
    .all();
  const { items, nextCursor } = keysetPage(
    rows,
    query.limit,
    "studio",
    (last): TimeKey => ({ t: last.createdMs, i: last.video.id }),
  );
  const generations = await currentGenerations(
    ctx.kv,
    items.map((r) => r.video.id),
  );
  const withPosters = items.map(async ({ video }) => {
    const generation = generations.get(video.id) ?? 0;
    // The poster is made with the first rungs: a video that cannot play yet has none to show.
    const hasPoster = video.playable || video.status === "ready";
    let posterUrl: string | null = null;
    if (hasPoster && hiddenByModeration(video))
      posterUrl = await ownerPosterUrl(s, ctx, video.id, generation);
    else if (hasPoster) {
      const urls = await cardImageUrls(
        s.config.mediaSigningKey,
        ctx.origin,
        video.id,
        ctx.nowMs,
        generation,
        false,
      );
      posterUrl = urls.posterUrl;
    }
    return { ...videoView(video), posterUrl };
  });
  return { items: await Promise.all(withPosters), nextCursor };
}
