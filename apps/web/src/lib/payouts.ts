/**
 * Creator payouts from the browser (docs/payouts.md): the creator's earnings and payouts, Stripe
 * Connect onboarding, and the admins' payout runs. Also the pure pieces the pages use: cents as
 * decimal text, CSV files, period labels and run summaries (unit-tested in payouts.test.ts).
 *
 * The wire types are the generated schema's (api/schema.d.ts, from the edge's route declarations).
 */

import { api, must } from "../api/client";
import type { components } from "../api/schema";
import { toCsv } from "./csv";

// ---- the API's shapes (generated from the edge's routes) ----

type Schemas = components["schemas"];
export type EarningsPage = Schemas["EarningsPage"];
export type EarningsRow = Schemas["EarningPeriod"];
export type Estimate = NonNullable<EarningsPage["estimate"]>;
export type AccountState = EarningsPage["account"]["state"];
export type Payout = Schemas["CreatorPayout"];
export type PayoutsPage = Schemas["CreatorPayoutPage"];
export type PayoutState = Payout["state"];
export type Onboarding = Schemas["PayoutOnboarding"];
export type PayoutRun = Schemas["PayoutRun"];
export type PayoutRunsPage = Schemas["PayoutRunPage"];
export type SkippedChannel = PayoutRun["skipped"][number];
export type SkipReason = SkippedChannel["reason"];

/** Where each reason a run skips a channel comes in the admin page's list (a Record: a new reason must be placed). */
const REASON_RANK: Record<SkipReason, number> = { no_account: 0, payouts_disabled: 1, below_minimum: 2 };
export const SKIP_REASONS: readonly SkipReason[] = (Object.keys(REASON_RANK) as SkipReason[]).sort(
  (a, b) => REASON_RANK[a] - REASON_RANK[b],
);

// ---- the calls ----

const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });

export const payoutsApi = {
  earnings: (cursor?: string, limit = 24) =>
    must(api.GET("/api/v1/me/earnings", { params: { query: withCursor(limit, cursor) } })),
  payouts: (cursor?: string, limit = 50) =>
    must(api.GET("/api/v1/me/payouts", { params: { query: withCursor(limit, cursor) } })),
  onboarding: () => must(api.POST("/api/v1/me/payouts/onboarding")),
  runs: (cursor?: string, limit = 20) =>
    must(api.GET("/api/v1/admin/payouts/runs", { params: { query: withCursor(limit, cursor) } })),
};

/**
 * Every page of a cursor list, for an export: follows `nextCursor` until the end, at most
 * `maxPages` pages (a runaway cursor must not loop forever; the export says when it stopped).
 */
export async function collectAll<T>(
  loadPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 200,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await loadPage(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) return { items, complete: true };
    cursor = answer.nextCursor;
  }
  return { items, complete: false };
}

// ---- money as text: integer cents → decimal dollars, by digits (no float in between) ----

/** Integer cents → decimal dollars: 1234 → "12.34", 7 → "0.07", -5 → "-0.05", 0 → "0.00". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return `${cents < 0 ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// ---- CSV (RFC 4180, lib/csv.ts) ----

export { type CsvValue, csvField, downloadCsv, toCsv } from "./csv";

/**
 * The earnings rows as CSV, one line per period. Headers are stable machine names (not translated:
 * a spreadsheet formula or import that reads them must not break when the UI language changes);
 * amounts are decimal US dollars written from the integer cents.
 */
export function earningsCsv(rows: readonly EarningsRow[]): string {
  return toCsv(
    ["period", "ads_usd", "premium_usd", "total_usd", "paid_usd", "pending_usd"],
    rows.map((r) => [
      r.period,
      centsToDecimal(r.adsCents),
      centsToDecimal(r.premiumCents),
      centsToDecimal(r.totalCents),
      centsToDecimal(r.paidCents),
      centsToDecimal(r.pendingCents),
    ]),
  );
}

/** The payouts as CSV: one line per payout, its last change as an ISO time (UTC). */
export function payoutsCsv(payouts: readonly Payout[]): string {
  return toCsv(
    ["payout_id", "period", "amount", "currency", "state", "stripe_transfer_id", "failure", "updated_at"],
    payouts.map((p) => [
      p.id,
      p.period,
      centsToDecimal(p.amountCents),
      p.currency.toUpperCase(),
      p.state,
      p.stripeTransferId,
      p.failure,
      new Date(p.updatedAt).toISOString(),
    ]),
  );
}

/** "marquee-earnings-2026-12-06.csv": what it is and the UTC day it was taken. */
export function csvFileName(kind: "earnings" | "payouts", now = Date.now()): string {
  return `marquee-${kind}-${new Date(now).toISOString().slice(0, 10)}.csv`;
}

// ---- periods ----

