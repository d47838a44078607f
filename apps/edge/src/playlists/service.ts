/**
 * Playlists and Watch later (docs/playlists.md). A playlist is its profile's: only that profile
 * changes it, and a private one is 404 to everyone else, other profiles of the same account
 * included (profiles are different people). Public and unlisted ones anyone may read; a channel's
 * page lists its account's public ones. Items show only videos the reader may watch (the history's
 * rule: not deleted, playable, within the reader's maturity, private or held ones only to their own
 * account), so `itemCount` (every row) can be more than a reader sees.
 */
import { and, asc, desc, eq, max, ne, or, type SQL } from "drizzle-orm";
import { requireProfile } from "../auth/permissions";
import { type CardContext, selectCards, toCards } from "../catalog/cards";
import { viewerMaturity } from "../catalog/maturity";
import { getChannelFor } from "../channels/service";
import { createDb } from "../db/client";
import { channels, type PlaylistVisibility, playlistItems, playlists, profiles, videos } from "../db/schema";
import type { EventHandlers } from "../events/handlers";
import { stillWatchable } from "../history/service";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import {
  decodeCursor,
  keysetPage,
  keysetWhere,
  type ListQuery,
  newestAfter,
  TimeKey,
} from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";

export const MAX_PLAYLISTS_PER_PROFILE = 200;
export const MAX_ITEMS_PER_PLAYLIST = 500;

type PlaylistRow = typeof playlists.$inferSelect;

const ownerOf = (actor: Actor) => requireProfile(actor, "playlist.manage");

type ChannelRef = { id: string; handle: string; name: string } | null;

/** The account's channel (a public playlist names it), or null. */
const channelOfAccount = async (s: Services, accountId: string): Promise<ChannelRef> =>
  (await s.db
    .select({ id: channels.id, handle: channels.handle, name: channels.name })
    .from(channels)
    .where(eq(channels.accountId, accountId))
    .get()) ?? null;

/** A list's rows share one account (the caller's, or the channel's): its channel is read once. */
function viewOf(row: PlaylistRow, actor: Actor | null, channel: ChannelRef) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    visibility: row.visibility,
    itemCount: row.itemCount,
    channel: row.visibility === "public" ? channel : null,
    mine: actor?.profileId === row.profileId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

const viewOne = async (s: Services, row: PlaylistRow, actor: Actor | null) =>
  viewOf(row, actor, await channelOfAccount(s, row.accountId));

/** The playlist as `actor` may see it: its own profile's always, others' only when not private. */
async function readable(s: Services, actor: Actor | null, playlistId: string): Promise<PlaylistRow> {
  const found = await s.db
    .select({ row: playlists, ownerMaturity: profiles.maturity })
    .from(playlists)
    .innerJoin(profiles, eq(profiles.id, playlists.profileId))
    .where(eq(playlists.id, playlistId))
    .get();
  const row = found?.row;
  // A profile made kids after it shared a playlist shares it no more (its playlists stay private).
  const shared = row?.visibility !== "private" && found?.ownerMaturity !== "kids";
  if (!row || (!shared && actor?.profileId !== row.profileId)) {
    throw new AppError("not_found", "No such playlist");
  }
  return row;
}

/** The active profile's own playlist (404 for anyone else's, whatever its visibility). */
async function owned(s: Services, actor: Actor, playlistId: string): Promise<PlaylistRow> {
  const profileId = ownerOf(actor);
  const row = await s.db
    .select()
    .from(playlists)
    .where(and(eq(playlists.id, playlistId), eq(playlists.profileId, profileId)))
    .get();
  if (!row) throw new AppError("not_found", "No such playlist");
  return row;
}

export async function createPlaylist(
  s: Services,
  actor: Actor,
  input: { title: string; description?: string; visibility: PlaylistVisibility },
) {
  const profileId = ownerOf(actor);
  const mine = await s.db
    .select({ id: playlists.id })
    .from(playlists)
    .where(eq(playlists.profileId, profileId))
    .limit(MAX_PLAYLISTS_PER_PROFILE + 1);
  if (mine.length >= MAX_PLAYLISTS_PER_PROFILE) {
    throw new AppError("limit_reached", `A profile has at most ${MAX_PLAYLISTS_PER_PROFILE} playlists`);
  }
  // A kids profile's playlists stay private: sharing is the grown-ups' call.
  const visibility = actor.profileMaturity === "kids" ? "private" : input.visibility;
  const row = await s.db
    .insert(playlists)
    .values({
      id: newId("pl"),
      profileId,
      accountId: actor.accountId,
      title: input.title,
      description: input.description ?? "",
      visibility,
    })
    .returning()
    .get();
  return viewOne(s, row, actor);
}

