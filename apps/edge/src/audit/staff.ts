/**
 * Audit rows for actions that are staff actions only sometimes: the same route serves a video's
 * owner (not audited: their own content) and a moderator or admin acting on someone else's (audited).
 */
import { and, eq, inArray, type SQL } from "drizzle-orm";
import { comments, videos } from "../db/schema";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { VideoRow } from "../videos/view";
import { sealQuietly } from "./chain";
import { auditActorOf, auditInsertIf } from "./log";

/**
 * The audit row of a video deletion by staff who do not own it (none for the owner), to put in the
 * deletion's batch BEFORE its UPDATE; `live` is that UPDATE's WHERE, so a deletion that finds the
 * video already deleted records nothing.
 */
export function staffVideoDeletion(
  s: Pick<Services, "db" | "requestId">,
  actor: Actor,
  video: Pick<VideoRow, "id" | "accountId" | "channelId" | "title" | "status" | "visibility">,
  live: SQL | undefined,
): [] | [ReturnType<typeof auditInsertIf>] {
  if (video.accountId === actor.accountId) return [];
  return [
    auditInsertIf(
      s,
      auditActorOf(actor),
      {
        action: "moderation.video.delete",
        targetType: "video",
        targetId: video.id,
        before: {
          status: video.status,
          visibility: video.visibility,
          title: video.title,
          channelId: video.channelId,
          ownerAccountId: video.accountId,
        },
        after: { status: "deleted" },
      },
      s.db.select({ id: videos.id }).from(videos).where(live),
    ),
  ];
}

/** Seals after a staff deletion (a no-op for the owner's own); never fails the deletion. */
export async function sealStaffVideoDeletion(
  s: Pick<Services, "db" | "log">,
  actor: Actor,
  video: { accountId: string },
) {
  if (video.accountId !== actor.accountId) await sealQuietly(s, "moderation.video.delete");
}

/**
 * The audit row of a comment deletion by staff who neither wrote the comment nor own its video
 * (none otherwise), to put FIRST in the deletion's batch: it is written only if the comment is still
 * live (published or held) when the batch runs, so of two moderators deleting at once one is recorded.
 */
export function staffCommentDeletion(
  s: Pick<Services, "db" | "requestId">,
  actor: Actor,
  comment: { id: string; accountId: string | null; status: string; videoId: string },
  video: { id: string; accountId: string },
): [] | [ReturnType<typeof auditInsertIf>] {
  if (actor.accountId === comment.accountId || actor.accountId === video.accountId) return [];
  return [
    auditInsertIf(
      s,
      auditActorOf(actor),
      {
        action: "moderation.comment",
        targetType: "comment",
        targetId: comment.id,
        before: { status: comment.status, videoId: video.id, authorAccountId: comment.accountId },
        after: { status: "removed" },
      },
      s.db
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.id, comment.id), inArray(comments.status, ["published", "held"]))),
    ),
  ];
}

/** Seals after a staff comment deletion (a no-op otherwise); never fails the deletion. */
export async function sealStaffCommentDeletion(
  s: Pick<Services, "db" | "log">,
  actor: Actor,
  comment: { accountId: string | null },
  video: { accountId: string },
) {
  if (actor.accountId !== comment.accountId && actor.accountId !== video.accountId) {
    await sealQuietly(s, "moderation.comment");
  }
}
