/**
 * `videos.channel_hidden` is denormalised from the channel's moderation state and its account's
 * suspension, so every listing filters on the video row alone (catalog/cards.ts `listed`). Every
 * write that changes either puts this statement in the same batch.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { videos } from "../db/schema";

/**
 * Recomputes `channel_hidden` on the videos of one channel, or of every channel of an account.
 * Drizzle cannot express the correlated subquery in SET, hence `sql`.
 */
export function syncChannelHidden(db: Db, scope: { channelId: string } | { accountId: string }) {
  return db
    .update(videos)
    .set({
      channelHidden: sql`coalesce((SELECT c.moderation_state != 'active' OR a.suspended_at IS NOT NULL
        FROM channels c JOIN accounts a ON a.id = c.account_id WHERE c.id = ${videos.channelId}), 0)`,
    })
    .where(
      "channelId" in scope ? eq(videos.channelId, scope.channelId) : eq(videos.accountId, scope.accountId),
    );
}

/** Whether a new video of this channel starts hidden (its channel held or suspended, or its account suspended). */
export function channelHiddenOf(row: { moderationState: string; suspendedAt: number | null }): boolean {
  return row.moderationState !== "active" || row.suspendedAt !== null;
}
