/**
 * What a report can name (docs/moderation.md, "Reports"): a video, a comment or a channel. This file
 * resolves a target to its owner and a summary, and builds the statements that hide, un-hide and
 * remove it. The builders are synchronous and read nothing first: every statement carries its own
 * guard (the state it moves from), so they go into the batch of the action that decides it (a report
 * crossing the auto-hide threshold, a moderator's decision) and a repeated or concurrent batch
 * changes nothing twice.
 */
import type { ReportTargetType } from "@marquee/shared";
import { and, eq, exists, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { accounts, channels, comments, videos } from "../db/schema";
import { commentIn } from "../social/comments/counts";
import { channelHiddenOf, syncChannelHidden } from "./channel-hidden";

export type Statement = BatchItem<"sqlite">;

/** A resolved target: who owns it and what a moderator (or the reporter's list) shows of it. */
export interface TargetInfo {
  targetType: ReportTargetType;
  targetId: string;
  /** The account whose content it is ("" for a comment whose author's account was erased). */
  ownerAccountId: string;
  /** The channel a strike would land on: the video's, the channel itself, or the comment author's (if any). */
  channelId: string | null;
  /** The video a comment is on, or the video itself; null for a channel. */
  videoId: string | null;
  /** The video's title, the channel's name, or the comment's first 140 characters. */
  title: string;
  /** The video's length (a report's `atSeconds` must fall within it); null for other targets or unknown. */
  durationMs: number | null;
  /** The target's moderation state as stored: video/channel `moderation_state`, comment `status`. */
  state: string;
  /** Hidden from everyone but its owner and staff: held, removed, or (a channel) its account suspended. */
  hidden: boolean;
}

const EXCERPT = 140;
const excerpt = (text: string) => {
  const chars = Array.from(text);
  return chars.length > EXCERPT ? `${chars.slice(0, EXCERPT - 1).join("")}…` : text;
};

/** The target, or null when there is none (a deleted video or comment is none). */
export async function resolveTarget(
  db: Db,
  targetType: ReportTargetType,
  targetId: string,
): Promise<TargetInfo | null> {
  const base = { targetType, targetId };
  if (targetType === "video") {
    const v = await db.select().from(videos).where(eq(videos.id, targetId)).get();
    // Ad creatives are the ads domain's (docs/ads.md, reviewed there), never content to report.
    if (!v || v.status === "deleted" || v.deletedAt !== null || v.kind !== "content") return null;
    return {
      ...base,
      ownerAccountId: v.accountId,
      channelId: v.channelId,
      videoId: v.id,
      title: v.title,
      durationMs: v.durationMs,
      state: v.moderationState,
      hidden: v.moderationState !== "visible" || v.channelHidden,
    };
  }
  if (targetType === "comment") {
    const row = await db
      .select({ c: comments, channelId: channels.id })
      .from(comments)
      .leftJoin(channels, eq(channels.accountId, comments.accountId))
      .where(eq(comments.id, targetId))
      .get();
    if (!row || row.c.status === "deleted") return null;
    return {
      ...base,
      ownerAccountId: row.c.accountId ?? "",
      channelId: row.channelId,
      videoId: row.c.videoId,
      title: excerpt(row.c.body),
      durationMs: null,
      state: row.c.status,
      hidden: row.c.status !== "published",
    };
  }
  const ch = await db
    .select({ ch: channels, suspendedAt: accounts.suspendedAt })
    .from(channels)
    .innerJoin(accounts, eq(accounts.id, channels.accountId))
    .where(eq(channels.id, targetId))
    .get();
  if (!ch) return null;
  return {
    ...base,
    ownerAccountId: ch.ch.accountId,
    channelId: ch.ch.id,
    videoId: null,
    title: ch.ch.name,
    durationMs: null,
    state: ch.ch.moderationState,
    hidden: channelHiddenOf({ moderationState: ch.ch.moderationState, suspendedAt: ch.suspendedAt }),
  };
}

/** Another look at the comments table, for the count statements' subqueries. */
const self = alias(comments, "target_comment");

/** The comment's video (a one-row subquery), so a builder need not read the comment first. */
const videoOfComment = (db: Db, commentId: string) =>
  db.select({ id: self.videoId }).from(self).where(eq(self.id, commentId));
const parentOfComment = (db: Db, commentId: string) =>
  db.select({ id: self.parentId }).from(self).where(eq(self.id, commentId));

/**
 * `videos.comment_count` and the parent's `reply_count` moved by `by` while `guard` holds (checked
 * inside the statements, as social/comments/counts.ts `moveCounts` does, but with the video and parent
 * found by subquery). Must run before the status change the guard looks at.
 */
function moveCommentCounts(db: Db, commentId: string, by: 1 | -1, guard: SQL): Statement[] {
  return [
    db
      .update(videos)
      .set({ commentCount: sql`${videos.commentCount} + ${by}` })
      .where(and(inArray(videos.id, videoOfComment(db, commentId)), guard)),
    db
      .update(comments)
      .set({ replyCount: sql`${comments.replyCount} + ${by}` })
      .where(and(inArray(comments.id, parentOfComment(db, commentId)), guard)),
  ];
}

/** What auto-hide sets on a comment, so un-hiding releases only the holds reports made. */
export const REPORTS_HOLD = "reports";

const heldByReports = (db: Db, commentId: string) =>
  exists(
    db
      .select({ id: self.id })
      .from(self)
      .where(and(eq(self.id, commentId), eq(self.status, "held"), eq(self.heldReason, REPORTS_HOLD))),
  );

/** A held or removed comment is no one's pinned comment: others cannot see it, so its pin would show a gap. */
const unpin = (db: Db, commentId: string) =>
  db.update(videos).set({ pinnedCommentId: null }).where(eq(videos.pinnedCommentId, commentId));

/**
 * Hides a target pending review: a visible video becomes `held`; a published comment `held` with
 * reason "reports" (its counts drop as if unpublished); an active channel `held`, its videos
 * channel-hidden. A target in any other state is left as it is (already held, or removed).
 * `when` (optional) guards every change: auto-hide passes "the case crossed the threshold".
 */
export function holdTarget(db: Db, targetType: ReportTargetType, targetId: string, when?: SQL): Statement[] {
  const at = Date.now();
  if (targetType === "video") {
    return [
      db
        .update(videos)
        .set({ moderationState: "held", updatedAt: at })
        .where(and(eq(videos.id, targetId), eq(videos.moderationState, "visible"), when)),
    ];
  }
  if (targetType === "comment") {
    const guard = and(commentIn(db, targetId, "published"), when) as SQL;
    return [
      ...moveCommentCounts(db, targetId, -1, guard),
      db
        .update(videos)
        .set({ pinnedCommentId: null })
        .where(and(eq(videos.pinnedCommentId, targetId), guard)),
      db
        .update(comments)
        .set({ status: "held", heldReason: REPORTS_HOLD, updatedAt: at })
        .where(and(eq(comments.id, targetId), eq(comments.status, "published"), when)),
    ];
  }
  return [
    db
      .update(channels)
      .set({ moderationState: "held", updatedAt: at })
      .where(and(eq(channels.id, targetId), eq(channels.moderationState, "active"), when)),
    // A recomputation from the channel row: harmless when the hold above changed nothing.
    syncChannelHidden(db, { channelId: targetId }),
  ];
}

/**
 * Undoes `holdTarget` (a dismissed case): a held video is visible again, a comment held by reports is
 * published again (counts restored), a held channel active. Holds of another origin (a watched word,
 * a video's hold mode, a suspension) and removals are left alone.
 */
export function releaseTarget(db: Db, targetType: ReportTargetType, targetId: string): Statement[] {
  const at = Date.now();
  if (targetType === "video") {
    return [
      db
        .update(videos)
        .set({ moderationState: "visible", updatedAt: at })
        .where(and(eq(videos.id, targetId), eq(videos.moderationState, "held"))),
    ];
  }
  if (targetType === "comment") {
    return [
      ...moveCommentCounts(db, targetId, 1, heldByReports(db, targetId)),
      db
        .update(comments)
        .set({ status: "published", heldReason: null, updatedAt: at })
        .where(
          and(eq(comments.id, targetId), eq(comments.status, "held"), eq(comments.heldReason, REPORTS_HOLD)),
        ),
    ];
  }
  return [
    db
      .update(channels)
      .set({ moderationState: "active", updatedAt: at })
      .where(and(eq(channels.id, targetId), eq(channels.moderationState, "held"))),
    syncChannelHidden(db, { channelId: targetId }),
  ];
}

/**
 * Takes a target down: a video `removed` (from visible or held); a comment `removed` (its text kept
 * for review and appeals: comment views blank a removed comment's body; counts drop if it was
 * published); a channel `suspended`, its videos channel-hidden.
 */
export function removeTarget(db: Db, targetType: ReportTargetType, targetId: string): Statement[] {
  const at = Date.now();
  if (targetType === "video") {
    return [
      db
        .update(videos)
        .set({ moderationState: "removed", updatedAt: at })
        .where(and(eq(videos.id, targetId), ne(videos.moderationState, "removed"))),
    ];
  }
  if (targetType === "comment") {
    return [
      ...moveCommentCounts(db, targetId, -1, commentIn(db, targetId, "published")),
      unpin(db, targetId),
      db
        .update(comments)
        .set({ status: "removed", heldReason: null, updatedAt: at })
        .where(and(eq(comments.id, targetId), inArray(comments.status, ["published", "held"]))),
    ];
  }
  return [
    db
      .update(channels)
      .set({ moderationState: "suspended", updatedAt: at })
      .where(and(eq(channels.id, targetId), ne(channels.moderationState, "suspended"))),
    syncChannelHidden(db, { channelId: targetId }),
  ];
}

/**
 * A new video's `channel_hidden`, computed inside its INSERT from its channel and account as they are
 * at that moment (so a channel held between the read and the insert still counts). For
 * videos/service.ts `createVideo`: `channelHidden: channelHiddenAtInsert(channel.id)`.
 * Drizzle cannot express a scalar subquery as an inserted value, hence `sql`.
 */
export const channelHiddenAtInsert = (channelId: string): SQL =>
  sql`coalesce((SELECT c.moderation_state != 'active' OR a.suspended_at IS NOT NULL
    FROM channels c JOIN accounts a ON a.id = c.account_id WHERE c.id = ${channelId}), 0)`;
