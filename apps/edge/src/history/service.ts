/**
 * The active profile's watch history: entries most recent first, one entry (to resume), removing
 * entries, clearing, pausing. Beacons that build it are in beacons.ts.
 */
import type { Maturity } from "@marquee/shared";
import { requireProfile } from "../auth/permissions";
/** Where cards are rendered for (poster links are absolute). */
import type { CardContext } from "../catalog/cards";
import { CARD_COLUMNS, type CardRow, toCard } from "../catalog/cards";
import { maturitySql, viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";

export type { CardContext };

/**
 * Entries show videos the profile can still watch: not deleted, playable, within its maturity
 * level, and not private unless its own account's (?2). Unlisted videos stay: they were watched
 * through a link, and the watch page resumes them.
 */
function watchableSql(level: Maturity): string {
  return `v.status != 'deleted' AND v.deleted_at IS NULL
    AND (v.status = 'ready' OR (v.status = 'processing' AND v.playable = 1))
    AND (v.visibility != 'private' OR v.account_id = ?2)
    AND ${maturitySql("v.maturity", level)}`;
}

interface EntryRow extends CardRow {
  position_ms: number;
  watched_ms: number;
  completed: number;
  last_watched_at: number;
}

const ENTRY_SQL = (level: Maturity, where: string) =>
  `SELECT ${CARD_COLUMNS}, h.position_ms, h.watched_ms, h.completed, h.last_watched_at
     FROM watch_history h
     JOIN videos v ON v.id = h.video_id
     JOIN channels c ON c.id = v.channel_id
    WHERE h.profile_id = ?1 AND ${watchableSql(level)} AND ${where}`;

async function toEntry(s: Services, row: EntryRow, ctx: CardContext) {
  return {
    video: await toCard(row, { signingKey: s.config.mediaSigningKey, ...ctx }),
    positionMs: row.position_ms,
    watchedMs: row.watched_ms,
    completed: row.completed === 1,
    lastWatchedAt: new Date(row.last_watched_at).toISOString(),
  };
}

export async function listHistory(s: Services, actor: Actor, query: ListQuery, ctx: CardContext) {
  const profileId = requireProfile(actor, "history.read");
  const after = query.cursor ? decodeCursor(query.cursor, "history", TimeKey) : null;
  const { results } = await s.env.DB.prepare(
    `${ENTRY_SQL(
      viewerMaturity(actor),
      "(?3 IS NULL OR h.last_watched_at < ?3 OR (h.last_watched_at = ?3 AND h.video_id < ?4))",
    )}
     ORDER BY h.last_watched_at DESC, h.video_id DESC LIMIT ?5`,
  )
    .bind(profileId, actor.accountId, after?.t ?? null, after?.i ?? "", query.limit + 1)
    .all<EntryRow>();
  const { items: page, nextCursor } = keysetPage(results, query.limit, "history", (last) => ({
    t: last.last_watched_at,
    i: last.id,
  }));
  return { items: await Promise.all(page.map((r) => toEntry(s, r, ctx))), nextCursor };
}

export async function getHistoryEntry(s: Services, actor: Actor, videoId: string, ctx: CardContext) {
  const profileId = requireProfile(actor, "history.read");
  const row = await s.env.DB.prepare(ENTRY_SQL(viewerMaturity(actor), "h.video_id = ?3"))
    .bind(profileId, actor.accountId, videoId)
    .first<EntryRow>();
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
  const db = s.env.DB;
  const [removed] = await db.batch([
    db
      .prepare("DELETE FROM watch_history WHERE profile_id = ?1 AND video_id = ?2 RETURNING video_id")
      .bind(profileId, videoId),
    db
      .prepare(
        "UPDATE profile_affinities SET last_video_id = NULL WHERE profile_id = ?1 AND last_video_id = ?2",
      )
      .bind(profileId, videoId),
  ]);
  if (!removed?.results.length) throw new AppError("not_found", "No such history entry");
}

/** Clears the history and the taste learned from it (a fresh start, like a new profile's). */
export async function clearHistory(s: Services, actor: Actor): Promise<void> {
  const profileId = requireProfile(actor, "history.write");
  const db = s.env.DB;
  await db.batch([
    db.prepare("DELETE FROM watch_history WHERE profile_id = ?1").bind(profileId),
    db.prepare("DELETE FROM profile_affinities WHERE profile_id = ?1").bind(profileId),
  ]);
}

export async function getHistorySettings(s: Services, actor: Actor) {
  const profileId = requireProfile(actor, "history.read");
  const row = await s.env.DB.prepare("SELECT history_paused FROM profiles WHERE id = ?1")
    .bind(profileId)
    .first<{ history_paused: number }>();
  if (!row) throw new AppError("forbidden", "Switch to a profile first");
  return { paused: row.history_paused === 1 };
}

export async function putHistorySettings(s: Services, actor: Actor, paused: boolean) {
  const profileId = requireProfile(actor, "history.write");
  const row = await s.env.DB.prepare(
    "UPDATE profiles SET history_paused = ?2, updated_at = ?3 WHERE id = ?1 RETURNING history_paused",
  )
    .bind(profileId, paused ? 1 : 0, Date.now())
    .first<{ history_paused: number }>();
  if (!row) throw new AppError("forbidden", "Switch to a profile first");
  return { paused: row.history_paused === 1 };
}
