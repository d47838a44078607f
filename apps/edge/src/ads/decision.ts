/**
 * The ad decision (docs/ads.md, "Decision"): one pre-roll for a viewer who is not ad-free (the
 * caller checks entitlements first). The client's address is rate-limited (over the limit: no ad,
 * and what the first try held is released). Eligible campaigns (eligible.ts) → targeting (targeting.ts), minus the campaigns whose
 * object refused lately (eligible.ts's refusal memory) → ranked on CPM (auction.ts) → the viewer's
 * AdFrequency takes the whole ranked list, holds a slot in the first campaign under its cap and
 * names the capped ones → the winner's second price is set against the bidders that could serve
 * (capped and refused ones removed) → its AdCampaign reserves the price (budgets, pacing). A
 * refusal is remembered, the slot released, and the next candidate tried, at most MAX_CANDIDATES
 * times. Budget and cap are exact because only the objects decide them: the eligible list and the
 * refusal memory only save asking.
 */

import { rateLimiter } from "../auth/rate-limiter";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import { getSettings } from "../settings/store";
import { rankBids, secondPrice } from "./auction";
import {
  type EligibleCampaign,
  eligibleCampaigns,
  isRefused,
  type RefusalReason,
  rememberRefusal,
} from "./eligible";
import type { FrequencyPick } from "./objects/frequency";
import { matchesTargeting } from "./targeting";
import type { AdContext, AdDecision, ReserveResult } from "./types";

/** What this file uses of the services (a full `Services` does; tests pass just these). */
export type AdServices = Pick<Services, "env" | "config" | "db">;

/**
 * Campaign objects asked per decision before giving up (each try: the viewer's frequency object,
 * then the winner's campaign object; the first try asks both at once). Capped and known-refused
 * campaigns spend no try.
 */
export const MAX_CANDIDATES = 3;

/** The campaign's AdCampaign object (its name is the campaign id). */
export const campaignStub = (env: Env, campaignId: string) =>
  env.AD_CAMPAIGNS.get(env.AD_CAMPAIGNS.idFromName(campaignId));

/** The viewer's AdFrequency object (its name is the viewer key, AdContext.viewerKey). */
export const frequencyStub = (env: Env, viewerKey: string) =>
  env.AD_FREQUENCY.get(env.AD_FREQUENCY.idFromName(viewerKey));

/**
 * Ad decisions per client address per window (RateLimiter `ad-decisions:{client}`): every decision
 * may hold a reservation for ADS_RESERVATION_SECONDS, so an unthrottled client could hold a
 * campaign's whole budget without playing anything. 60 a minute is a new playback every second for
 * a minute from one address (generous for a household or an office behind one NAT). Over the limit
 * the client gets no ad, not an error: the content still plays.
 */
export const AD_DECISION_LIMIT = { limit: 60, windowSeconds: 60 } as const;

/** The context of a request: `clientKey` (context.ts) names the client address the limit counts. */
export type DecisionContext = AdContext & { clientKey?: string };

/** The floor CPM: the dynamic setting `ads.floorCpmCents` when an admin set it, else ADS_FLOOR_CPM_CENTS. */
export async function floorOf(s: AdServices): Promise<number> {
  return (await getSettings(s)).ads.floorCpmCents ?? s.config.ads.floorCpmCents;
}

