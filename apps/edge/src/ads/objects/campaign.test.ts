import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { adCampaigns, adEvents, adImpressions } from "../../db/schema";
import { newId } from "../../lib/ids";
import { campaignObject, endSeededCampaigns, seedAdvertiserCampaign, updateCampaign } from "../test-utils";
import type { ReserveInput } from "../types";

afterEach(endSeededCampaigns);

const session = (priceMillicents: number, extra: Partial<ReserveInput> = {}): ReserveInput => ({
  sessionId: newId("ads"),
  priceMillicents,
  creativeVideoId: "vid_creative",
  videoId: "vid_content",
  channelId: "ch_content",
  viewerKey: `profile:${newId("p")}`,
  ...extra,
});

/** Makes every held reservation of the object lapse now (as if ADS_RESERVATION_SECONDS passed). */
const expireHeld = (stub: ReturnType<typeof campaignObject>) =>
  runInDurableObject(stub, (_o, state) => {
    state.storage.sql.exec("UPDATE sessions SET expires_at = ? WHERE state = 'held'", Date.now() - 1);
  });

const impressionsOf = (campaignId: string) =>
  testDb().select().from(adImpressions).where(eq(adImpressions.campaignId, campaignId));

describe("AdCampaign", () => {
  it("configure answers the spend; reserve holds money that track bills once", async () => {
    const { campaignId, config } = await seedAdvertiserCampaign({ configure: false, cpmBidCents: 400 });
    const obj = campaignObject(campaignId);
    expect(await obj.configure(config)).toEqual({
      status: "active",
      impressions: 0,
      spentMillicents: 0,
      todayMillicents: 0,
      reservedMillicents: 0,
    });
    const s = session(250);
    const held = await obj.reserve(s);
    expect(held.ok).toBe(true);
    expect(await obj.spend()).toMatchObject({ reservedMillicents: 250, spentMillicents: 0 });
    expect(await obj.track(s.sessionId, ["impression", "start"])).toEqual({
      counted: ["impression", "start"],
    });
    expect(await obj.spend()).toMatchObject({
      impressions: 1,
      spentMillicents: 250,
      todayMillicents: 250,
      reservedMillicents: 0,
    });
  });

  it("a replayed impression bills once; events count once each and only after the impression", async () => {
    const { campaignId } = await seedAdvertiserCampaign();
    const obj = campaignObject(campaignId);
    const s = session(200);
    await obj.reserve(s);
    expect(await obj.track(s.sessionId, ["start", "midpoint"])).toEqual({ counted: [] });
    expect(await obj.track(s.sessionId, ["impression"])).toEqual({ counted: ["impression"] });
    const replays = await Promise.all(
      Array.from({ length: 10 }, () => obj.track(s.sessionId, ["impression", "start"])),
    );
    expect(replays.flatMap((r) => r.counted)).toEqual(["start"]);
    expect(await obj.track(s.sessionId, ["midpoint", "midpoint", "complete"])).toEqual({
      counted: ["midpoint", "complete"],
    });
    expect(await obj.spend()).toMatchObject({ impressions: 1, spentMillicents: 200 });
  });

  it("an impression for an unknown session or another campaign's session counts nothing", async () => {
    const a = await seedAdvertiserCampaign();
    const b = await seedAdvertiserCampaign({ advertiser: a.advertiser });
    const s = session(150);
    expect((await campaignObject(a.campaignId).reserve(s)).ok).toBe(true);
    expect(await campaignObject(b.campaignId).track(s.sessionId, ["impression", "click"])).toEqual({
      counted: [],
    });
    expect(await campaignObject(a.campaignId).track(newId("ads"), ["impression"])).toEqual({ counted: [] });
    expect(await campaignObject(b.campaignId).spend()).toMatchObject({ impressions: 0, spentMillicents: 0 });
    expect(await campaignObject(a.campaignId).spend()).toMatchObject({
      impressions: 0,
      reservedMillicents: 150,
    });
  });

  it("a lapsed reservation returns its money, and its late impression bills nothing", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ totalBudgetCents: 1, cpmBidCents: 500 });
    const obj = campaignObject(campaignId);
    const first = session(500);
    expect(await obj.reserve(first)).toMatchObject({ ok: true });
    // 1 cent = 1000 millicents: room for two at 500, not three.
    expect(await obj.reserve(session(500))).toMatchObject({ ok: true });
    expect(await obj.reserve(session(500))).toEqual({ ok: false, reason: "budget" });
    await expireHeld(obj);
    await runDurableObjectAlarm(obj);
    expect(await obj.spend()).toMatchObject({ reservedMillicents: 0, spentMillicents: 0 });
    expect(await obj.track(first.sessionId, ["impression", "start"])).toEqual({ counted: [] });
    expect(await obj.reserve(session(500))).toMatchObject({ ok: true });
  });

  it("release gives the money back at once and is idempotent", async () => {
    const { campaignId } = await seedAdvertiserCampaign();
    const obj = campaignObject(campaignId);
    const s = session(300);
    await obj.reserve(s);
    await obj.release(s.sessionId);
    await obj.release(s.sessionId);
    expect(await obj.spend()).toMatchObject({ reservedMillicents: 0 });
    expect(await obj.track(s.sessionId, ["impression"])).toEqual({ counted: [] });
  });

  it("refuses a campaign that is not running: paused, not started, ended, never configured", async () => {
    const now = Date.now();
    const paused = await seedAdvertiserCampaign({ status: "paused" });
    expect(await campaignObject(paused.campaignId).reserve(session(100))).toEqual({
      ok: false,
      reason: "not_running",
    });
    const later = await seedAdvertiserCampaign({ startsAt: now + 3_600_000 });
    expect((await campaignObject(later.campaignId).reserve(session(100))).ok).toBe(false);
    const over = await seedAdvertiserCampaign({ startsAt: now - 7_200_000, endsAt: now - 1 });
    expect((await campaignObject(over.campaignId).reserve(session(100))).ok).toBe(false);
    expect((await campaignObject(over.campaignId).spend()).status).toBe("ended");
    expect(await campaignObject(newId("cmp")).reserve(session(100))).toEqual({
      ok: false,
      reason: "not_running",
    });
    // Resumed: serves again at once.
    await updateCampaign(paused.campaignId, { status: "active" });
    expect((await campaignObject(paused.campaignId).reserve(session(100))).ok).toBe(true);
  });

  it("the daily budget holds billed plus reserved money of today", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ dailyBudgetCents: 1, cpmBidCents: 400 });
    const obj = campaignObject(campaignId);
    const a = session(400);
    await obj.reserve(a);
    await obj.track(a.sessionId, ["impression"]);
    expect((await obj.reserve(session(400))).ok).toBe(true);
    expect(await obj.reserve(session(400))).toEqual({ ok: false, reason: "daily_budget" });
    expect((await obj.reserve(session(200))).ok).toBe(true);
  });

  it("even pacing refuses beyond the allowance so far today; asap does not", async () => {
    const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    // Started at midnight, ends in two hours (or at the next UTC midnight, which closes today's
    // window first): allowance now = daily × (elapsed + 1 h) ÷ window, capped at the daily budget
    // (100 cents = 100,000 millicents). A bid high enough that one impression could pass it.
    const endsAt = Date.now() + 7_200_000;
    const windowEnd = Math.min(endsAt, midnight + 86_400_000);
    const shape = { dailyBudgetCents: 100, cpmBidCents: 200_000, startsAt: midnight, endsAt };
    const even = await seedAdvertiserCampaign({ ...shape, pacing: "even" });
    const allowance = Math.min(
      100_000,
      Math.floor((100_000 * (Date.now() - midnight + 3_600_000)) / (windowEnd - midnight)),
    );
    const obj = campaignObject(even.campaignId);
    if (allowance >= 100_000 - 100) {
      // The UTC day's last hour: the head start has carried the even line to (nearly) the whole
      // daily budget, so only the daily budget refuses. (This test once left the window unclipped
      // at midnight and failed whenever CI ran after 22:00 UTC.)
      expect((await obj.reserve(session(100_000 - 100))).ok).toBe(true);
      expect(await obj.reserve(session(200))).toEqual({ ok: false, reason: "daily_budget" });
    } else {
      // ±100 millicents: the allowance grows by less than that in the few ms this test takes.
      expect(await obj.reserve(session(allowance + 100))).toEqual({ ok: false, reason: "pacing" });
      expect((await obj.reserve(session(allowance - 100))).ok).toBe(true);
      expect(await obj.reserve(session(200))).toEqual({ ok: false, reason: "pacing" });
    }
    const asap = await seedAdvertiserCampaign({ ...shape, pacing: "asap" });
    expect((await campaignObject(asap.campaignId).reserve(session(100_000))).ok).toBe(true);
  });

  it("spend reaching the total budget makes the campaign budget_spent, here and in D1 after flush", async () => {
    const { campaignId } = await seedAdvertiserCampaign({ totalBudgetCents: 1, cpmBidCents: 400 });
    const obj = campaignObject(campaignId);
    for (const price of [400, 400]) {
      const s = session(price);
      expect((await obj.reserve(s)).ok).toBe(true);
      await obj.track(s.sessionId, ["impression"]);
    }
    // 200 millicents left: less than the bid, so no impression at the bid fits.
    expect(await obj.spend()).toMatchObject({ status: "budget_spent", spentMillicents: 800 });
    expect(await obj.reserve(session(100))).toEqual({ ok: false, reason: "not_running" });
    await obj.flush();
    const [row] = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaignId));
    expect(row).toMatchObject({ status: "budget_spent", spentMillicents: 800 });
  });

  it("flush writes impressions and events to D1 once, however often it runs", async () => {
    const { campaignId, config } = await seedAdvertiserCampaign({ cpmBidCents: 900 });
    const obj = campaignObject(campaignId);
    const sessions = Array.from({ length: 30 }, (_, i) => session(100 + i));
    for (const s of sessions) await obj.reserve(s);
    await Promise.all(sessions.map((s) => obj.track(s.sessionId, ["impression", "start"])));
    await obj.track(sessions[0]?.sessionId as string, ["click"]);
    await Promise.all([obj.flush(), obj.flush()]);
    // Forget that it was flushed: the next flush writes the same facts again, which must change nothing.
    await runInDurableObject(obj, (_o, state) => {
      state.storage.sql.exec("UPDATE sessions SET flushed = 0");
      state.storage.sql.exec("UPDATE events SET flushed = 0");
    });
    await obj.flush();
    const rows = await impressionsOf(campaignId);
    expect(rows).toHaveLength(30);
    const total = sessions.reduce((sum, s) => sum + s.priceMillicents, 0);
    expect(rows.reduce((sum, r) => sum + r.priceMillicents, 0)).toBe(total);
    expect(rows[0]).toMatchObject({
      advertiserAccountId: config.advertiserAccountId,
      channelId: "ch_content",
    });
    const events = await testDb().select().from(adEvents).where(eq(adEvents.campaignId, campaignId));
    expect(events.filter((e) => e.type === "start")).toHaveLength(30);
    expect(events.filter((e) => e.type === "click")).toHaveLength(1);
    const [row] = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaignId));
    expect(row?.spentMillicents).toBe(total);
  });

  it("the alarm flushes pending facts without anyone calling flush", async () => {
    const { campaignId } = await seedAdvertiserCampaign();
    const obj = campaignObject(campaignId);
    const s = session(120);
    await obj.reserve(s);
    await obj.track(s.sessionId, ["impression"]);
    expect(await runDurableObjectAlarm(obj)).toBe(true);
    expect(await impressionsOf(campaignId)).toHaveLength(1);
  });

  it("sessions older than the retention are dropped once flushed", async () => {
    const { campaignId } = await seedAdvertiserCampaign();
    const obj = campaignObject(campaignId);
    const old = session(100);
    await obj.reserve(old);
    await obj.track(old.sessionId, ["impression", "start"]);
    await obj.flush();
    await runInDurableObject(obj, (_o, state) => {
      state.storage.sql.exec("UPDATE sessions SET reserved_at = reserved_at - ?", 4 * 86_400_000);
    });
    await runDurableObjectAlarm(obj);
    const left = await runInDurableObject(obj, (_o, state) => ({
      sessions: state.storage.sql.exec("SELECT id FROM sessions").toArray().length,
      events: state.storage.sql.exec("SELECT session_id FROM events").toArray().length,
    }));
    expect(left).toEqual({ sessions: 0, events: 0 });
    expect(await obj.spend()).toMatchObject({ impressions: 1, spentMillicents: 100 });
  });
});
