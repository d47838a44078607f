/**
 * The moderators' review of campaigns (docs/ads.md): the queue of campaigns in review, oldest first,
 * each with a signed preview of its creative, and the decision. Approving makes the campaign active
 * (it serves from the next decision on: the object is configured before the answer); rejecting
 * sends it back to the advertiser with the note, who may change it and ask again.
 */
import { and, asc, eq } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { adCampaigns } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, keysetWhere, type ListQuery, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import {
  type CampaignParts,
  campaignView,
  creativeReady,
  partsOf,
  pushConfig,
  viewOf,
  writeIfUnchanged,
} from "./campaigns";
import type { ReviewDecision } from "./schemas";

/**
 * GET /moderation/ad-reviews: campaigns in review, the longest waiting first (by their last change:
 * an advertiser's edit while in review puts the campaign at the back, as a new submission).
 */
export async function listReviews(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "ads.review");
  const after = query.cursor ? decodeCursor(query.cursor, "ad-reviews", TimeKey) : null;
  const t = adCampaigns;
  const rows = await s.db
    .select()
    .from(t)
    .where(
      and(
        eq(t.status, "in_review"),
        after
          ? keysetWhere([
              { column: t.updatedAt, value: after.t, order: "asc" },
              { column: t.id, value: after.i, order: "asc" },
            ])
          : undefined,
      ),
    )
    .orderBy(asc(t.updatedAt), asc(t.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "ad-reviews",
    (last): TimeKey => ({ t: last.updatedAt, i: last.id }),
  );
  const parts = await partsOf(s, page.items);
  return {
    items: page.items.map((row, i) => {
      const p = parts[i] as CampaignParts;
      return { ...campaignView(row, p), advertiserAccountId: row.accountId, preview: p.urls };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * POST /moderation/ad-reviews/{id}: approve (→ active) or reject (→ rejected, with the note the
 * advertiser reads). 409 unless the campaign is in review, or when approving a creative that is not
 * ready (it was replaced while in review). The moderator may set or clear kidsSafe either way.
 */
export async function decideReview(s: Services, actor: Actor, campaignId: string, input: ReviewDecision) {
  authorize(actor, "ads.review");
  const before = await s.db.select().from(adCampaigns).where(eq(adCampaigns.id, campaignId)).get();
  if (!before) throw new AppError("not_found", "No such campaign");
  if (before.status !== "in_review") {
    throw new AppError("conflict", `The campaign is ${before.status}, not in review`);
  }
  if (input.decision === "reject" && !input.note) {
    throw new AppError("validation_failed", "Some fields are missing or invalid.", {
      errors: [{ path: "body.note", message: "Say why the campaign is rejected" }],
    });
  }
  if (input.decision === "approve" && !(await creativeReady(s, before))) {
    throw new AppError("conflict", "The creative is not ready yet; review it once it is");
  }
  // Guarded on `in_review`: an advertiser's edit or another moderator's decision in between is a 409.
  const row = await writeIfUnchanged(s, before, {
    status: input.decision === "approve" ? "active" : "rejected",
    reviewNote: input.note ?? null,
    reviewedBy: actor.accountId,
    reviewedAt: Date.now(),
    ...(input.kidsSafe !== undefined ? { kidsSafe: input.kidsSafe } : {}),
  });
  return viewOf(s, row, await pushConfig(s, row));
}
