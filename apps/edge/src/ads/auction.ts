/**
 * The auction (docs/ads.md, "The auction"), pure: a second-price auction on CPM.
 *
 * - Ranking: CPM bid, highest first; equal bids by campaign id (ascending), so the outcome is
 *   deterministic and never depends on the order D1 returned the rows in.
 * - Price: the winner pays the next eligible bid (the runner-up's), or the floor
 *   (`config.ads.floorCpmCents`) when it is alone or the runner-up bid less than the floor; never
 *   more than its own bid (a bid below the floor pays its own bid: the floor is a price, not a
 *   gate, so a small advertiser still serves when nobody else competes).
 * - Money: one impression costs the CPM / 1000 in cents = the CPM in cents as millicents, exact.
 *
 * Only bidders that could serve take part: decision.ts removes the campaigns the viewer is capped
 * on and those whose object refused lately before pricing. When the winner's object refuses, it
 * is dropped and the auction runs again on the rest, as if the refused one had never bid.
 */

export interface Bid {
  campaignId: string;
  cpmBidCents: number;
}

export interface Ranked<B extends Bid> {
  bid: B;
  /** What the winner pays for one impression, millicents (= CPM cents). */
  priceMillicents: number;
}

/** Highest CPM first; ties by campaign id, ascending. */
export function rankBids<B extends Bid>(bids: readonly B[]): B[] {
  return [...bids].sort(
    (a, b) =>
      b.cpmBidCents - a.cpmBidCents ||
      (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0),
  );
}

/** The second price of the top bid of an already ranked list (null when the list is empty). */
export function secondPrice<B extends Bid>(ranked: readonly B[], floorCpmCents: number): Ranked<B> | null {
  const [winner, runnerUp] = ranked;
  if (!winner) return null;
  const market = Math.max(runnerUp?.cpmBidCents ?? 0, floorCpmCents);
  return { bid: winner, priceMillicents: Math.min(winner.cpmBidCents, market) };
}

/** The winner of `bids` and its price (null when nobody bid). */
export function runAuction<B extends Bid>(bids: readonly B[], floorCpmCents: number): Ranked<B> | null {
  return secondPrice(rankBids(bids), floorCpmCents);
}
