import { describe, expect, it, vi } from "vitest";
import { parseCsv } from "./csv-reader.test-utils";

// lib/payouts.ts imports the API client, which needs a window; only its pure helpers are tested here.
vi.mock("../api/client", () => ({
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

const {
  balanceRows,
  centsToDecimal,
  chartPoints,
  collectAll,
  csvField,
  csvFileName,
  earningsCsv,
  hasEarnings,
  latestRun,
  onboardingStep,
  onboardingTarget,
  payoutsCsv,
  periodLabel,
  periodStart,
  skipSummary,
  toCsv,
} = await import("./payouts");
type PayoutRun = import("./payouts").PayoutRun;

describe("cents as decimal dollars, by digits", () => {
  it("writes two decimals for any whole number of cents", () => {
    expect(centsToDecimal(0)).toBe("0.00");
    expect(centsToDecimal(7)).toBe("0.07");
    expect(centsToDecimal(99)).toBe("0.99");
    expect(centsToDecimal(100)).toBe("1.00");
    expect(centsToDecimal(1234)).toBe("12.34");
    expect(centsToDecimal(-5)).toBe("-0.05");
    expect(centsToDecimal(-123456)).toBe("-1234.56");
  });

  it("is exact up to the largest safe number of cents (digits, never a division)", () => {
    expect(centsToDecimal(9007199254740991)).toBe("90071992547409.91");
    expect(centsToDecimal(-9007199254740991)).toBe("-90071992547409.91");
    expect(centsToDecimal(1005)).toBe("10.05");
    // What String(cents / 100) would write instead: no trailing zero, exponent notation.
    expect(String(1230 / 100)).toBe("12.3");
    expect(centsToDecimal(1230)).toBe("12.30");
  });

  it("refuses what is not a whole, safe number of cents", () => {
    for (const bad of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expect(() => centsToDecimal(bad), String(bad)).toThrow(RangeError);
  });

  it("round-trips every cent amount through its digits", () => {
    for (let cents = -1000; cents <= 1000; cents++) {
      const text = centsToDecimal(cents);
      expect(text).toMatch(/^-?\d+\.\d{2}$/);
      const [whole, fraction] = text.replace("-", "").split(".");
      expect((cents < 0 ? -1 : 1) * (Number(whole) * 100 + Number(fraction))).toBe(cents);
    }
  });
});

describe("CSV fields and files (RFC 4180)", () => {
  it("leaves plain text and numbers as they are, and null empty", () => {
    expect(csvField("2026-11")).toBe("2026-11");
    expect(csvField("tr_123")).toBe("tr_123");
    expect(csvField(42)).toBe("42");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe("");
  });

  it("quotes commas, quotes, line breaks and edge spaces, doubling quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField(" padded ")).toBe('" padded "');
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tx")).toBe("'\tx");
    // Numbers are ours, never text from outside: a negative amount stays a number.
    expect(csvField(-5)).toBe("-5");
  });

  it("refuses numbers a file cannot say", () => {
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
  });

  it("writes CRLF lines that parse back to the same fields", () => {
    const fields = ["plain", "a,b", 'q"uote', "multi\nline", "", " x", "=1+1", "ünïcødé €"];
    const csv = toCsv(["h1", "h2"], [fields, ["only"]]);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(parseCsv(csv)).toEqual([["h1", "h2"], fields.map((f) => (f === "=1+1" ? "'=1+1" : f)), ["only"]]);
  });

  it("exports earnings rows as decimal dollars under stable headers", () => {
    const csv = earningsCsv([
      {
        period: "2026-11",
        adsCents: 1234,
        premiumCents: 5,
        totalCents: 1239,
        paidCents: 1000,
        pendingCents: 239,
      },
      { period: "2026-10", adsCents: 0, premiumCents: 0, totalCents: 0, paidCents: 0, pendingCents: 0 },
    ]);
    expect(csv).toBe(
      "period,ads_usd,premium_usd,total_usd,paid_usd,pending_usd\r\n" +
        "2026-11,12.34,0.05,12.39,10.00,2.39\r\n" +
        "2026-10,0.00,0.00,0.00,0.00,0.00\r\n",
    );
    expect(earningsCsv([])).toBe("period,ads_usd,premium_usd,total_usd,paid_usd,pending_usd\r\n");
  });

  it("exports payouts with the transfer, the failure quoted, and the time in UTC", () => {
    const csv = payoutsCsv([
      {
        id: "po_1",
        period: "2026-11",
        amountCents: 120050,
        currency: "usd",
        state: "paid",
        stripeTransferId: "tr_9",
        failure: null,
        updatedAt: Date.UTC(2026, 11, 1, 9, 30),
      },
      {
        id: "po_2",
        period: "2026-10-15",
        amountCents: 1000,
        currency: "usd",
        state: "failed",
        stripeTransferId: null,
        failure: 'Stripe said: "account closed", try later',
        updatedAt: Date.UTC(2026, 10, 16),
      },
    ]);
    expect(parseCsv(csv)).toEqual([
      ["payout_id", "period", "amount", "currency", "state", "stripe_transfer_id", "failure", "updated_at"],
      ["po_1", "2026-11", "1200.50", "USD", "paid", "tr_9", "", "2026-12-01T09:30:00.000Z"],
      [
        "po_2",
        "2026-10-15",
        "10.00",
        "USD",
        "failed",
        "",
        'Stripe said: "account closed", try later',
        "2026-11-16T00:00:00.000Z",
      ],
    ]);
  });

  it("names the file after what it holds and the UTC day", () => {
    expect(csvFileName("earnings", Date.UTC(2026, 11, 6, 23, 59))).toBe("marquee-earnings-2026-12-06.csv");
    expect(csvFileName("payouts", Date.UTC(2027, 0, 1))).toBe("marquee-payouts-2027-01-01.csv");
  });
});

describe("exports follow every page", () => {
  it("collects items across cursors until nextCursor is null", async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
      start: { items: [1, 2], nextCursor: "b" },
      b: { items: [3], nextCursor: "c" },
      c: { items: [], nextCursor: null },
    };
    const asked: (string | undefined)[] = [];
    const all = await collectAll(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? "start"] as { items: number[]; nextCursor: string | null };
    });
    expect(all).toEqual({ items: [1, 2, 3], complete: true });
    expect(asked).toEqual([undefined, "b", "c"]);
  });

  it("stops after maxPages on a cursor that never ends, and says so", async () => {
    let calls = 0;
    const all = await collectAll(async () => {
      calls++;
      return { items: [calls], nextCursor: "again" };
    }, 3);
    expect(all).toEqual({ items: [1, 2, 3], complete: false });
  });

  it("passes a failed page's error on", async () => {
    await expect(collectAll(async () => Promise.reject(new Error("503")))).rejects.toThrow("503");
  });
});

