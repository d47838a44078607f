/**
 * The ad decision (docs/ads.md, "Decision"): one pre-roll for a viewer who is not ad-free (the
 * caller checks entitlements first). Eligible campaigns (eligible.ts) → targeting (targeting.ts)
 * → second-price auction on CPM (auction.ts) → the winner's session is reserved in the viewer's
 * AdFrequency (the cap) and the campaign's AdCampaign (budgets, pacing) in parallel. If either
 * refuses, the other is released and the auction runs again without that campaign (the next
 * winner's price recomputed against the bidders still standing), at most MAX_CANDIDATES times, so
 * a decision costs at most that many object round trips. Budget and cap are exact because only the
 * objects decide them: the eligible list may be up to two seconds old, the objects never are.
 */
import { newId } from "../lib/ids";
import type { Services } from "../services";
import { rankBids, secondPrice } from "./auction";
import { type EligibleCampaign, eligibleCampaigns } from "./eligible";
import { matchesTargeting } from "./targeting";
import type { AdContext, AdDecision, ReserveResult } from "./types";

/** What this file uses of the services (a full `Services` does; tests pass just these). */
export type AdServices = Pick<Services, "env" | "config" | "db">;

/** Candidates tried per decision before giving up (each try is two object calls, in parallel). */
export const MAX_CANDIDATES = 3;

/** The campaign's AdCampaign object (its name is the campaign id). */
export const campaignStub = (env: Env, campaignId: string) =>
  env.AD_CAMPAIGNS.get(env.AD_CAMPAIGNS.idFromName(campaignId));

/** The viewer's AdFrequency object (its name is the viewer key, AdContext.viewerKey). */
export const frequencyStub = (env: Env, viewerKey: string) =>
  env.AD_FREQUENCY.get(env.AD_FREQUENCY.idFromName(viewerKey));

/** One pre-roll for `ctx`, reserved in both objects, or null when no campaign can take it. */
export async function decideAd(s: AdServices, ctx: AdContext): Promise<AdDecision | null> {
  const eligible = await eligibleCampaigns(s, Date.now());
  let standing = rankBids(eligible.filter((c) => matchesTargeting(c, ctx)));
  const releases: Promise<unknown>[] = [];
  try {
    for (let tried = 0; tried < MAX_CANDIDATES; tried++) {
      const won = secondPrice(standing, s.config.ads.floorCpmCents);
      if (!won) return null;
      const sessionId = newId("ads");
      if (await reserveBoth(s, ctx, won.bid, sessionId, won.priceMillicents, releases)) {
        return {
          sessionId,
          campaignId: won.bid.campaignId,
          creativeVideoId: won.bid.creativeVideoId,
          priceMillicents: won.priceMillicents,
          durationMs: won.bid.durationMs,
          title: won.bid.title,
          clickThroughUrl: won.bid.clickThroughUrl,
        };
      }
      standing = standing.slice(1);
    }
    return null;
  } finally {
    // Releases run alongside the next candidate's reservation; the answer waits for them so no
    // promise outlives the request (a lapse would free them anyway, minutes later).
    await Promise.allSettled(releases);
  }
}

/**
 * Reserves the session in both objects at once. True when both took it; otherwise the one that
 * did is released (pushed on `releases`). A failing object counts as a refusal: an ad is never
 * worth failing the playback it runs before.
 */
async function reserveBoth(
  s: AdServices,
  ctx: AdContext,
  c: EligibleCampaign,
  sessionId: string,
  priceMillicents: number,
  releases: Promise<unknown>[],
): Promise<boolean> {
  const frequency = frequencyStub(s.env, ctx.viewerKey);
  const campaign = campaignStub(s.env, c.campaignId);
  const [capped, held] = await Promise.allSettled([
    frequency.reserve({
      sessionId,
      campaignId: c.campaignId,
      capPerDay: c.frequencyCapPerDay,
      lapseSeconds: s.config.ads.reservationSeconds,
    }),
    campaign.reserve({
      sessionId,
      priceMillicents,
      creativeVideoId: c.creativeVideoId,
      videoId: ctx.videoId,
      channelId: ctx.channelId,
      viewerKey: ctx.viewerKey,
    }) as Promise<ReserveResult>,
  ]);
  const slot = capped.status === "fulfilled" && capped.value;
  const money = held.status === "fulfilled" && held.value.ok;
  if (slot && money) return true;
  if (slot) releases.push(frequency.release(sessionId));
  if (money) releases.push(campaign.release(sessionId));
  return false;
}
