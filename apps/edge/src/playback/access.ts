import type { Entitlements, ViewerEntitlements } from "../billing/entitlements";
import type { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Actor } from "../types";
import { assertMaturityAllows, canReadHidden, isPubliclyVisible } from "../videos/access";

type VideoRow = typeof videos.$inferSelect;

/**
 * Who may watch a video. Owners and admins always (to check their upload); everyone else only
 * once it is playable, and then by visibility: `private` is the owner's alone (others get 404, not
 * 403, so private ids can't be probed), `unlisted` anyone with the link, `premium` plans that
 * include it. A video still processing but already playable is watchable (progressive publish).
 * A profile whose maturity level is below the video's rating gets 404 whoever owns it.
 */
export function assertCanWatch(
  actor: Actor | null,
  video: VideoRow,
  // premiumPlan (entitlementsFor has it) names the plan to upgrade to; a caller only asking yes/no
  // (history/beacons.ts) may pass plain entitlements.
  entitlements:
    | (Pick<Entitlements, "premiumContent"> & Partial<Pick<ViewerEntitlements, "premiumPlan">>)
    | null,
): void {
  const hidden = new AppError("not_found", "No such video");
  if (video.status === "deleted") throw hidden;
  // Below the video's rating it does not exist for this profile, owner's account or not.
  assertMaturityAllows(actor, video);
  if (actor && canReadHidden(actor, video)) return;
  if (!isPubliclyVisible(video)) throw hidden;
  if (video.visibility === "premium" && !entitlements?.premiumContent) {
    // The cheapest plan that includes premium videos (entitlementsFor read it with the plans).
    const requiredPlan = entitlements?.premiumPlan ?? null;
    throw new AppError("plan_required", "This video is for Premium members. Upgrade your plan to watch it.", {
      ...(requiredPlan ? { extensions: { requiredPlan } } : {}),
    });
  }
}

/** The tallest rendition height a video has (its ladder so far), for the quality menu's upgrade offer. */
export function sourceHeightOf(video: VideoRow): number | null {
  const heights = video.renditions.map((r) => r.height);
  return heights.length > 0 ? Math.max(...heights) : video.height;
}
