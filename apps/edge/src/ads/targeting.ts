/**
 * Targeting (docs/ads.md, "Targeting"), pure: whether a campaign may run in an ad context.
 *
 * Every dimension here is **contextual or declared**, never behavioural: the content being watched
 * (its category, channel and rating), the request's country (request.cf.country), the device class
 * from the User-Agent, and the language the profile declared. Nothing is inferred from what a viewer
 * watched or clicked before, so no viewing history is kept for ads and the rule "no targeting by
 * behaviour for kids" holds by construction. For kids profiles and kids-rated content one more
 * rule applies, whoever watches: only
 * campaigns marked kids-safe (set by the advertiser, confirmed by the reviewing moderator) match;
 * a kids-safe campaign's language, country or device targeting still applies as declared.
 *
 * An empty list means "any". A list that names values needs the context to have one of them: an
 * unknown country, language or category (null) matches only campaigns that do not restrict it.
 */
import { MATURITY_LEVELS } from "@marquee/shared";
import type { Targeting } from "../db/schema";
import type { AdContext, Maturity } from "./types";

export interface Targetable {
  targeting: Targeting;
  kidsSafe: boolean;
}

const rank = (m: Maturity): number => MATURITY_LEVELS.indexOf(m);

/** An empty list allows anything; otherwise the value must be known and listed. */
const allows = (list: readonly string[], value: string | null): boolean =>
  list.length === 0 || (value !== null && list.includes(value));

/** Whether `campaign` may run before the content of `ctx` for its viewer. */
export function matchesTargeting(campaign: Targetable, ctx: AdContext): boolean {
  const t = campaign.targeting;
  // Kids content gets kids-safe ads whoever watches (anonymous, an embed, an adult profile).
  if ((ctx.kids || ctx.maturity === "kids") && !campaign.kidsSafe) return false;
  // Unknown rating: treated as adult (brand safety), so only campaigns allowing adult content run.
  if (rank(ctx.maturity ?? "adult") > rank(t.maxMaturity)) return false;
  if (ctx.channelId !== null && t.excludedChannels.includes(ctx.channelId)) return false;
  return (
    allows(t.categories, ctx.categoryId) &&
    allows(t.countries, ctx.country?.toUpperCase() ?? null) &&
    allows(t.languages, ctx.language?.toLowerCase() ?? null) &&
    allows(t.devices, ctx.device)
  );
}
