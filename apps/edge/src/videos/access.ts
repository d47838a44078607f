/**
 * Who may see and change a video. Rules live in auth/permissions.ts; this file only decides which
 * answer a refusal gets: a video others cannot see (private, or not watchable yet) is 404 to
 * them, so ids can't be probed; one they can see but may not change is 403.
 */
import { eq } from "drizzle-orm";
import { authorize, can, type Permission } from "../auth/permissions";
import { canSee, viewerMaturity } from "../catalog/maturity";
import type { Db } from "../db/client";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Actor } from "../types";
import type { VideoRow } from "./view";

/**
 * A video anyone may read: not private, ready or already playable while processing, and not hidden by
 * moderation (held pending review, removed, or its channel held/suspended or account suspended).
 */
export function isPubliclyVisible(v: VideoRow): boolean {
  if (v.visibility === "private" || v.status === "deleted") return false;
  if (v.moderationState !== "visible" || v.channelHidden) return false;
  return v.status === "ready" || (v.status === "processing" && v.playable);
}

/**
 * Who reads a video others cannot: its owner (and admins, who manage any video), and moderators when
 * moderation hid it (held, removed, or its channel hidden), to review it (docs/moderation.md,
 * "Visibility"). A private or unfinished video stays its owner's: nobody could have reported it.
 */
export function canReadHidden(actor: Actor, v: VideoRow): boolean {
  if (can(actor, "video.manage", { ownerAccountId: v.accountId })) return true;
  const hiddenByModeration = v.moderationState !== "visible" || v.channelHidden;
  return hiddenByModeration && can(actor, "moderation.queue");
}

/** The video, or 404 when it does not exist or was deleted. */
export async function loadVideo(db: Db, videoId: string): Promise<VideoRow> {
  const row = await db.select().from(videos).where(eq(videos.id, videoId)).get();
  if (!row || row.status === "deleted") throw new AppError("not_found", "No such video");
  return row;
}

/**
 * Whether the caller's profile may see the video's rating. A profile below it gets 404 (the video's
 * existence is not revealed), even a kids profile of the owner's own account.
 */
export function assertMaturityAllows(actor: Actor | null, v: VideoRow): void {
  if (!canSee(viewerMaturity(actor), v.maturity)) throw new AppError("not_found", "No such video");
}

/** Reading a video (metadata, comments, reactions): the rating first, then visibility. */
export function assertCanRead(actor: Actor | null, v: VideoRow): void {
  assertMaturityAllows(actor, v);
  if (isPubliclyVisible(v)) return;
  if (actor && canReadHidden(actor, v)) return;
  throw new AppError("not_found", "No such video");
}

/**
 * `permission` on the video. Others' hidden videos answer 404; the owner's kids profile (same
 * account) and callers who can see the video but lack the permission get 403.
 */
export function authorizeVideo(actor: Actor, permission: Permission, v: VideoRow): void {
  authorize(actor, permission, { ownerAccountId: v.accountId }, { hideExistence: !isPubliclyVisible(v) });
}

/** Upload details are the owner's business: everyone else gets 404, whatever the visibility. */
export function authorizeUpload(actor: Actor, v: VideoRow): void {
  authorize(actor, "video.manage", { ownerAccountId: v.accountId }, { hideExistence: true });
}