describe("periods", () => {
  it("reads months and days in UTC, and nothing else", () => {
    expect(periodStart("2026-11")).toEqual({ date: new Date(Date.UTC(2026, 10, 1)), kind: "month" });
    expect(periodStart("2026-02-28")).toEqual({ date: new Date(Date.UTC(2026, 1, 28)), kind: "day" });
    for (const bad of ["2026-13", "2026-02-30", "2026-00", "26-11", "2026-11-1", "nope"])
      expect(periodStart(bad), bad).toBeNull();
  });

  it("labels a period in the UI's language, on its UTC date", () => {
    expect(periodLabel("2026-11", "en")).toBe("Nov 2026");
    expect(periodLabel("2026-11", "en", "long")).toBe("November 2026");
    expect(periodLabel("2026-11", "de", "long")).toBe("November 2026");
    expect(periodLabel("2026-01", "de")).toBe("Jan. 2026");
    expect(periodLabel("2026-11-15", "en")).toBe("Nov 15, 2026");
    expect(periodLabel("2026-12-01", "de")).toBe("1. Dez. 2026");
    expect(periodLabel("weird", "en")).toBe("weird");
  });
});

describe("what the earnings page draws", () => {
  const row = (period: string, ads: number, premium: number, paid: number) => ({
    period,
    adsCents: ads,
    premiumCents: premium,
    totalCents: ads + premium,
    paidCents: paid,
    pendingCents: ads + premium - paid,
  });

  it("orders the chart oldest first and appends the open month's estimate", () => {
    const points = chartPoints([row("2026-11", 100, 50, 0), row("2026-10", 10, 5, 15)], {
      period: "2026-12",
      adsCents: 7,
      premiumCents: 3,
    });
    expect(points.map((p) => [p.period, p.totalCents, p.paidCents, p.estimate])).toEqual([
      ["2026-10", 15, 15, false],
      ["2026-11", 150, 0, false],
      ["2026-12", 10, 0, true],
    ]);
  });

  it("does not draw an estimate twice for a period already listed, nor one that is null", () => {
    expect(
      chartPoints([row("2026-12", 1, 1, 0)], { period: "2026-12", adsCents: 9, premiumCents: 9 }),
    ).toHaveLength(1);
    expect(chartPoints([], null)).toEqual([]);
  });

  it("knows when there is nothing to show yet", () => {
    const totals = { earnedCents: 0, paidCents: 0, pendingCents: 0 };
    expect(hasEarnings({ items: [], totals, estimate: null })).toBe(false);
    expect(
      hasEarnings({ items: [], totals, estimate: { period: "2026-12", adsCents: 0, premiumCents: 0 } }),
    ).toBe(false);
    expect(
      hasEarnings({ items: [], totals, estimate: { period: "2026-12", adsCents: 0, premiumCents: 1 } }),
    ).toBe(true);
    expect(hasEarnings({ items: [row("2026-11", 0, 0, 0)], totals, estimate: null })).toBe(true);
  });

  it("offers set up, finish, or nothing, by the account's state", () => {
    expect(onboardingStep("none")).toBe("setup");
    expect(onboardingStep("pending")).toBe("finish");
    expect(onboardingStep("enabled")).toBeNull();
  });

  it("follows only http(s) onboarding links", () => {
    expect(onboardingTarget("https://connect.stripe.com/setup/e/acct_1/abc")).toBe(
      "https://connect.stripe.com/setup/e/acct_1/abc",
    );
    expect(onboardingTarget("http://127.0.0.1:12111/connect/onboarding/acct_1")).toBe(
      "http://127.0.0.1:12111/connect/onboarding/acct_1",
    );
    for (const bad of ["javascript:alert(1)", "data:text/html,x", "/relative", "", "JAVASCRIPT:alert(1)"])
      expect(onboardingTarget(bad), bad).toBeNull();
  });
});

