import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { adCampaignDaily, adChannelDaily } from "../db/schema";
import { newId } from "../lib/ids";
import { insertEvents, insertImpression } from "./campaign-fixtures";
import { ROLLUP_DAYS, rollupAdStats, rollupDays, utcDay } from "./rollups";

const DAY = 86_400_000;

const campaignRows = (ids: string[]) =>
  testDb().select().from(adCampaignDaily).where(inArray(adCampaignDaily.campaignId, ids));
const channelRows = (ids: string[]) =>
  testDb().select().from(adChannelDaily).where(inArray(adChannelDaily.channelId, ids));
const byKey = <T extends { day: string }>(rows: T[], key: (r: T) => string) =>
  Object.fromEntries(rows.map((r) => [`${key(r)}@${r.day}`, r]));

describe("daily rollups of the ad facts", () => {
  // A day of its own, far from the other tests' facts (which are today's).
  const at = Date.parse("2021-03-10T03:00:00Z");
  const window = rollupDays(at);
  const [yesterday, today] = window.slice(-2);

  it("recomputes the last seven days per campaign and per channel from the facts, idempotently", async () => {
    expect(window).toEqual([
      "2021-03-04",
      "2021-03-05",
      "2021-03-06",
      "2021-03-07",
      "2021-03-08",
      "2021-03-09",
      "2021-03-10",
    ]);
    const [a, b] = [newId("cmp"), newId("cmp")];
    const [x, y] = [newId("chn"), newId("chn")];
    const s1 = await insertImpression(a, today as string, 200, x);
    const s2 = await insertImpression(a, today as string, 250, x);
    const s3 = await insertImpression(a, today as string, 300, null);
    const s4 = await insertImpression(a, yesterday as string, 180, y);
    await insertEvents(a, s1, today as string, [
      "start",
      "firstQuartile",
      "midpoint",
      "thirdQuartile",
      "complete",
      "click",
    ]);
    await insertEvents(a, s2, today as string, ["start", "firstQuartile"]);
    await insertEvents(a, s3, today as string, ["start"]);
    // The session billed yesterday completes after midnight: today's event, yesterday's impression.
    await insertEvents(a, s4, yesterday as string, ["start"]);
    await insertEvents(a, s4, today as string, ["complete"]);
    // Campaign b only has events today (its impression was billed before the window).
    await insertEvents(b, newId("ads"), today as string, ["click"]);
    // A stale rollup row for today (no facts behind it) and one for an older day, outside the window.
    const older = utcDay(at - ROLLUP_DAYS * DAY);
    await testDb()
      .insert(adCampaignDaily)
      .values([
        { campaignId: b, day: today as string, impressions: 99, spendMillicents: 99_000 },
        { campaignId: a, day: older, impressions: 7, spendMillicents: 1_400 },
      ]);

    for (let run = 0; run < 2; run++) {
      expect(await rollupAdStats(env, at)).toEqual({ days: window });
      const rows = byKey(await campaignRows([a, b]), (r) => r.campaignId);
      expect(rows).toEqual({
        [`${a}@${today}`]: {
          campaignId: a,
          day: today,
          impressions: 3,
          starts: 3,
          firstQuartiles: 2,
          midpoints: 1,
          thirdQuartiles: 1,
          completes: 2,
          clicks: 1,
          spendMillicents: 750,
        },
        [`${a}@${yesterday}`]: {
          campaignId: a,
          day: yesterday,
          impressions: 1,
          starts: 1,
          firstQuartiles: 0,
          midpoints: 0,
          thirdQuartiles: 0,
          completes: 0,
          clicks: 0,
          spendMillicents: 180,
        },
        // Untouched: outside the window.
        [`${a}@${older}`]: expect.objectContaining({ impressions: 7, spendMillicents: 1_400 }),
        // Recomputed from the facts: the stale 99 impressions are gone.
        [`${b}@${today}`]: expect.objectContaining({ impressions: 0, clicks: 1, spendMillicents: 0 }),
      });
      expect(byKey(await channelRows([x, y]), (r) => r.channelId)).toEqual({
        [`${x}@${today}`]: { channelId: x, day: today, impressions: 2, revenueMillicents: 450 },
        [`${y}@${yesterday}`]: { channelId: y, day: yesterday, impressions: 1, revenueMillicents: 180 },
      });
    }

    // New facts arrive (a late flush): the next run counts them.
    await insertImpression(a, today as string, 1, x);
    await rollupAdStats(env, at + 60_000);
    const [row] = await testDb()
      .select()
      .from(adCampaignDaily)
      .where(eq(adCampaignDaily.campaignId, a))
      .orderBy(adCampaignDaily.day);
    expect(row?.day).toBe(older);
    const todays = byKey(await campaignRows([a]), (r) => r.campaignId)[`${a}@${today}`];
    expect(todays).toMatchObject({ impressions: 4, spendMillicents: 751 });
    expect(byKey(await channelRows([x]), (r) => r.channelId)[`${x}@${today}`]).toMatchObject({
      impressions: 3,
      revenueMillicents: 451,
    });
  });

  it("counts facts that arrive days late (a flush held back by a D1 outage), within the seven days", async () => {
    const late = Date.parse("2021-06-20T10:00:00Z");
    const [c, x] = [newId("cmp"), newId("chn")];
    await rollupAdStats(env, late);
    // Five days after their day, an object's retried flush lands an impression and its click.
    const fiveDaysAgo = utcDay(late - 5 * DAY);
    const session = await insertImpression(c, fiveDaysAgo, 300, x);
    await insertEvents(c, session, fiveDaysAgo, ["click"]);
    // Older than the window: left for a manual run of its own day.
    const tooOld = utcDay(late - ROLLUP_DAYS * DAY);
    await insertImpression(c, tooOld, 50, x);
    await rollupAdStats(env, late + 30 * 60_000);
    const rows = byKey(await campaignRows([c]), (r) => r.campaignId);
    expect(rows[`${c}@${fiveDaysAgo}`]).toMatchObject({ impressions: 1, clicks: 1, spendMillicents: 300 });
    expect(rows[`${c}@${tooOld}`]).toBeUndefined();
    expect(byKey(await channelRows([x]), (r) => r.channelId)[`${x}@${fiveDaysAgo}`]).toMatchObject({
      impressions: 1,
      revenueMillicents: 300,
    });
    // The manual rerun for that day.
    await rollupAdStats(env, Date.parse(`${tooOld}T12:00:00Z`));
    expect(byKey(await campaignRows([c]), (r) => r.campaignId)[`${c}@${tooOld}`]).toMatchObject({
      impressions: 1,
      spendMillicents: 50,
    });
  });
});
