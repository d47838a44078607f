/**
 * A campaign's daily report (docs/ads.md): impressions, tracking events, clicks and spend per UTC
 * day. Days before yesterday come from the rollup (`ad_campaign_daily`, rewritten for the last seven
 * days by every cron run, so a late fact shows within 30 minutes: rollups.ts); yesterday and today
 * are aggregated live from the facts, so the advertiser sees an impression the moment its campaign
 * object has flushed it, without waiting for the cron.
 */
import { and, count, eq, gte, lte, sum } from "drizzle-orm";
import { adCampaignDaily, adEvents, adImpressions } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import { loadOwnCampaign } from "./campaigns";
import { utcDay } from "./rollups";
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, type ReportQuery } from "./schemas";

const DAY_MS = 86_400_000;

interface Counts {
  impressions: number;
  starts: number;
  firstQuartiles: number;
  midpoints: number;
  thirdQuartiles: number;
  completes: number;
  clicks: number;
  spendMillicents: number;
}

const EVENT_FIELD = {
  start: "starts",
  firstQuartile: "firstQuartiles",
  midpoint: "midpoints",
  thirdQuartile: "thirdQuartiles",
  complete: "completes",
  click: "clicks",
} as const satisfies Record<string, keyof Counts>;

const empty = (): Counts => ({
  impressions: 0,
  starts: 0,
  firstQuartiles: 0,
  midpoints: 0,
  thirdQuartiles: 0,
  completes: 0,
  clicks: 0,
  spendMillicents: 0,
});

/** A ratio of counts, 0 without impressions, never above 1 (a click can come without a billed impression). */
const rate = (part: number, impressions: number) => (impressions > 0 ? Math.min(1, part / impressions) : 0);

const withRates = (c: Counts) => ({
  ...c,
  spendCents: Math.floor(c.spendMillicents / 1000),
  ctr: rate(c.clicks, c.impressions),
  completionRate: rate(c.completes, c.impressions),
});

const invalidRange = (message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "query.from", message }],
  });

/** The report's days: `to` (default today) back to `from` (default 14 days), at most 92, inclusive. */
export function reportDays(query: ReportQuery, now = Date.now()): string[] {
  const to = query.to ?? utcDay(now);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const from = query.from ?? utcDay(toMs - (DEFAULT_REPORT_DAYS - 1) * DAY_MS);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  if (fromMs > toMs) throw invalidRange("`from` is on or before `to`");
  const n = Math.round((toMs - fromMs) / DAY_MS) + 1;
  if (n > MAX_REPORT_DAYS) throw invalidRange(`At most ${MAX_REPORT_DAYS} days`);
  return Array.from({ length: n }, (_, i) => utcDay(fromMs + i * DAY_MS));
}

/** Live counts per day from the facts, for days `from`..`to`. */
async function fromFacts(s: Services, campaignId: string, from: string, to: string) {
  const [impressions, events] = await Promise.all([
    s.db
      .select({
        day: adImpressions.day,
        n: count(),
        spend: sum(adImpressions.priceMillicents).mapWith(Number),
      })
      .from(adImpressions)
      .where(
        and(
          eq(adImpressions.campaignId, campaignId),
          gte(adImpressions.day, from),
          lte(adImpressions.day, to),
        ),
      )
      .groupBy(adImpressions.day),
    s.db
      .select({ day: adEvents.day, type: adEvents.type, n: count() })
      .from(adEvents)
      .where(and(eq(adEvents.campaignId, campaignId), gte(adEvents.day, from), lte(adEvents.day, to)))
      .groupBy(adEvents.day, adEvents.type),
  ]);
  const byDay = new Map<string, Counts>();
  const at = (day: string): Counts => {
    let c = byDay.get(day);
    if (!c) {
      c = empty();
      byDay.set(day, c);
    }
    return c;
  };
  for (const r of impressions) {
    const c = at(r.day);
    c.impressions = r.n;
    c.spendMillicents = r.spend ?? 0;
  }
  for (const r of events) at(r.day)[EVENT_FIELD[r.type]] = r.n;
  return byDay;
}

async function fromRollups(s: Services, campaignId: string, from: string, to: string) {
  const t = adCampaignDaily;
  const rows = await s.db
    .select()
    .from(t)
    .where(and(eq(t.campaignId, campaignId), gte(t.day, from), lte(t.day, to)));
  return new Map(rows.map(({ day, campaignId: _c, ...counts }) => [day, counts]));
}

/** GET /ads/campaigns/{id}/report. */
export async function campaignReport(s: Services, actor: Actor, campaignId: string, query: ReportQuery) {
  const campaign = await loadOwnCampaign(s, actor, campaignId);
  const days = reportDays(query);
  const first = days[0] as string;
  const last = days[days.length - 1] as string;
  // Yesterday onwards is live (its facts may still be arriving); before that, the rollup.
  const liveFrom = utcDay(Date.now() - DAY_MS);
  const [rolled, live] = await Promise.all([
    first < liveFrom
      ? fromRollups(s, campaign.id, first, last < liveFrom ? last : prevDay(liveFrom))
      : new Map<string, Counts>(),
    last >= liveFrom
      ? fromFacts(s, campaign.id, [first, liveFrom].sort()[1] as string, last)
      : new Map<string, Counts>(),
  ]);
  const totals = empty();
  const items = days.map((day) => {
    const c = (day >= liveFrom ? live.get(day) : rolled.get(day)) ?? empty();
    for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += c[k];
    return { day, ...withRates(c) };
  });
  return { items, totals: withRates(totals) };
}

const prevDay = (day: string) => utcDay(Date.parse(`${day}T00:00:00Z`) - DAY_MS);