describe("what the admin page draws", () => {
  const run = (id: string, startedAt: number, over: Partial<PayoutRun> = {}): PayoutRun => ({
    id,
    period: "2026-11",
    startedAt,
    finishedAt: startedAt + 1000,
    state: "finished",
    paidCount: 0,
    paidCents: 0,
    failedCount: 0,
    skipped: [],
    trialBalanceCents: 0,
    balances: {},
    error: null,
    ...over,
  });

  it("sums skipped channels per reason, in the reasons' order, leaving out reasons with none", () => {
    expect(
      skipSummary([
        { channelId: "c3", reason: "below_minimum", balanceCents: 999 },
        { channelId: "c1", reason: "no_account", balanceCents: 5000 },
        { channelId: "c2", reason: "below_minimum", balanceCents: 1 },
      ]),
    ).toEqual([
      { reason: "no_account", count: 1, balanceCents: 5000 },
      { reason: "below_minimum", count: 2, balanceCents: 1000 },
    ]);
    expect(skipSummary([])).toEqual([]);
  });

  it("lists balances with the known account kinds first, then the rest by name", () => {
    expect(
      balanceRows({
        zeta: 1,
        stripe_clearing: 500,
        platform_revenue: -200,
        alpha: 2,
        channel_payable: -300,
      }).map((r) => r.kind),
    ).toEqual(["platform_revenue", "channel_payable", "stripe_clearing", "alpha", "zeta"]);
  });

  it("shows the trial balance of the run that started last", () => {
    expect(latestRun([])).toBeNull();
    const newest = run("r2", 2000, { trialBalanceCents: 3 });
    expect(latestRun([run("r1", 1000), newest, run("r0", 500)])).toBe(newest);
  });
});
