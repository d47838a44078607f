/**
 * The payouts components drawn to HTML on Node (react-dom/server, no browser): what the trial
 * balance, the runs table, the earnings tables and the totals say for given data, in English and
 * German. The charts (canvas) and the pages' hooks need a browser and are not drawn here.
 */
import i18next from "i18next";
import { createElement, type FunctionComponent } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import commonDe from "../../i18n/locales/de/common.json";
import payoutsDe from "../../i18n/locales/de/payouts.json";
import common from "../../i18n/locales/en/common.json";
import payouts from "../../i18n/locales/en/payouts.json";

// The API client reads window.location when imported; nothing here calls the API.
vi.mock("../../api/client", () => ({
  ApiProblem: class ApiProblem extends Error {},
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

const { EarningsSummary } = await import("./EarningsSummary");
const { EarningsTable } = await import("./EarningsTable");
const { PayoutHistory } = await import("./PayoutHistory");
const { RunsTable } = await import("./RunsTable");
const { TrialBalance } = await import("./TrialBalance");
type PayoutRun = import("../../lib/payouts").PayoutRun;
type Payout = import("../../lib/payouts").Payout;

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { en: { common, payouts }, de: { common: commonDe, payouts: payoutsDe } },
    lng: "en",
    fallbackLng: "en",
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
});

async function html<P extends object>(
  component: FunctionComponent<P>,
  props: P,
  lang = "en",
): Promise<string> {
  await i18next.changeLanguage(lang);
  return renderToStaticMarkup(createElement(component, props));
}

/** The text of each table row marked with `data-testid="<testId>"`. */
const rowsOf = (markup: string, testId: string) =>
  [...markup.matchAll(new RegExp(`<tr[^>]*data-testid="${testId}"[^>]*>(.*?)</tr>`, "g"))].map((m) =>
    text(m[1] ?? ""),
  );

/** The page's text without tags, one space between pieces. */
const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

const run = (over: Partial<PayoutRun> = {}): PayoutRun => ({
  id: "run_1",
  period: "2026-11",
  startedAt: Date.UTC(2026, 11, 1, 6),
  finishedAt: Date.UTC(2026, 11, 1, 6, 5),
  state: "finished",
  paidCount: 3,
  paidCents: 4500,
  failedCount: 1,
  skipped: [],
  trialBalanceCents: 0,
  balances: { stripe_clearing: 10000, platform_revenue: -4000, channel_payable: -6000 },
  error: null,
  ...over,
});

describe("the trial balance", () => {
  it("is green and says balanced at 0.00", async () => {
    const out = await html(TrialBalance, { run: run() });
    expect(out).toContain('data-balanced="true"');
    expect(out).not.toContain('role="alert"');
    expect(text(out)).toContain("$0.00 Trial balance Balanced: the ledger's lines sum to zero.");
    // Balances per account kind, the known kinds in their order, signed as the ledger keeps them.
    expect(text(out)).toContain("Platform revenue -$40.00 Channel payables -$60.00 Stripe clearing $100.00");
  });

  it("is red, an alert, and shows the difference otherwise", async () => {
    const out = await html(TrialBalance, { run: run({ trialBalanceCents: -7 }) });
    expect(out).toContain('data-balanced="false"');
    expect(out).toContain('role="alert"');
    expect(text(out)).toContain("-$0.07 Trial balance Out of balance");
  });

  it("says so when no run has reported yet", async () => {
    expect(text(await html(TrialBalance, { run: null }))).toContain("No run has reported a balance yet.");
  });

  it("speaks German", async () => {
    const out = text(await html(TrialBalance, { run: run() }, "de"));
    expect(out).toContain("0,00 $ Summenprobe Ausgeglichen");
    expect(out).toContain("Plattformerlöse -40,00 $");
  });
});

describe("the runs table", () => {
  it("shows counts, amounts, skipped reasons and errors of each run", async () => {
    const out = await html(RunsTable, {
      runs: [
        run({
          id: "run_2",
          finishedAt: null,
          state: "running",
          skipped: [
            { channelId: "ch_b", reason: "below_minimum", balanceCents: 250 },
            { channelId: "ch_a", reason: "no_account", balanceCents: 1200 },
            { channelId: "ch_c", reason: "below_minimum", balanceCents: 500 },
          ],
        }),
        run({
          state: "failed",
          finishedAt: null,
          error: "Stripe unavailable",
          paidCount: 1234,
          paidCents: 123456,
        }),
      ],
    });
    const rows = rowsOf(out, "payout-run");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("Still running");
    expect(rows[0]).toContain("Running");
    expect(rows[0]).toContain("No payout account: 1 ($12.00)");
    expect(rows[0]).toContain("Below the minimum: 2 ($7.50)");
    expect(rows[0]).toContain("3 channels");
    expect(rows[1]).toContain("Failed Error: Stripe unavailable");
    expect(rows[1]).not.toContain("Still running");
    expect(rows[1]).toContain("Did not finish");
    expect(rows[1]).toContain("1,234 · $1,234.56");
    expect(rows[1]).toContain("None");
  });
});

describe("the creator's tables", () => {
  it("lists periods newest first under the open month's estimate", async () => {
    const out = await html(EarningsTable, {
      rows: [
        {
          period: "2026-11",
          adsCents: 1000,
          premiumCents: 234,
          totalCents: 1234,
          paidCents: 1000,
          pendingCents: 234,
        },
        { period: "2026-10", adsCents: 5, premiumCents: 0, totalCents: 5, paidCents: 5, pendingCents: 0 },
      ],
      estimate: {
        period: "2026-12",
        adsCents: 300,
        premiumCents: 20,
        totalCents: 320,
        paidCents: 0,
        estimate: true,
      },
    });
    const rows = [...rowsOf(out, "earnings-estimate"), ...rowsOf(out, "earnings-row")];
    expect(out.indexOf("earnings-estimate")).toBeLessThan(out.indexOf("earnings-row"));
    expect(rows).toEqual([
      "Dec 2026 (estimate) $3.00 $0.20 $3.20 $0.00 Estimate",
      "Nov 2026 $10.00 $2.34 $12.34 $10.00 $2.34",
      "Oct 2026 $0.05 $0.00 $0.05 $0.05 $0.00",
    ]);
  });

  it("shows totals and the estimate's split", async () => {
    const out = text(
      await html(EarningsSummary, {
        page: {
          currency: "usd",
          totals: { earnedCents: 123456, paidCents: 100000, pendingCents: 23456 },
          estimate: { period: "2026-12", adsCents: 300, premiumCents: 20 },
        },
      }),
    );
    expect(out).toContain("Earned $1,234.56");
    expect(out).toContain("Paid $1,000.00");
    expect(out).toContain("Not paid yet $234.56");
    expect(out).toContain("This month so far $3.20 Estimate for December 2026: $3.00 ads, $0.20 premium");
  });

  it("lists payouts with their state, transfer and failure, or says there are none", async () => {
    const payout: Payout = {
      id: "po_1",
      period: "2026-11",
      amountCents: 1500,
      currency: "usd",
      state: "failed",
      stripeTransferId: null,
      failure: "account closed",
      updatedAt: Date.UTC(2026, 11, 2),
    };
    const list = {
      items: [
        payout,
        {
          ...payout,
          id: "po_0",
          period: "2026-10",
          state: "paid" as const,
          stripeTransferId: "tr_1",
          failure: null,
        },
      ],
      last: undefined,
      error: null,
      loading: false,
      hasMore: false,
      loadMore: () => {},
      reload: () => {},
      refresh: () => {},
      setItems: () => {},
    };
    const rows = rowsOf(await html(PayoutHistory, { list }), "payout-row");
    // The last change is in the viewer's time zone: only its presence is checked.
    expect(rows[0]).toMatch(/^Nov 2026 \$15\.00 Failed account closed \w{3} \d/);
    expect(rows[1]).toMatch(/^Oct 2026 \$15\.00 Paid tr_1 \w{3} \d/);
    const none = text(await html(PayoutHistory, { list: { ...list, items: [] } }));
    expect(none).toContain("No payouts yet");
  });
});
