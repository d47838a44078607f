import { describe, expect, it } from "vitest";
import { rankBids, runAuction, secondPrice } from "./auction";

const bid = (campaignId: string, cpmBidCents: number) => ({ campaignId, cpmBidCents });
const FLOOR = 100;

describe("second-price auction", () => {
  it("the highest CPM wins and pays the runner-up's bid", () => {
    const won = runAuction([bid("cmp_b", 300), bid("cmp_a", 500), bid("cmp_c", 250)], FLOOR);
    expect(won).toEqual({ bid: bid("cmp_a", 500), priceMillicents: 300 });
  });

  it("a lone bidder pays the floor, not its bid", () => {
    expect(runAuction([bid("cmp_a", 900)], FLOOR)?.priceMillicents).toBe(FLOOR);
  });

  it("a runner-up below the floor: the winner pays the floor", () => {
    expect(runAuction([bid("cmp_a", 400), bid("cmp_b", 60)], FLOOR)?.priceMillicents).toBe(FLOOR);
  });

  it("never more than the winner's own bid: a bid below the floor pays itself", () => {
    expect(runAuction([bid("cmp_a", 70)], FLOOR)).toEqual({ bid: bid("cmp_a", 70), priceMillicents: 70 });
    expect(runAuction([bid("cmp_a", 80), bid("cmp_b", 75)], FLOOR)?.priceMillicents).toBe(80);
  });

  it("equal bids: the lower campaign id wins, whatever the input order, and pays the equal bid", () => {
    const bids = [bid("cmp_z", 400), bid("cmp_m", 400), bid("cmp_a", 400), bid("cmp_q", 100)];
    for (const order of [bids, [...bids].reverse(), [bids[2], bids[0], bids[3], bids[1]]]) {
      expect(runAuction(order as typeof bids, FLOOR)).toEqual({
        bid: bid("cmp_a", 400),
        priceMillicents: 400,
      });
    }
    expect(rankBids(bids).map((b) => b.campaignId)).toEqual(["cmp_a", "cmp_m", "cmp_z", "cmp_q"]);
  });

  it("nobody bids: no winner", () => {
    expect(runAuction([], FLOOR)).toBeNull();
    expect(secondPrice([], FLOOR)).toBeNull();
  });

  it("dropping a refused winner re-prices the next against the rest", () => {
    const ranked = rankBids([bid("cmp_a", 500), bid("cmp_b", 300), bid("cmp_c", 200)]);
    expect(secondPrice(ranked.slice(1), FLOOR)).toEqual({ bid: bid("cmp_b", 300), priceMillicents: 200 });
    expect(secondPrice(ranked.slice(2), FLOOR)).toEqual({ bid: bid("cmp_c", 200), priceMillicents: FLOOR });
  });
});
