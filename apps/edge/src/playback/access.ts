import { can } from "../auth/permissions";
import type { Config } from "../config";
import type { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Actor } from "../types";
import { assertMaturityAllows, isPubliclyVisible } from "../videos/access";

type VideoRow = typeof videos.$inferSelect;

/**
 * Who may watch a video. Owners and admins always (to check their upload); everyone else only
 * once it is playable, and then by visibility: `private` is the owner's alone (others get 404, not
 * 403, so private ids can't be probed), `unlisted` anyone with the link, `premium` plans that
 * include it. A video still processing but already playable is watchable (progressive publish).
 * A profile whose maturity level is below the video's rating gets 404 whoever owns it.
 */
export function assertCanWatch(actor: Actor | null, video: VideoRow, config: Config): void {
  const hidden = new AppError("not_found", "No such video");
  if (video.status === "deleted") throw hidden;
  // Below the video's rating it does not exist for this profile, owner's account or not.
  assertMaturityAllows(actor, video);
  if (actor && can(actor, "video.manage", { ownerAccountId: video.accountId })) return;
  if (!isPubliclyVisible(video)) throw hidden;
  if (video.visibility === "premium" && !(actor && config.playback.premiumPlans.includes(actor.plan))) {
    throw new AppError("forbidden", "This video is for premium members. Upgrade your plan to watch it.");
  }
}

/** The tallest rendition a viewer's plan allows. */
export function planMaxHeight(actor: Actor | null, config: Config): number {
  const heights = config.playback.planMaxHeights;
  return heights[actor?.plan ?? "free"] ?? heights.free ?? 1080;
}
