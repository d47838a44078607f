/**
 * Daily rollups of the ad facts (docs/ads.md, "Revenue facts and rollups"): per campaign
 * (`ad_campaign_daily`: impressions, each tracking event, spend) and per channel of the content the
 * ads ran before (`ad_channel_daily`: impressions and revenue, what the payouts issue reads).
 *
 * Run by the cron: each run recomputes the last ROLLUP_DAYS (7) UTC days, today included, from the
 * facts, wholesale, so it is idempotent and a missed or repeated run is harmless. Facts of a day keep
 * arriving after it: the campaign objects flush on an alarm, a session's quartiles trail its
 * impression, and an object whose D1 flush fails keeps its facts and retries every 30 s, for as
 * long as D1 refuses. Seven days covers an outage of D1 (or a stuck object) of about six days at the
 * cost of reading a week of facts every 30 minutes; a fact landing later than that (it keeps its own
 * day) needs a manual run for its day: `rollupAdStats(env, <a time on that day>)` recomputes it.
 * The facts carry no time of arrival, so "every day that received facts since the last run" cannot
 * be asked of them without a new column.
 *
 * The whole recompute is one D1 batch (one transaction): the deletes and the INSERT … SELECTs read
 * one snapshot of the facts, and a report never sees a day half rebuilt.
 */
import { and, count, inArray, isNotNull, type SQL, sql, sum } from "drizzle-orm";
import { createDb } from "../db/client";
import { type AdEventType, adCampaignDaily, adChannelDaily, adEvents, adImpressions } from "../db/schema";

const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) of `ms`. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** How many UTC days, today included, each run recomputes (see above for why 7). */
export const ROLLUP_DAYS = 7;

/** The days a run at `scheduledTime` recomputes: the last ROLLUP_DAYS UTC days, oldest first. */
export const rollupDays = (scheduledTime: number) =>
  Array.from({ length: ROLLUP_DAYS }, (_, i) => utcDay(scheduledTime - (ROLLUP_DAYS - 1 - i) * DAY_MS));

/** Sessions of the group that have an event of `type` (ad_events has one row per session and type). */
// Raw SQL because drizzle has no conditional aggregate; the type is a bound parameter.
const countOf = (type: AdEventType): SQL<number> =>
  sql<number>`sum(${adEvents.type} = ${type})`.mapWith(Number);

/** `excluded.<column>`: the value the INSERT … SELECT proposed for a row that already existed. */
// Raw SQL because drizzle names no `excluded` pseudo-table; the column names come from the schema.
const excluded = (column: { name: string }) => sql.raw(`excluded."${column.name}"`);

export async function rollupAdStats(env: Env, scheduledTime: number): Promise<{ days: string[] }> {
  const db = createDb(env.DB);
  const days = rollupDays(scheduledTime);
  // A constant column: INSERT … SELECT needs every column of the table, in order, from each half.
  const zero = (name: string) => sql<number>`0`.as(name);
  const impressionsByCampaign = db
    .select({
      day: adImpressions.day,
      campaignId: adImpressions.campaignId,
      impressions: count().as("impressions"),
      starts: zero("starts"),
      firstQuartiles: zero("firstQuartiles"),
      midpoints: zero("midpoints"),
      thirdQuartiles: zero("thirdQuartiles"),
      completes: zero("completes"),
      clicks: zero("clicks"),
      spendMillicents: sum(adImpressions.priceMillicents).mapWith(Number).as("spendMillicents"),
    })
    .from(adImpressions)
    .where(inArray(adImpressions.day, days))
    .groupBy(adImpressions.campaignId, adImpressions.day);
  const eventsByCampaign = db
    .select({
      day: adEvents.day,
      campaignId: adEvents.campaignId,
      impressions: zero("impressions"),
      starts: countOf("start").as("starts"),
      firstQuartiles: countOf("firstQuartile").as("firstQuartiles"),
      midpoints: countOf("midpoint").as("midpoints"),
      thirdQuartiles: countOf("thirdQuartile").as("thirdQuartiles"),
      completes: countOf("complete").as("completes"),
      clicks: countOf("click").as("clicks"),
      spendMillicents: zero("spendMillicents"),
    })
    .from(adEvents)
    .where(inArray(adEvents.day, days))
    .groupBy(adEvents.campaignId, adEvents.day);
  const revenueByChannel = db
    .select({
      day: adImpressions.day,
      // Narrowed by the WHERE below (facts of a VAST request without content have no channel).
      channelId: sql<string>`${adImpressions.channelId}`.as("channelId"),
      impressions: count().as("impressions"),
      revenueMillicents: sum(adImpressions.priceMillicents).mapWith(Number).as("revenueMillicents"),
    })
    .from(adImpressions)
    .where(and(inArray(adImpressions.day, days), isNotNull(adImpressions.channelId)))
    .groupBy(adImpressions.channelId, adImpressions.day);

  const c = adCampaignDaily;
  await db.batch([
    db.delete(adCampaignDaily).where(inArray(adCampaignDaily.day, days)),
    db.insert(adCampaignDaily).select(impressionsByCampaign),
    // A campaign/day with events but no impression (the quartiles of a session billed yesterday
    // arriving today) gets its own row; one with both gets the event counts added to it.
    db
      .insert(adCampaignDaily)
      .select(eventsByCampaign)
      .onConflictDoUpdate({
        target: [c.campaignId, c.day],
        set: {
          starts: excluded(c.starts),
          firstQuartiles: excluded(c.firstQuartiles),
          midpoints: excluded(c.midpoints),
          thirdQuartiles: excluded(c.thirdQuartiles),
          completes: excluded(c.completes),
          clicks: excluded(c.clicks),
        },
      }),
    db.delete(adChannelDaily).where(inArray(adChannelDaily.day, days)),
    db.insert(adChannelDaily).select(revenueByChannel),
  ]);
  return { days };
}
