import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount } from "../../test/harness";
import {
  type CampaignJson,
  campaignPath,
  createCampaign,
  insertEvents,
  insertImpression,
  seedAdvertiserAccount,
} from "./campaign-fixtures";
import { rollupAdStats, utcDay } from "./rollups";

const DAY = 86_400_000;

interface ReportRow {
  day: string;
  impressions: number;
  starts: number;
  firstQuartiles: number;
  midpoints: number;
  thirdQuartiles: number;
  completes: number;
  clicks: number;
  spendMillicents: number;
  spendCents: number;
  ctr: number;
  completionRate: number;
}
interface Report {
  items: ReportRow[];
  totals: Omit<ReportRow, "day">;
}

let advertiser: SeededAccount;
let rival: SeededAccount;
let campaign: CampaignJson;

beforeAll(async () => {
  [advertiser, rival] = await Promise.all([
    seedAdvertiserAccount("rptadv"),
    seedAdvertiserAccount("rptrival"),
  ]);
  campaign = await createCampaign(advertiser);
});

const report = (query = "", token = advertiser.accessToken) =>
  api(campaignPath(campaign.id, `/report${query}`), { token });

describe("a campaign's report", () => {
  it("shows rolled-up past days and live yesterday and today, with totals, CTR and completion rate", async () => {
    const now = Date.now();
    const [today, yesterday, fiveAgo] = [utcDay(now), utcDay(now - DAY), utcDay(now - 5 * DAY)];
    // Five days ago: facts, rolled up by a run on that day.
    const old = await insertImpression(campaign.id, fiveAgo, 1_500);
    await insertEvents(campaign.id, old, fiveAgo, ["start", "complete"]);
    await rollupAdStats(env, now - 5 * DAY);
    // Yesterday and today: facts only, no rollup run yet.
    await insertImpression(campaign.id, yesterday, 250);
    for (const price of [250, 300, 310, 2]) {
      const s = await insertImpression(campaign.id, today, price);
      await insertEvents(
        campaign.id,
        s,
        today,
        price === 2 ? ["start"] : ["start", "firstQuartile", "complete"],
      );
    }
    const s = await insertImpression(campaign.id, today, 1_000);
    await insertEvents(campaign.id, s, today, ["start", "click"]);

    const res = await report();
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as Report;
    expect(body.items).toHaveLength(14);
    expect(body.items.map((i) => i.day).at(-1)).toBe(today);
    expect(body.items[0]?.day).toBe(utcDay(now - 13 * DAY));
    const byDay = Object.fromEntries(body.items.map((i) => [i.day, i]));
    expect(byDay[fiveAgo]).toMatchObject({
      impressions: 1,
      starts: 1,
      completes: 1,
      spendMillicents: 1_500,
      spendCents: 1,
    });
    expect(byDay[yesterday]).toMatchObject({
      impressions: 1,
      starts: 0,
      spendMillicents: 250,
      spendCents: 0,
      ctr: 0,
    });
    expect(byDay[today]).toEqual({
      day: today,
      impressions: 5,
      starts: 5,
      firstQuartiles: 3,
      midpoints: 0,
      thirdQuartiles: 0,
      completes: 3,
      clicks: 1,
      spendMillicents: 1_862,
      spendCents: 1,
      ctr: 0.2,
      completionRate: 0.6,
    });
    expect(byDay[utcDay(now - 2 * DAY)]).toMatchObject({ impressions: 0, ctr: 0, completionRate: 0 });
    expect(body.totals).toEqual({
      impressions: 7,
      starts: 6,
      firstQuartiles: 3,
      midpoints: 0,
      thirdQuartiles: 0,
      completes: 4,
      clicks: 1,
      spendMillicents: 3_612,
      spendCents: 3,
      ctr: 1 / 7,
      completionRate: 4 / 7,
    });
    // A narrower range: only those days.
    const narrow = (await (await report(`?from=${fiveAgo}&to=${fiveAgo}`)).json()) as Report;
    expect(narrow.items.map((i) => i.day)).toEqual([fiveAgo]);
    expect(narrow.totals.impressions).toBe(1);
  });

  it("refuses ranges backwards, longer than 92 days or malformed, and other advertisers", async () => {
    expect((await report("?from=2026-02-01&to=2026-01-01")).status).toBe(400);
    expect((await report("?from=2026-01-01&to=2026-04-03")).status).toBe(400);
    expect((await report("?from=2026-01-01&to=2026-04-02")).status).toBe(200);
    expect((await report("?from=2026-13-01")).status).toBe(400);
    expect((await report("?from=yesterday")).status).toBe(400);
    expect((await report("", rival.accessToken)).status).toBe(404);
    const ok = await apiJson<Report>(
      campaignPath(campaign.id, "/report?from=2026-01-01&to=2026-04-02"),
      200,
      {
        token: advertiser.accessToken,
      },
    );
    expect(ok.items).toHaveLength(92);
  });
});
