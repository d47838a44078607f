/**
 * The moderators' review of campaigns (docs/ads.md): the queue of campaigns in review, oldest first,
 * each with a signed preview of its creative and the creative's title, and the decision. Approving
 * makes the campaign active (or paused, when its owner had paused it before the change that sent it
 * to review); it serves from the next decision on: the object is configured before the answer.
 * Rejecting sends it back to the advertiser with the note, who may change it and ask again.
 *
 * A decision names the version the moderator saw (`updatedAt`): any change since is a 409, so a
 * moderator never approves a click-through or creative they did not see. Nobody reviews their own
 * campaign (roles combine: an advertiser may also be a moderator; admins too).
 */
import { and, asc, eq } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsertIf } from "../audit/log";
import { authorize } from "../auth/permissions";
import { adCampaigns } from "../db/schema";
import { AppError, type FieldError } from "../lib/errors";
import { decodeCursor, keysetPage, keysetWhere, type ListQuery, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import {
  type CampaignParts,
  type CampaignRow,
  campaignView,
  creativeReady,
  nextVersion,
  partsOf,
  pushConfig,
  viewOf,
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
      return {
        ...campaignView(row, p),
        advertiserAccountId: row.accountId,
        // Viewers see it with the ad (the playback's `ad.title`, the stitched playlist's X-AD-TITLE).
        creativeTitle: p.creative?.title ?? null,
        preview: p.urls,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

const invalid = (errors: FieldError[]) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", { errors });

/**
 * Is `row` this very decision, already written (a retry after the push to the object failed)? The
 * same moderator decided it the same way after the version they saw, and nothing changed since (the
 * decision was the row's last write: reviewedAt = updatedAt). Then the retry pushes again instead of
 * answering 409, which would leave the object on the old status for good.
 */
function alreadyDecided(row: CampaignRow, actor: Actor, input: ReviewDecision, seen: number): boolean {
  const decidedStatus =
    input.decision === "approve"
      ? row.status === "active" || row.status === "paused"
      : row.status === "rejected";
  return (
    decidedStatus &&
    row.reviewedBy === actor.accountId &&
    row.reviewedAt !== null &&
    row.reviewedAt === row.updatedAt &&
    row.reviewedAt > seen &&
    (input.kidsSafe === undefined || input.kidsSafe === row.kidsSafe)
  );
}

/**
 * POST /moderation/ad-reviews/{id}: approve (→ active, or paused when the owner had paused it) or
 * reject (→ rejected, with the note the advertiser reads). 403 on one's own campaign. 409 unless the
 * campaign is in review at the version the moderator saw, or when approving a creative that is not
 * ready. Approving a campaign that claims kidsSafe needs the moderator's explicit call on it.
 */
export async function decideReview(s: Services, actor: Actor, campaignId: string, input: ReviewDecision) {
  authorize(actor, "ads.review");
  const before = await s.db.select().from(adCampaigns).where(eq(adCampaigns.id, campaignId)).get();
  if (!before) throw new AppError("not_found", "No such campaign");
  // Roles combine (advertiser + moderator, or an admin's own campaign): a second pair of eyes always.
  if (before.accountId === actor.accountId) {
    throw new AppError("forbidden", "Someone else must review your own campaign");
  }
  const errors: FieldError[] = [];
  if (input.decision === "reject" && !input.note) {
    errors.push({ path: "body.note", message: "Say why the campaign is rejected" });
  }
  // The advertiser's claim alone never reaches kids profiles: the moderator states it.
  if (input.decision === "approve" && before.kidsSafe && input.kidsSafe === undefined) {
    errors.push({ path: "body.kidsSafe", message: "The campaign claims kidsSafe: confirm or refuse it" });
  }
  if (errors.length > 0) throw invalid(errors);
  const seen = Date.parse(input.updatedAt);
  if (alreadyDecided(before, actor, input, seen)) return viewOf(s, before, await pushConfig(s, before));
  if (before.status !== "in_review") {
    throw new AppError("conflict", `The campaign is ${before.status}, not in review`);
  }
  if (seen !== before.updatedAt) {
    throw new AppError("conflict", "The campaign changed since you opened it; open it again and review that");
  }
  if (input.decision === "approve" && !(await creativeReady(s, before))) {
    throw new AppError("conflict", "The creative is not ready yet; review it once it is");
  }
  const at = nextVersion(before);
  const change = {
    status: input.decision === "approve" ? (before.pausedBeforeReview ? "paused" : "active") : "rejected",
    ...(input.decision === "approve" ? { pausedBeforeReview: false } : {}),
    reviewNote: input.note ?? null,
    reviewedBy: actor.accountId,
    // = updatedAt: lets a retry tell that this decision is still the row's last write.
    reviewedAt: at,
    ...(input.kidsSafe !== undefined ? { kidsSafe: input.kidsSafe } : {}),
  } satisfies Partial<CampaignRow>;
  // Guarded on the version read (as campaigns.ts's writeIfUnchanged): an advertiser's edit or another
  // moderator's decision in between is a 409. The audit row shares the guard and the batch, so only
  // the decision that took effect is recorded; a retry (alreadyDecided above) writes no second row.
  const unchanged = and(
    eq(adCampaigns.id, before.id),
    eq(adCampaigns.status, before.status),
    eq(adCampaigns.updatedAt, before.updatedAt),
  );
  const [, [row]] = await s.db.batch([
    auditInsertIf(
      s,
      auditActorOf(actor),
      {
        action: "ads.review",
        targetType: "ad_campaign",
        targetId: before.id,
        before: { status: before.status, kidsSafe: before.kidsSafe },
        after: {
          status: change.status,
          kidsSafe: change.kidsSafe ?? before.kidsSafe,
          decision: input.decision,
        },
        reason: input.note ?? null,
      },
      s.db.select({ id: adCampaigns.id }).from(adCampaigns).where(unchanged),
    ),
    s.db
      .update(adCampaigns)
      .set({ ...change, updatedAt: at })
      .where(unchanged)
      .returning(),
  ]);
  if (!row) throw new AppError("conflict", "The campaign changed meanwhile; read it again and retry");
  await sealQuietly(s, "ads.review");
  return viewOf(s, row, await pushConfig(s, row));
}
