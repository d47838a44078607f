/**
 * The active profile's watch history: entries most recent first, one entry (to resume), removing
 * entries, clearing, pausing. Beacons that build it are in beacons.ts.
 */
import type { Maturity } from "@marquee/shared";
import { and, desc, eq, isNull, ne, or, type SQL } from "drizzle-orm";
import { requireProfile } from "../auth/permissions";
import { type CardContext, cardColumns, selectCards, toCard, watchable } from "../catalog/cards";
import { maturityIn, viewerMaturity } from "../catalog/maturity";
import { profileAffinities, profiles, videos, watchHistory } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";

/** Where the profile stands in a card's video. */
const entryColumns = {
  positionMs: watchHistory.positionMs,
  watchedMs: watchHistory.watchedMs,
  completed: watchHistory.completed,
  lastWatchedAt: watchHistory.lastWatchedAt,
};

/** A card plus where the profile stands in it (the feed's "continue watching" reads it too). */
export const historyColumns = { ...cardColumns, ...entryColumns };

/**
 * Entries show videos the profile can still watch: not deleted, playable, within its maturity
 * level, and not private unless its own account's. Unlisted videos stay: they were watched
 * through a link, and the watch page resumes them. A video held or removed by moderation, or whose
 * channel is hidden (docs/moderation.md, "Visibility"), shows only to its own account.
 */
export function stillWatchable(level: Maturity, accountId: string): SQL {
  return and(
    ne(videos.status, "deleted"),
    isNull(videos.deletedAt),
    watchable(),
    or(ne(videos.visibility, "private"), eq(videos.accountId, accountId)),
    or(
      and(eq(videos.moderationState, "visible"), eq(videos.channelHidden, false)),
      eq(videos.accountId, accountId),
    ),
    maturityIn(videos.maturity, level),
  ) as SQL;
}

function readEntries(s: Services, actor: Actor, profileId: string, where: SQL | undefined) {
  return selectCards(s.db, entryColumns)
    .innerJoin(watchHistory, eq(watchHistory.videoId, videos.id))
    .where(
      and(
        eq(watchHistory.profileId, profileId),
        stillWatchable(viewerMaturity(actor), actor.accountId),
        where,
      ),
    );
}

type EntryRow = Awaited<ReturnType<typeof readEntries>>[number];

async function toEntry(s: Services, row: EntryRow, ctx: CardContext) {
  return {
    video: await toCard(row, { signingKey: s.config.mediaSigningKey, ...ctx }),
    positionMs: row.positionMs,
    watchedMs: row.watchedMs,
    completed: row.completed,
    lastWatchedAt: new Date(row.lastWatchedAt).toISOString(),
  };
}

export async function listHistory(s: Services, actor: Actor, query: ListQuery, ctx: CardContext) {
  const profileId = requireProfile(actor, "history.read");
  const after = query.cursor ? decodeCursor(query.cursor, "history", TimeKey) : null;
  const rows = await readEntries(
    s,
    actor,
    profileId,
    after ? newestAfter(watchHistory.lastWatchedAt, watchHistory.videoId, after) : undefined,
  )
    .orderBy(desc(watchHistory.lastWatchedAt), desc(watchHistory.videoId))
    .limit(query.limit + 1);
  const { items, nextCursor } = keysetPage(rows, query.limit, "history", (last) => ({
    t: last.lastWatchedAt,
    i: last.id,
  }));
  return { items: await Promise.all(items.map((r) => toEntry(s, r, ctx))), nextCursor };
}

export async function getHistoryEntry(s: Services, actor: Actor, videoId: string, ctx: CardContext) {
  const profileId = requireProfile(actor, "history.read");
  const row = await readEntries(s, actor, profileId, eq(watchHistory.videoId, videoId)).get();
  if (!row) throw new AppError("not_found", "This video is not in your history");
  return toEntry(s, row, ctx);
}

/**
 * Removes one entry. The taste it fed stays (affinities are sums, already decaying), but no
 * "because you watched" reason names the video any more. 404 when the profile's history holds no
 * such entry (already removed, or never watched): the answer is about the caller's own history
 * only, so it never tells whether someone else's video exists.
 */
export async function removeHistoryEntry(s: Services, actor: Actor, videoId: string): Promise<void> {
  const profileId = requireProfile(actor, "history.write");
  const [removed] = await s.db.batch([
    s.db
      .delete(watchHistory)
      .where(and(eq(watchHistory.profileId, profileId), eq(watchHistory.videoId, videoId)))
      .returning({ videoId: watchHistory.videoId }),
    s.db
      .update(profileAffinities)
      .set({ lastVideoId: null })
      .where(and(eq(profileAffinities.profileId, profileId), eq(profileAffinities.lastVideoId, videoId))),
  ]);
  if (removed.length === 0) throw new AppError("not_found", "No such history entry");
}

/** Clears the history and the taste learned from it (a fresh start, like a new profile's). */
export async function clearHistory(s: Services, actor: Actor): Promise<void> {
  const profileId = requireProfile(actor, "history.write");
  await s.db.batch([
    s.db.delete(watchHistory).where(eq(watchHistory.profileId, profileId)),
    s.db.delete(profileAffinities).where(eq(profileAffinities.profileId, profileId)),
  ]);
}

export async function getHistorySettings(s: Services, actor: Actor) {
  const profileId = requireProfile(actor, "history.read");
  const row = await s.db
    .select({ paused: profiles.historyPaused })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .get();
  if (!row) throw new AppError("forbidden", "Switch to a profile first");
  return { paused: row.paused };
}

export async function putHistorySettings(s: Services, actor: Actor, paused: boolean) {
  const profileId = requireProfile(actor, "history.write");
  const row = await s.db
    .update(profiles)
    .set({ historyPaused: paused, updatedAt: Date.now() })
    .where(eq(profiles.id, profileId))
    .returning({ paused: profiles.historyPaused })
    .get();
  if (!row) throw new AppError("forbidden", "Switch to a profile first");
  return { paused: row.paused };
}
