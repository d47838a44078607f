import { describe, expect, it } from "vitest";
import {
  currentSubscription,
  entitlementsOf,
  type PlanRow,
  premiumPlanOf,
  type SubscriptionState,
} from "./entitlements";
import type { SubscriptionStatus } from "./provider";

const plan = (
  id: string,
  maxHeight: number,
  streams: number,
  premiumContent: boolean,
  sortOrder: number,
): PlanRow => ({
  id,
  name: id,
  maxHeight,
  adFree: id !== "free",
  streams,
  premiumContent,
  monthlyCents: 0,
  yearlyCents: 0,
  currency: "usd",
  stripeMonthPriceId: null,
  stripeYearPriceId: null,
  paypalMonthPlanId: null,
  paypalYearPlanId: null,
  sortOrder,
  updatedAt: 0,
});
const PLANS = [
  plan("free", 720, 1, false, 0),
  plan("standard", 1080, 2, false, 1),
  plan("premium", 2160, 4, true, 2),
];
const GRACE = 3 * 86_400_000;
const T = 1_800_000_000_000;

const sub = (status: SubscriptionStatus, over: Partial<SubscriptionState> = {}): SubscriptionState => ({
  planId: "premium",
  status,
  currentPeriodEnd: T + 10 * 86_400_000,
  pastDueSince: null,
  cancelAtPeriodEnd: false,
  ...over,
});

describe("entitlementsOf", () => {
  const cases: [string, SubscriptionState | null, number, string][] = [
    ["no subscription → free", null, T, "free"],
    ["active → its plan", sub("active"), T, "premium"],
    ["trialing → its plan", sub("trialing"), T, "premium"],
    [
      "active after its period end (renewal in flight) → its plan",
      sub("active", { currentPeriodEnd: T - 1 }),
      T,
      "premium",
    ],
    [
      "active, cancelling at period end, 1 ms before it → its plan",
      sub("active", { cancelAtPeriodEnd: true, currentPeriodEnd: T + 1 }),
      T,
      "premium",
    ],
    [
      "active, cancelling at period end, at it (a missed deleted webhook) → free",
      sub("active", { cancelAtPeriodEnd: true, currentPeriodEnd: T }),
      T,
      "free",
    ],
    [
      "trialing, cancelling at period end, past it → free",
      sub("trialing", { cancelAtPeriodEnd: true, currentPeriodEnd: T - 1 }),
      T,
      "free",
    ],
    ["pending (not paid) → free", sub("pending"), T, "free"],
    ["ended → free", sub("ended"), T, "free"],
    [
      "ended, period not over → free (ended is final)",
      sub("ended", { currentPeriodEnd: T + 86_400_000 }),
      T,
      "free",
    ],
    ["past_due, just seen → its plan", sub("past_due", { pastDueSince: T }), T, "premium"],
    [
      "past_due, 1 ms before the grace ends → its plan",
      sub("past_due", { pastDueSince: T - GRACE + 1 }),
      T,
      "premium",
    ],
    ["past_due, at the grace end → free", sub("past_due", { pastDueSince: T - GRACE }), T, "free"],
    ["past_due, past the grace → free", sub("past_due", { pastDueSince: T - GRACE - 1 }), T, "free"],
    ["past_due without a first sighting → its plan (grace starts now)", sub("past_due"), T, "premium"],
    [
      "canceled, 1 ms before the period end → its plan",
      sub("canceled", { currentPeriodEnd: T + 1 }),
      T,
      "premium",
    ],
    ["canceled, at the period end → free", sub("canceled", { currentPeriodEnd: T }), T, "free"],
    ["canceled, no period end → free", sub("canceled", { currentPeriodEnd: null }), T, "free"],
    ["a plan that no longer exists → free", sub("active", { planId: "gold" }), T, "free"],
    ["standard → standard", sub("active", { planId: "standard" }), T, "standard"],
  ];
  for (const [name, s, now, expected] of cases) {
    it(name, () => {
      expect(entitlementsOf(s, PLANS, now, GRACE).plan).toBe(expected);
    });
  }

  it("carries the plan's limits", () => {
    expect(entitlementsOf(sub("active"), PLANS, T, GRACE)).toEqual({
      plan: "premium",
      maxHeight: 2160,
      adFree: true,
      streams: 4,
      premiumContent: true,
    });
    expect(entitlementsOf(null, PLANS, T, GRACE)).toEqual({
      plan: "free",
      maxHeight: 720,
      adFree: false,
      streams: 1,
      premiumContent: false,
    });
  });

  it("without a free row, answers the most restrictive limits (never an accidental upgrade)", () => {
    expect(entitlementsOf(null, [], T, GRACE)).toEqual({
      plan: "free",
      maxHeight: 720,
      adFree: false,
      streams: 1,
      premiumContent: false,
    });
  });
});

describe("currentSubscription", () => {
  it("picks the highest plan among the granting rows, old ended ones aside", () => {
    const rows = [
      { ...sub("ended", { planId: "premium" }), updatedAt: 3 },
      { ...sub("active", { planId: "standard" }), updatedAt: 1 },
      { ...sub("canceled", { planId: "premium", currentPeriodEnd: T + 5 }), updatedAt: 2 },
    ];
    const picked = currentSubscription(rows, PLANS, T, GRACE);
    expect(picked.entitlements.plan).toBe("premium");
    expect(picked.subscription?.status).toBe("canceled");
    // Once the canceled one's period ends, the active standard one decides.
    expect(currentSubscription(rows, PLANS, T + 5, GRACE).entitlements.plan).toBe("standard");
  });

  it("with nothing granting, shows the most recently updated row and free", () => {
    const rows = [
      { ...sub("ended"), updatedAt: 1 },
      { ...sub("past_due", { pastDueSince: T - GRACE }), updatedAt: 2 },
    ];
    const picked = currentSubscription(rows, PLANS, T, GRACE);
    expect(picked.entitlements.plan).toBe("free");
    expect(picked.subscription?.status).toBe("past_due");
  });
});

describe("premiumPlanOf", () => {
  const priced = (p: PlanRow, monthlyCents: number | null): PlanRow => ({ ...p, monthlyCents });
  const [free, standard, premium] = PLANS as [PlanRow, PlanRow, PlanRow];

  it("names the one plan with premium videos (the seeded catalogue: premium)", () => {
    expect(premiumPlanOf(PLANS)).toBe("premium");
  });

  it("is data: the cheapest plan with premium videos by monthly price, then sort order; none → null", () => {
    const lite = { ...priced(premium, 1299), id: "premium_lite", sortOrder: 3 };
    expect(premiumPlanOf([free, standard, priced(premium, 1799), lite])).toBe("premium_lite");
    const same = { ...lite, monthlyCents: 1799 };
    expect(premiumPlanOf([priced(premium, 1799), same])).toBe("premium");
    expect(premiumPlanOf([{ ...priced(premium, null), id: "yearly_only" }, priced(premium, 1799)])).toBe(
      "premium",
    );
    expect(premiumPlanOf([free, standard])).toBeNull();
  });
});