/** Watch later: made on first use, one per profile (the partial unique index settles a race). */
export async function watchLater(s: Services, actor: Actor) {
  const profileId = ownerOf(actor);
  const existing = await s.db
    .select()
    .from(playlists)
    .where(and(eq(playlists.profileId, profileId), eq(playlists.kind, "watch_later")))
    .get();
  if (existing) return viewOne(s, existing, actor);
  await s.db
    .insert(playlists)
    .values({
      id: newId("pl"),
      profileId,
      accountId: actor.accountId,
      kind: "watch_later",
      title: "Watch later",
    })
    .onConflictDoNothing();
  const row = await s.db
    .select()
    .from(playlists)
    .where(and(eq(playlists.profileId, profileId), eq(playlists.kind, "watch_later")))
    .get();
  if (!row) throw new AppError("not_found", "No such playlist");
  return viewOne(s, row, actor);
}

export async function listMine(s: Services, actor: Actor, query: ListQuery) {
  const profileId = ownerOf(actor);
  const after = query.cursor ? decodeCursor(query.cursor, "playlists", TimeKey) : null;
  const rows = await s.db
    .select()
    .from(playlists)
    .where(
      and(
        eq(playlists.profileId, profileId),
        after ? newestAfter(playlists.createdAt, playlists.id, after) : undefined,
      ),
    )
    .orderBy(desc(playlists.createdAt), desc(playlists.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "playlists",
    (last): TimeKey => ({ t: last.createdAt, i: last.id }),
  );
  const channel = await channelOfAccount(s, actor.accountId);
  return { items: page.items.map((r) => viewOf(r, actor, channel)), nextCursor: page.nextCursor };
}

/** A channel's public playlists: its account's (any of its profiles'), newest first. */
export async function listChannelPlaylists(
  s: Services,
  actor: Actor | null,
  channelRef: string,
  query: ListQuery,
) {
  const channel = await getChannelFor(s, actor, channelRef);
  const after = query.cursor ? decodeCursor(query.cursor, "channel-playlists", TimeKey) : null;
  const rows = await s.db
    .select({ row: playlists })
    .from(playlists)
    .innerJoin(profiles, eq(profiles.id, playlists.profileId))
    .where(
      and(
        eq(playlists.accountId, channel.ownerAccountId),
        // A profile made kids after sharing shares no more (as `readable`).
        ne(profiles.maturity, "kids"),
        eq(playlists.visibility, "public"),
        after ? newestAfter(playlists.createdAt, playlists.id, after) : undefined,
      ),
    )
    .orderBy(desc(playlists.createdAt), desc(playlists.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows.map((r) => r.row),
    query.limit,
    "channel-playlists",
    (last): TimeKey => ({ t: last.createdAt, i: last.id }),
  );
  const ref = { id: channel.id, handle: channel.handle, name: channel.name };
  return { items: page.items.map((r) => viewOf(r, actor, ref)), nextCursor: page.nextCursor };
}

export async function getPlaylist(s: Services, actor: Actor | null, playlistId: string) {
  return viewOne(s, await readable(s, actor, playlistId), actor);
}

export async function updatePlaylist(
  s: Services,
  actor: Actor,
  playlistId: string,
  patch: { title?: string; description?: string; visibility?: PlaylistVisibility },
) {
  const row = await owned(s, actor, playlistId);
  if (row.kind === "watch_later") throw new AppError("conflict", "Watch later cannot be renamed or shared");
  if (patch.visibility && patch.visibility !== "private" && actor.profileMaturity === "kids") {
    throw new AppError("forbidden", "A kids profile's playlists stay private");
  }
  const updated = await s.db
    .update(playlists)
    .set({ ...patch, updatedAt: Date.now() })
    .where(eq(playlists.id, row.id))
    .returning()
    .get();
  if (!updated) throw new AppError("not_found", "No such playlist");
  return viewOne(s, updated, actor);
}

export async function deletePlaylist(s: Services, actor: Actor, playlistId: string): Promise<void> {
  const row = await owned(s, actor, playlistId);
  if (row.kind === "watch_later")
    throw new AppError("conflict", "Watch later cannot be deleted; empty it instead");
  await s.db.delete(playlists).where(eq(playlists.id, row.id));
}

/** What a reader may watch of a playlist's videos (stillWatchable, for signed-out readers as adults). */
const watchableFor = (actor: Actor | null): SQL =>
  stillWatchable(viewerMaturity(actor), actor?.accountId ?? "");

/** Items in order, keyset-paginated on (position, video id). */
export async function listItems(
  s: Services,
  actor: Actor | null,
  playlistId: string,
  query: ListQuery,
  ctx: CardContext,
) {
  const playlist = await readable(s, actor, playlistId);
  const after = query.cursor ? decodeCursor(query.cursor, "playlist-items", TimeKey) : null;
  const rows = await selectCards(s.db, { position: playlistItems.position, addedAt: playlistItems.addedAt })
    .innerJoin(playlistItems, eq(playlistItems.videoId, videos.id))
    .where(
      and(
        eq(playlistItems.playlistId, playlist.id),
        watchableFor(actor),
        // Another account's unlisted video is shared by link, not by someone's playlist: only the
        // playlist's own profile sees it there.
        actor?.profileId === playlist.profileId
          ? undefined
          : or(ne(videos.visibility, "unlisted"), eq(videos.accountId, playlist.accountId)),
        after
          ? keysetWhere([
              { column: playlistItems.position, value: after.t, order: "asc" },
              { column: playlistItems.videoId, value: after.i, order: "asc" },
            ])
          : undefined,
      ),
    )
    .orderBy(asc(playlistItems.position), asc(playlistItems.videoId))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "playlist-items",
    (last): TimeKey => ({ t: last.position, i: last.id }),
  );
  const cards = await toCards(page.items, { signingKey: s.config.mediaSigningKey, ...ctx });
  return {
    items: cards.map((video, n) => ({
      position: page.items[n]?.position ?? n,
      addedAt: new Date(page.items[n]?.addedAt ?? 0).toISOString(),
      video,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Puts a video at the end (idempotent: a video already there stays where it is). */
export async function addItem(s: Services, actor: Actor, playlistId: string, videoId: string) {
  const playlist = await owned(s, actor, playlistId);
  // Only a video the profile could watch: ids of private or hidden videos cannot be probed here.
  const video = await s.db
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.id, videoId), watchableFor(actor)))
    .get();
  if (!video) throw new AppError("not_found", "No such video");
  const existing = await s.db
    .select({ position: playlistItems.position })
    .from(playlistItems)
    .where(and(eq(playlistItems.playlistId, playlist.id), eq(playlistItems.videoId, videoId)))
    .get();
  if (existing) return { videoId, position: existing.position, added: false };
  if (playlist.itemCount >= MAX_ITEMS_PER_PLAYLIST) {
    throw new AppError("limit_reached", `A playlist holds at most ${MAX_ITEMS_PER_PLAYLIST} videos`);
  }
  const last = await s.db
    .select({ position: max(playlistItems.position) })
    .from(playlistItems)
    .where(eq(playlistItems.playlistId, playlist.id))
    .get();
  const position = (last?.position ?? -1) + 1;
  // Two adds at once may take the same position: the order then falls back to the video id, and
  // the next move renumbers densely.
  await s.db.batch([
    s.db
      .insert(playlistItems)
      .values({ playlistId: playlist.id, videoId, position, addedAt: Date.now() })
      .onConflictDoNothing(),
    s.db.update(playlists).set({ updatedAt: Date.now() }).where(eq(playlists.id, playlist.id)),
  ]);
  return { videoId, position, added: true };
}

export async function removeItem(
  s: Services,
  actor: Actor,
  playlistId: string,
  videoId: string,
): Promise<void> {
  const playlist = await owned(s, actor, playlistId);
  const [removed] = await s.db.batch([
    s.db
      .delete(playlistItems)
      .where(and(eq(playlistItems.playlistId, playlist.id), eq(playlistItems.videoId, videoId)))
      .returning({ videoId: playlistItems.videoId }),
    s.db.update(playlists).set({ updatedAt: Date.now() }).where(eq(playlists.id, playlist.id)),
  ]);
  if (removed.length === 0) throw new AppError("not_found", "That video is not in this playlist");
}

/** Moves a video to `position` (0-based; past the end means last) and renumbers the list densely. */
export async function moveItem(
  s: Services,
  actor: Actor,
  playlistId: string,
  videoId: string,
  position: number,
) {
  const playlist = await owned(s, actor, playlistId);
  const rows = await s.db
    .select({ videoId: playlistItems.videoId, position: playlistItems.position })
    .from(playlistItems)
    .where(eq(playlistItems.playlistId, playlist.id))
    .orderBy(asc(playlistItems.position), asc(playlistItems.videoId));
  const positions = new Map(rows.map((r) => [r.videoId, r.position]));
  const order = rows.map((r) => r.videoId);
  const from = order.indexOf(videoId);
  if (from < 0) throw new AppError("not_found", "That video is not in this playlist");
  order.splice(from, 1);
  const to = Math.min(position, order.length);
  order.splice(to, 0, videoId);
  // Only rows whose position changes are written: a move writes the span between its two places.
  const writes = order.flatMap((id, n) =>
    positions.get(id) === n
      ? []
      : [
          s.db
            .update(playlistItems)
            .set({ position: n })
            .where(and(eq(playlistItems.playlistId, playlist.id), eq(playlistItems.videoId, id))),
        ],
  );
  await s.db.batch([
    s.db.update(playlists).set({ updatedAt: Date.now() }).where(eq(playlists.id, playlist.id)),
    ...writes,
  ]);
  return { videoId, position: to };
}

/**
 * What the playlists domain does with queue events (registered in events/consumer.ts): a deleted
 * video leaves every playlist (its row stays in `videos`, marked, so no cascade does it; the count
 * triggers fire). Idempotent.
 */
export const playlistsEventHandlers: EventHandlers = {
  "video.deleted": [
    async (event, env) =>
      void (await createDb(env.DB)
        .delete(playlistItems)
        .where(eq(playlistItems.videoId, event.payload.videoId))),
  ],
};