/** "2026-11" → the month, "2026-11-15" → the day, as a UTC Date and its kind; null for anything else. */
export function periodStart(period: string): { date: Date; kind: "month" | "day" } | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(period);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1));
  const iso = date.toISOString();
  if (iso.slice(0, 7) !== `${m[1]}-${m[2]}` || (m[3] && iso.slice(8, 10) !== m[3])) return null;
  return { date, kind: m[3] ? "day" : "month" };
}

/** A period as people read it: "Nov 2026" / "Nov. 2026", a day as "Nov 15, 2026"; else as given. */
export function periodLabel(period: string, lang: string, month: "short" | "long" = "short"): string {
  const start = periodStart(period);
  if (!start) return period;
  const options: Intl.DateTimeFormatOptions =
    start.kind === "month"
      ? { month, year: "numeric", timeZone: "UTC" }
      : { month, day: "numeric", year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang, options).format(start.date);
}

// ---- what the earnings page draws ----

/** One bar group of the chart: a closed period, or the open month's estimate (nothing paid yet). */
export interface ChartPoint {
  period: string;
  adsCents: number;
  premiumCents: number;
  totalCents: number;
  paidCents: number;
  estimate: boolean;
}

/**
 * The chart's points, oldest first (the API lists newest first): each period's ads, premium, total
 * and paid, then this month's estimate when there is one and it is not already a listed period.
 */
export function chartPoints(rows: readonly EarningsRow[], estimate: Estimate | null): ChartPoint[] {
  const points: ChartPoint[] = [...rows]
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((r) => ({
      period: r.period,
      adsCents: r.adsCents,
      premiumCents: r.premiumCents,
      totalCents: r.totalCents,
      paidCents: r.paidCents,
      estimate: false,
    }));
  if (estimate && !points.some((p) => p.period === estimate.period))
    points.push({
      period: estimate.period,
      adsCents: estimate.adsCents,
      premiumCents: estimate.premiumCents,
      totalCents: estimate.adsCents + estimate.premiumCents,
      paidCents: 0,
      estimate: true,
    });
  return points;
}

/** Whether there is anything to show yet: a closed period, money earned, or a non-zero estimate. */
export function hasEarnings(page: Pick<EarningsPage, "items" | "totals" | "estimate">): boolean {
  const estimate = page.estimate ? page.estimate.adsCents + page.estimate.premiumCents : 0;
  return page.items.length > 0 || page.totals.earnedCents > 0 || page.totals.paidCents > 0 || estimate > 0;
}

/** The onboarding button the page shows for an account state: set up, finish, or none (enabled). */
export function onboardingStep(state: AccountState): "setup" | "finish" | null {
  return state === "none" ? "setup" : state === "pending" ? "finish" : null;
}

/**
 * Where the onboarding answer may send the browser: an http(s) URL (Stripe's hosted onboarding, or
 * the payments sandbox locally), never a `javascript:` or `data:` one. Null when it is not one.
 */
export function onboardingTarget(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** How a payout's state is drawn (StatusChip tone). */
export const PAYOUT_STATE_TONE = {
  pending: "neutral",
  submitting: "info",
  paid: "success",
  failed: "danger",
} as const satisfies Record<PayoutState, string>;

/** How a run's state is drawn. */
export const RUN_STATE_TONE = {
  running: "info",
  finished: "success",
  failed: "danger",
} as const satisfies Record<PayoutRun["state"], string>;

// ---- what the admin page draws ----

/** A run's skipped channels per reason: how many and the balance they carry over, in reason order. */
export function skipSummary(
  skipped: readonly SkippedChannel[],
): { reason: SkipReason; count: number; balanceCents: number }[] {
  return SKIP_REASONS.map((reason) => {
    const of = skipped.filter((s) => s.reason === reason);
    return { reason, count: of.length, balanceCents: of.reduce((sum, s) => sum + s.balanceCents, 0) };
  }).filter((s) => s.count > 0);
}

/** The ledger's balances per account kind, in a fixed order (known kinds first, then the rest by name). */
export function balanceRows(balances: Readonly<Record<string, number>>): { kind: string; cents: number }[] {
  const known = ["platform_revenue", "channel_payable", "payouts_in_transit", "stripe_clearing"];
  const rank = (kind: string) => {
    const i = known.indexOf(kind);
    return i === -1 ? known.length : i;
  };
  return Object.entries(balances)
    .map(([kind, cents]) => ({ kind, cents }))
    .sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind));
}

/** The run whose trial balance the admin page shows: the newest (the API lists newest first). */
export function latestRun(runs: readonly PayoutRun[]): PayoutRun | null {
  let latest: PayoutRun | null = null;
  for (const run of runs) if (!latest || run.startedAt > latest.startedAt) latest = run;
  return latest;
}
