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
}

let cached: { at: number; list: Promise<EligibleCampaign[]> } | null = null;

/** Drops the isolate's list, so the next call reads D1 (tests that seed campaigns call it). */
export function forgetEligibleCampaigns(): void {
  cached = null;
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
