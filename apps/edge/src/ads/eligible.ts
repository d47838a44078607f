/**
 * The campaigns that may serve right now, as decision.ts needs them: active, started, not ended,
 * with a creative that is a ready `kind: "ad"` video of the campaign's own account. One D1 query,
 * kept per isolate for at most ELIGIBLE_TTL_MS, so the hot path of every playback is not a D1
 * round trip while a paused or edited campaign still drops out within seconds. (The campaign
 * object refuses a paused or spent campaign at once anyway: the list only saves it being asked.)
 */
import { and, eq, gt, isNull, lte, or } from "drizzle-orm";
import { adCampaigns, videos } from "../db/schema";
import type { Services } from "../services";
import { DAY_MS, utcMidnight } from "./pacing";

export const ELIGIBLE_TTL_MS = 2_000;

export interface EligibleCampaign {
  campaignId: string;
  advertiserAccountId: string;
  cpmBidCents: number;
  targeting: typeof adCampaigns.$inferSelect.targeting;
  frequencyCapPerDay: number;
  kidsSafe: boolean;
  clickThroughUrl: string;
  creativeVideoId: string;
  durationMs: number;
  title: string;
  startsAt: number;
  endsAt: number | null;
  /** The row's updated_at: a refusal remembered for an older version of the row no longer holds. */
  updatedAt: number;
}

let cached: { at: number; list: Promise<EligibleCampaign[]> } | null = null;
/** Which load of the list is current: refusals "until the list reloads" name the load they saw. */
let generation = 0;

/** Drops the isolate's list, so the next call reads D1 (tests that seed campaigns call it). */
export function forgetEligibleCampaigns(): void {
  cached = null;
  generation++;
}

/**
 * The eligible campaigns at `now`. Concurrent calls share one query; a failed query is not kept.
 * The time filters are applied again on the cached list, so a campaign that ends within the TTL
 * stops at its end to the millisecond.
 */
export async function eligibleCampaigns(
  s: Pick<Services, "db">,
  now = Date.now(),
): Promise<EligibleCampaign[]> {
  if (!cached || now - cached.at > ELIGIBLE_TTL_MS || now < cached.at) {
    const entry = { at: now, list: load(s, now) };
    cached = entry;
    generation++;
    entry.list.catch(() => {
      if (cached === entry) cached = null;
    });
  }
  const list = await cached.list;
  return list.filter((c) => c.startsAt <= now && (c.endsAt === null || c.endsAt > now));
}

async function load(s: Pick<Services, "db">, now: number): Promise<EligibleCampaign[]> {
  const rows = await s.db
    .select({
      campaignId: adCampaigns.id,
      advertiserAccountId: adCampaigns.accountId,
      cpmBidCents: adCampaigns.cpmBidCents,
      targeting: adCampaigns.targeting,
      frequencyCapPerDay: adCampaigns.frequencyCapPerDay,
      kidsSafe: adCampaigns.kidsSafe,
      clickThroughUrl: adCampaigns.clickThroughUrl,
      creativeVideoId: videos.id,
      durationMs: videos.durationMs,
      title: videos.title,
      startsAt: adCampaigns.startsAt,
      endsAt: adCampaigns.endsAt,
      updatedAt: adCampaigns.updatedAt,
    })
    .from(adCampaigns)
    .innerJoin(videos, eq(videos.id, adCampaigns.creativeVideoId))
    .where(
      and(
        eq(adCampaigns.status, "active"),
        // Started by the end of the cache's life; the filter above applies the exact moment.
        lte(adCampaigns.startsAt, now + ELIGIBLE_TTL_MS),
        or(isNull(adCampaigns.endsAt), gt(adCampaigns.endsAt, now)),
        eq(videos.kind, "ad"),
        eq(videos.status, "ready"),
        isNull(videos.deletedAt),
        // The creative must be the advertiser's own video (campaigns.ts checks it too).
        eq(videos.accountId, adCampaigns.accountId),
      ),
    );
  return rows.flatMap((r) =>
    r.durationMs !== null && r.durationMs > 0 ? [{ ...r, durationMs: r.durationMs }] : [],
  );
}

/**
 * Refusals remembered per isolate (docs/ads.md, "Decision"): a campaign its object keeps refusing
 * (a 1-cent daily budget, a spent total, paced out) would otherwise stay a top bidder in every
 * auction and spend the decision's few tries, blocking every lower campaign platform-wide. So a
 * refusal is remembered and the campaign left out of ranking and pricing:
 * - `daily_budget`: until the next UTC midnight (the day's budget only comes back then);
 * - `budget`, `not_running`: until the eligible list reloads (≤ ELIGIBLE_TTL_MS: a D1 change
 *   such as a budget raise or a resume shows there);
 * - `pacing`: REFUSED_PACING_MS (the even line rises by the second).
 * Any refusal is forgotten once the campaign's row changes (its updated_at), so a raised budget
 * serves at the next reload, not at midnight. Memory only ever skips asking; the object decides.
 */
export type RefusalReason = "not_running" | "budget" | "daily_budget" | "pacing";

export const REFUSED_PACING_MS = 5_000;

interface Refusal {
  /** ms since the epoch; the refusal holds before it. */
  until: number;
  /** Set for refusals that end when the list reloads. */
  generation: number | null;
  updatedAt: number;
}

const refusals = new Map<string, Refusal>();

/** Remembers that `c`'s object refused at `now` for `reason`. */
export function rememberRefusal(c: EligibleCampaign, reason: RefusalReason, now = Date.now()): void {
  const until =
    reason === "daily_budget"
      ? utcMidnight(now) + DAY_MS
      : reason === "pacing"
        ? now + REFUSED_PACING_MS
        : Number.POSITIVE_INFINITY;
  const reload = reason === "budget" || reason === "not_running";
  refusals.set(c.campaignId, { until, generation: reload ? generation : null, updatedAt: c.updatedAt });
}

/** Whether `c` was refused lately and its refusal still holds at `now`. */
export function isRefused(c: EligibleCampaign, now = Date.now()): boolean {
  const r = refusals.get(c.campaignId);
  if (!r) return false;
  const holds =
    now < r.until && (r.generation === null || r.generation === generation) && r.updatedAt === c.updatedAt;
  if (!holds) refusals.delete(c.campaignId);
  return holds;
}

/** Forgets every remembered refusal (tests that move the clock of an object). */
export function forgetRefusals(): void {
  refusals.clear();
}
