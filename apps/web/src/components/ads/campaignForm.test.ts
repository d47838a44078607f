import { describe, expect, it, vi } from "vitest";

// campaignForm.ts reaches lib/ads.ts, which imports the API client (it needs a window).
vi.mock("../../api/client", () => ({
  ApiProblem: class extends Error {},
  api: {},
  must: () => Promise.reject(),
}));

const { changes, fromLocalInput, initialValues, toInput, toLocalInput } = await import("./campaignForm");
type Campaign = Parameters<typeof initialValues>[0] & object;

const filled = () => ({
  ...initialValues(),
  name: "  Spring sale ",
  clickThroughUrl: "https://shop.example/spring?utm=mq",
  totalBudget: "1,000.29",
  dailyBudget: "50.1",
  cpmBid: "3.35",
  startsAt: "2026-12-07T09:30",
  countries: "us, de us",
  languages: "EN",
  excludedChannels: "ch_a ch_b",
});

describe("the campaign form's values become the API's body", () => {
  it("sends dollars as exact integer cents, trimmed text and normalised lists", () => {
    const result = toInput(filled());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({
      name: "Spring sale",
      totalBudgetCents: 100029,
      dailyBudgetCents: 5010,
      cpmBidCents: 335,
      pacing: "even",
      endsAt: null,
      frequencyCapPerDay: 3,
      kidsSafe: false,
      targeting: {
        countries: ["US", "DE"],
        languages: ["en"],
        excludedChannels: ["ch_a", "ch_b"],
        categories: [],
        devices: [],
        maxMaturity: "adult",
      },
    });
    expect(result.input.startsAt).toBe(new Date("2026-12-07T09:30").toISOString());
  });

  it("puts what it can see on the fields before asking the API", () => {
    const result = toInput({
      ...filled(),
      name: " ",
      clickThroughUrl: "http://shop.example",
      totalBudget: "10",
      dailyBudget: "10.01",
      cpmBid: "0",
      endsAt: "2026-12-07T09:00",
      frequencyCapPerDay: "1.5",
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: "required",
        clickThroughUrl: "https",
        dailyBudgetCents: "dailyOverTotal",
        cpmBidCents: "positive",
        endsAt: "endBeforeStart",
        frequencyCapPerDay: "wholeNumber",
      },
    });
    expect(toInput({ ...filled(), totalBudget: "12.345" })).toMatchObject({
      ok: false,
      errors: { totalBudgetCents: "amount" },
    });
  });

  it("round-trips a campaign: its form sends back what it holds, and PATCH carries only changes", () => {
    const campaign = {
      id: "cmp_1",
      name: "Spring sale",
      status: "active",
      clickThroughUrl: "https://shop.example/spring",
      totalBudgetCents: 100029,
      dailyBudgetCents: 5010,
      cpmBidCents: 335,
      pacing: "asap",
      startsAt: "2026-12-07T08:30:00.000Z",
      endsAt: null,
      targeting: {
        categories: ["cat_1"],
        countries: ["US"],
        languages: [],
        devices: ["tv"],
        maxMaturity: "teen",
        excludedChannels: [],
      },
      frequencyCapPerDay: 2,
      kidsSafe: false,
      reviewNote: null,
      creative: null,
      spend: { impressions: 0, spentMillicents: 0, spentCents: 0, todayMillicents: 0 },
      createdAt: "2026-12-06T00:00:00.000Z",
      updatedAt: "2026-12-06T00:00:00.000Z",
    } satisfies Campaign;
    const values = initialValues(campaign);
    expect(values.totalBudget).toBe("1000.29");
    const same = toInput(values);
    if (!same.ok) throw new Error("a saved campaign's own values are valid");
    // Nothing changed: nothing is sent (an unchanged click-through must not send it back to review).
    expect(changes(campaign, same.input)).toEqual({});
    // The server's key order is not the form's: still no change.
    const { categories, ...rest } = campaign.targeting;
    expect(changes({ ...campaign, targeting: { ...rest, categories } }, same.input)).toEqual({});
    const edited = toInput({ ...values, cpmBid: "4", clickThroughUrl: "https://shop.example/new" });
    if (!edited.ok) throw new Error("valid");
    expect(changes(campaign, edited.input)).toEqual({
      cpmBidCents: 400,
      clickThroughUrl: "https://shop.example/new",
    });
  });

  it("converts datetime-local values in the viewer's zone both ways", () => {
    const iso = "2026-12-07T08:30:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("not a date")).toBeNull();
    expect(toLocalInput(null)).toBe("");
  });
});
