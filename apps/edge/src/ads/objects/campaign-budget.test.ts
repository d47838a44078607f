/**
 * The campaign object when its config changes under it: a lowered budget against reservations
 * already held, configs pushed out of order, and the budget_spent mirror in D1 around a raise.
 */
import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import type { Db } from "../../db/client";
import { adCampaigns } from "../../db/schema";
import { newId } from "../../lib/ids";
import { campaignObject, configOf, endSeededCampaigns, seedAdvertiserCampaign } from "../test-utils";
import type { CampaignConfig, ReserveInput } from "../types";
import type { AdCampaign } from "./campaign";
import { flushOutbox } from "./campaign-facts";

afterEach(endSeededCampaigns);

const session = (priceMillicents: number): ReserveInput => ({
  sessionId: newId("ads"),
  priceMillicents,
  creativeVideoId: "vid_creative",
  videoId: "vid_content",
  channelId: "ch_content",
  viewerKey: `profile:${newId("p")}`,
});

const rowOf = async (campaignId: string) =>
  (await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaignId)))[0];

/** Writes the D1 row (as the campaign API does, with a later updated_at) and answers its config. */
async function writeRow(
  campaignId: string,
  change: Partial<typeof adCampaigns.$inferInsert>,
): Promise<CampaignConfig> {
  const before = await rowOf(campaignId);
  const [row] = await testDb()
    .update(adCampaigns)
    .set({ ...change, updatedAt: (before?.updatedAt ?? 0) + 1_000 })
    .where(eq(adCampaigns.id, campaignId))
    .returning();
  if (!row) throw new Error("no row");
  return configOf(row);
}

describe("AdCampaign under config changes", () => {
  it("a lowered total budget: a held reservation that no longer fits bills nothing, and nothing else counts for it", async () => {
    const { campaignId, config } = await seedAdvertiserCampaign({ totalBudgetCents: 10, cpmBidCents: 4_000 });
    const obj = campaignObject(campaignId);
    const [a, b] = [session(4_000), session(4_000)];
    expect((await obj.reserve(a)).ok).toBe(true);
    expect((await obj.reserve(b)).ok).toBe(true);
    await obj.configure({ ...config, totalBudgetCents: 5 }); // 5,000 millicents: room for one
    expect(await obj.track(a.sessionId, ["impression"])).toEqual({ counted: ["impression"] });
    expect(await obj.track(b.sessionId, ["impression", "start"])).toEqual({ counted: [] });
    expect(await obj.track(b.sessionId, ["impression", "complete"])).toEqual({ counted: [] });
    expect(await obj.spend()).toMatchObject({
      impressions: 1,
      spentMillicents: 4_000,
      reservedMillicents: 0,
    });
  });

  it("a lowered daily budget: a held reservation past today's new budget bills nothing", async () => {
    const { campaignId, config } = await seedAdvertiserCampaign({
      totalBudgetCents: 1_000,
      dailyBudgetCents: 10,
      cpmBidCents: 4_000,
    });
    const obj = campaignObject(campaignId);
    const [a, b] = [session(4_000), session(4_000)];
    expect((await obj.reserve(a)).ok).toBe(true);
    expect((await obj.reserve(b)).ok).toBe(true);
    await obj.configure({ ...config, dailyBudgetCents: 5 });
    expect(await obj.track(a.sessionId, ["impression"])).toEqual({ counted: ["impression"] });
    expect(await obj.track(b.sessionId, ["impression"])).toEqual({ counted: [] });
    expect(await obj.spend()).toMatchObject({ todayMillicents: 4_000, reservedMillicents: 0 });
  });

  it("configure ignores a config older than the stored one (pushes landing out of order)", async () => {
    const { campaignId, config } = await seedAdvertiserCampaign({ configure: false });
    const obj = campaignObject(campaignId);
    const t = config.updatedAt ?? Date.now();
    await obj.configure({ ...config, status: "paused", updatedAt: t + 2_000 });
    expect(await obj.configure({ ...config, status: "active", updatedAt: t + 1_000 })).toMatchObject({
      status: "paused",
    });
    expect(await obj.reserve(session(100))).toEqual({ ok: false, reason: "not_running" });
    // A newer one still applies.
    await obj.configure({ ...config, status: "active", updatedAt: t + 3_000 });
    expect((await obj.reserve(session(100))).ok).toBe(true);
  });

  it("an active row pushed after budget_spent reached D1 (a raise too small) puts budget_spent in D1 again", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ totalBudgetCents: 1, cpmBidCents: 400 });
    const obj = campaignObject(campaignId);
    for (const s of [session(400), session(400)]) {
      await obj.reserve(s);
      await obj.track(s.sessionId, ["impression"]);
    }
    await obj.flush();
    expect(await rowOf(campaignId)).toMatchObject({ status: "budget_spent" });
    // The advertiser resumes with a budget that still has no room for an impression at the bid.
    const raised = await writeRow(campaignId, { status: "active", totalBudgetCents: 1 });
    expect(await obj.configure(raised)).toMatchObject({ status: "budget_spent" });
    await obj.flush();
    expect(await rowOf(campaignId)).toMatchObject({ status: "budget_spent" });
  });

  it("a flush in flight during a budget raise neither puts D1 back to budget_spent nor marks it written", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ totalBudgetCents: 1, cpmBidCents: 400 });
    const obj = campaignObject(campaignId);
    for (const s of [session(400), session(400)]) {
      await obj.reserve(s);
      await obj.track(s.sessionId, ["impression"]);
    }
    expect(await obj.spend()).toMatchObject({ status: "budget_spent" });
    await runInDurableObject(obj, async (instance: AdCampaign, state) => {
      const sql = state.storage.sql;
      const stored = JSON.parse(sql.exec<{ body: string }>("SELECT body FROM config").one().body);
      const db = testDb();
      // While the flush waits on D1, the API raises the budget: its row write and its push land first.
      const racing = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop !== "batch") return Reflect.get(target, prop, receiver);
          return async (queries: Parameters<Db["batch"]>[0]) => {
            await instance.configure(
              await writeRow(campaignId, { status: "active", totalBudgetCents: 100, dailyBudgetCents: 100 }),
            );
            return target.batch(queries);
          };
        },
      });
      await flushOutbox(sql, racing, stored, "budget_spent");
      expect(sql.exec("SELECT status_flushed FROM totals").one().status_flushed).toBeNull();
    });
    expect(await rowOf(campaignId)).toMatchObject({ status: "active", spentMillicents: 800 });
    expect(await obj.spend()).toMatchObject({ status: "active" });
    expect((await obj.reserve(session(400))).ok).toBe(true);
  });
});