/** One pre-roll for `ctx`, reserved in both objects, or null when no campaign can take it. */
export async function decideAd(s: AdServices, ctx: DecisionContext): Promise<AdDecision | null> {
  const now = Date.now();
  const [eligible, floorCpmCents] = await Promise.all([eligibleCampaigns(s, now), floorOf(s)]);
  // Known refusals are left out before ranking: they neither spend a try nor set the price.
  let standing = rankBids(eligible.filter((c) => matchesTargeting(c, ctx) && !isRefused(c, now)));
  // Nothing to reserve, nothing to limit: a playback with no candidate costs no object call.
  if (standing.length === 0) return null;
  // The client's limit is asked alongside the first try's reservations, not before them (one round
  // trip less); over the limit, what the try held is released at once.
  const allowed = withinLimit(s, ctx);
  // The limit's call is awaited with the releases too, so it never outlives the request.
  const releases: Promise<unknown>[] = [allowed];
  const frequency = frequencyStub(s.env, ctx.viewerKey);
  try {
    for (let tried = 0; tried < MAX_CANDIDATES && standing.length > 0; tried++) {
      const sessionId = newId("ads");
      // The first try asks both objects at once, betting that the top bidder and its runner-up are
      // under this viewer's caps (the usual case): one round trip instead of two. A lost bet is
      // released and the next try goes one object after the other.
      const guess = tried === 0 ? secondPrice(standing, floorCpmCents) : null;
      const [pick, early, permitted] = await Promise.all([
        pickUnderCap(s, frequency, standing, sessionId),
        guess ? reserveMoney(s, ctx, guess.bid, sessionId, guess.priceMillicents) : null,
        allowed,
      ]);
      const dropGuess = () => {
        if (guess && early?.ok) releases.push(campaignStub(s.env, guess.bid.campaignId).release(sessionId));
      };
      if (!pick || !permitted) {
        dropGuess();
        if (pick) releases.push(frequency.release(sessionId));
        return null;
      }
      // The viewer's capped campaigns cannot serve this viewer: they set no price either.
      const capped = new Set(pick.capped);
      standing = standing.filter((c) => !capped.has(c.campaignId) || c.campaignId === pick.campaignId);
      const at = standing.findIndex((c) => c.campaignId === pick.campaignId);
      const won = at < 0 ? null : secondPrice(standing.slice(at), floorCpmCents);
      if (!won) {
        dropGuess();
        releases.push(frequency.release(sessionId));
        return null;
      }
      const betWon =
        guess !== null &&
        early !== null &&
        guess.bid.campaignId === won.bid.campaignId &&
        guess.priceMillicents === won.priceMillicents;
      if (guess && !betWon) {
        dropGuess();
        releases.push(frequency.release(sessionId));
        continue;
      }
      const held =
        betWon && early ? early : await reserveMoney(s, ctx, won.bid, sessionId, won.priceMillicents);
      if (held.ok) {
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
      if (held.reason) rememberRefusal(won.bid, held.reason);
      releases.push(frequency.release(sessionId));
      standing = standing.slice(at + 1);
    }
    return null;
  } finally {
    // Releases run alongside the next candidate's reservation; the answer waits for them so no
    // promise outlives the request (a lapse would free them anyway, minutes later).
    await Promise.allSettled(releases);
  }
}

/** Counts the decision against the client's address (no key: a caller without a request). */
async function withinLimit(s: AdServices, ctx: DecisionContext): Promise<boolean> {
  if (!ctx.clientKey) return true;
  try {
    const gate = await rateLimiter(s.env, `ad-decisions:${ctx.clientKey}`).begin(
      AD_DECISION_LIMIT.limit,
      AD_DECISION_LIMIT.windowSeconds,
    );
    return gate.allowed;
  } catch {
    return false; // an ad is never worth failing the playback it runs before
  }
}

/**
 * The viewer's frequency object takes the ranked list and holds a slot in the first campaign under
 * its cap, naming the capped ones (null: it failed, which counts as "no ad").
 */
async function pickUnderCap(
  s: AdServices,
  frequency: ReturnType<typeof frequencyStub>,
  standing: readonly EligibleCampaign[],
  sessionId: string,
): Promise<FrequencyPick | null> {
  try {
    const pick: FrequencyPick = await frequency.reserveFirst({
      sessionId,
      candidates: standing.map((c) => ({ campaignId: c.campaignId, capPerDay: c.frequencyCapPerDay })),
      lapseSeconds: s.config.ads.reservationSeconds,
    });
    return pick.campaignId === null ? null : pick;
  } catch {
    return null;
  }
}

/**
 * Reserves the price in the winner's campaign object. A failing object counts as a refusal without
 * a reason (nothing is remembered): an ad is never worth failing the playback it runs before.
 */
async function reserveMoney(
  s: AdServices,
  ctx: AdContext,
  c: EligibleCampaign,
  sessionId: string,
  priceMillicents: number,
): Promise<{ ok: true } | { ok: false; reason: RefusalReason | null }> {
  try {
    const held: ReserveResult = await campaignStub(s.env, c.campaignId).reserve({
      sessionId,
      priceMillicents,
      creativeVideoId: c.creativeVideoId,
      videoId: ctx.videoId,
      channelId: ctx.channelId,
      viewerKey: ctx.viewerKey,
    });
    return held.ok ? { ok: true } : { ok: false, reason: held.reason };
  } catch {
    return { ok: false, reason: null };
  }
}
