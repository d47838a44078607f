import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertCategory, testDb } from "../../test/fixtures";
import { api, apiJson, listAll, type SeededAccount, seedAccount } from "../../test/harness";
import { loadConfig } from "../config";
import { adCampaigns } from "../db/schema";
import type { Services } from "../services";
import {
  attachReadyCreative,
  CAMPAIGN_BODY,
  type CampaignJson,
  campaignPath,
  createCampaign,
  patchCampaign,
  seedAdvertiserAccount,
} from "./campaign-fixtures";
import { writeIfUnchanged } from "./campaigns";
import { campaignObject } from "./test-utils";

let advertiser: SeededAccount;
let rival: SeededAccount;
let viewer: SeededAccount;
let creator: SeededAccount;
let admin: SeededAccount;
let kidsOfAdvertiser: string;

beforeAll(async () => {
  [advertiser, rival, viewer, creator, admin] = await Promise.all([
    seedAccount({
      tag: "cmpadv",
      roles: ["advertiser"],
      channel: true,
      profiles: [{ name: "Kid", maturity: "kids" }],
    }),
    seedAdvertiserAccount("cmprival"),
    seedAccount({ tag: "cmpviewer" }),
    seedAccount({ tag: "cmpcreator", channel: true }),
    seedAccount({ tag: "cmpadmin", roles: ["admin"] }),
  ]);
  kidsOfAdvertiser = advertiser.profiles[1]?.token as string;
});

const post = (token: string | undefined, json: unknown) =>
  api("/api/v1/ads/campaigns", { method: "POST", ...(token ? { token } : {}), json });

/** The problem's field paths; the schema says `json.…`, the service `body.…` (as the rest of the API). */
async function problemPaths(res: Response): Promise<string[]> {
  const body = (await res.json()) as { errors?: { path: string }[] };
  return (body.errors ?? []).map((e) => e.path.replace(/^json(\.|$)/, "body$1"));
}

describe("creating and reading campaigns", () => {
  it("creates a draft with the defaults, configures its object, and reads it back with its spend", async () => {
    const before = Date.now();
    const created = await createCampaign(advertiser);
    expect(created).toMatchObject({
      ...CAMPAIGN_BODY,
      status: "draft",
      pacing: "even",
      endsAt: null,
      targeting: {
        categories: [],
        countries: [],
        languages: [],
        devices: [],
        maxMaturity: "adult",
        excludedChannels: [],
      },
      frequencyCapPerDay: 3,
      kidsSafe: false,
      reviewNote: null,
      creative: null,
      spend: { impressions: 0, spentMillicents: 0, spentCents: 0, todayMillicents: 0 },
    });
    expect(created.id).toMatch(/^cmp_[a-z0-9]+$/);
    expect(Date.parse(created.startsAt)).toBeGreaterThanOrEqual(before - 1000);
    // Pushed to the object before the answer.
    expect((await campaignObject(created.id).spend()).status).toBe("draft");
    expect(
      await apiJson<CampaignJson>(campaignPath(created.id), 200, { token: advertiser.accessToken }),
    ).toEqual(created);
  });

  it("stores targeting as sets, and lists only the caller's own campaigns, newest first, page by page", async () => {
    const category = await insertCategory("Cooking");
    const own = await seedAdvertiserAccount("cmplist");
    const a = await createCampaign(own, { name: "A" });
    const b = await createCampaign(own, {
      name: "B",
      targeting: {
        categories: [category.id, category.id],
        countries: ["DE", "AT", "DE"],
        languages: ["de"],
        devices: ["tv", "mobile"],
        maxMaturity: "teen",
        excludedChannels: [creator.channelId],
      },
      pacing: "asap",
      frequencyCapPerDay: 5,
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(b.targeting).toEqual({
      categories: [category.id],
      countries: ["DE", "AT"],
      languages: ["de"],
      devices: ["tv", "mobile"],
      maxMaturity: "teen",
      excludedChannels: [creator.channelId],
    });
    await createCampaign(rival, { name: "Not theirs" });
    const listed = await listAll<CampaignJson>("/api/v1/ads/campaigns", own.accessToken, 1);
    expect(listed.map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it("refuses bad budgets, bids, URLs, dates and targeting with the field that is wrong", async () => {
    const category = await insertCategory("Real");
    const cases: [Record<string, unknown>, string][] = [
      [{ totalBudgetCents: 0 }, "body.totalBudgetCents"],
      [{ totalBudgetCents: -5 }, "body.totalBudgetCents"],
      [{ totalBudgetCents: 10.5 }, "body.totalBudgetCents"],
      [{ totalBudgetCents: "100" }, "body.totalBudgetCents"],
      [{ dailyBudgetCents: 0 }, "body.dailyBudgetCents"],
      [{ dailyBudgetCents: 10_001 }, "body.dailyBudgetCents"],
      [{ cpmBidCents: 0 }, "body.cpmBidCents"],
      [{ cpmBidCents: 2.5 }, "body.cpmBidCents"],
      [{ clickThroughUrl: "http://advertiser.example/" }, "body.clickThroughUrl"],
      [{ clickThroughUrl: "javascript:alert(1)" }, "body.clickThroughUrl"],
      [{ clickThroughUrl: "https://user:pw@advertiser.example/" }, "body.clickThroughUrl"],
      [{ clickThroughUrl: "https://169.254.169.254/" }, "body.clickThroughUrl"],
      // The platform itself (PUBLIC_URL is http://127.0.0.1:8787 in tests).
      [{ clickThroughUrl: "https://127.0.0.1:8787/watch" }, "body.clickThroughUrl"],
      [{ clickThroughUrl: `https://advertiser.example/${"x".repeat(2000)}` }, "body.clickThroughUrl"],
      [{ startsAt: "2030-01-02T00:00:00Z", endsAt: "2030-01-01T00:00:00Z" }, "body.endsAt"],
      [{ endsAt: "2001-01-01T00:00:00Z" }, "body.endsAt"],
      [{ startsAt: "tomorrow" }, "body.startsAt"],
      [{ targeting: { countries: ["de"] } }, "body.targeting.countries.0"],
      [{ targeting: { countries: ["DEU"] } }, "body.targeting.countries.0"],
      [{ targeting: { languages: ["DE"] } }, "body.targeting.languages.0"],
      [{ targeting: { devices: ["fridge"] } }, "body.targeting.devices.0"],
      [{ targeting: { maxMaturity: "x" } }, "body.targeting.maxMaturity"],
      [
        { targeting: { countries: Array.from({ length: 251 }, (_, i) => `A${i}`) } },
        "body.targeting.countries",
      ],
      [{ targeting: { categories: [category.id, "cat_nosuchthing"] } }, "body.targeting.categories.1"],
      [{ targeting: { gender: ["x"] } }, "body.targeting"],
      [{ frequencyCapPerDay: 0 }, "body.frequencyCapPerDay"],
      [{ accountId: rival.accountId }, "body"],
      [{ status: "active" }, "body"],
    ];
    for (const [extra, path] of cases) {
      const res = await post(advertiser.accessToken, { ...CAMPAIGN_BODY, ...extra });
      expect(res.status, JSON.stringify(extra).slice(0, 120)).toBe(400);
      expect(await problemPaths(res), JSON.stringify(extra).slice(0, 120)).toContain(path);
    }
    const { name: _n, ...noName } = CAMPAIGN_BODY;
    expect((await post(advertiser.accessToken, noName)).status).toBe(400);
  });

  it("stores the click-through exactly as it will be redirected to", async () => {
    const c = await createCampaign(advertiser, { clickThroughUrl: "https://Shop.EXAMPLE/a/../b?q=1" });
    expect(c.clickThroughUrl).toBe("https://shop.example/b?q=1");
  });
});

describe("who may manage campaigns", () => {
  it("refuses viewers, creators and kids profiles (403) and anonymous callers (401)", async () => {
    for (const token of [viewer.accessToken, creator.accessToken, kidsOfAdvertiser]) {
      expect((await post(token, CAMPAIGN_BODY)).status).toBe(403);
      expect((await api("/api/v1/ads/campaigns", { token })).status).toBe(403);
    }
    expect((await post(undefined, CAMPAIGN_BODY)).status).toBe(401);
    const own = await createCampaign(advertiser);
    for (const token of [viewer.accessToken, creator.accessToken, kidsOfAdvertiser]) {
      expect((await api(campaignPath(own.id), { token })).status).toBe(403);
      expect((await patchCampaign(token, own.id, { name: "Mine" })).status).toBe(403);
    }
  });

  it("answers another advertiser 404 for a campaign that is not theirs, exactly as for none, and changes nothing", async () => {
    const own = await createCampaign(advertiser);
    const token = rival.accessToken;
    const none = "cmp_doesnotexist0000";
    for (const id of [own.id, none]) {
      expect((await api(campaignPath(id), { token })).status).toBe(404);
      expect((await patchCampaign(token, id, { name: "Hijacked", status: "ended" })).status).toBe(404);
      expect((await api(campaignPath(id, "/report"), { token })).status).toBe(404);
      expect(
        (
          await api(campaignPath(id, "/creative"), {
            method: "POST",
            token,
            json: { upload: { size: 100, contentType: "video/mp4" } },
          })
        ).status,
      ).toBe(404);
    }
    expect(await apiJson<CampaignJson>(campaignPath(own.id), 200, { token: advertiser.accessToken })).toEqual(
      own,
    );
  });

  it("lets an admin read and change any advertiser's campaign", async () => {
    const own = await createCampaign(advertiser);
    expect((await api(campaignPath(own.id), { token: admin.accessToken })).status).toBe(200);
    const res = await patchCampaign(admin.accessToken, own.id, { name: "Renamed by admin" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CampaignJson).name).toBe("Renamed by admin");
  });

  it("400s a malformed campaign id", async () => {
    expect((await api(campaignPath("not-an-id!"), { token: advertiser.accessToken })).status).toBe(400);
  });
});

describe("the status machine", () => {
  it("submits for review only with a ready creative, and refuses transitions the owner may not make", async () => {
    const c = await createCampaign(advertiser);
    const token = advertiser.accessToken;
    expect((await patchCampaign(token, c.id, { status: "in_review" })).status).toBe(409);
    expect((await patchCampaign(token, c.id, { status: "active" })).status).toBe(409);
    expect((await patchCampaign(token, c.id, { status: "paused" })).status).toBe(409);
    expect((await patchCampaign(token, c.id, { status: "approved" })).status).toBe(400);
    const videoId = await attachReadyCreative(advertiser, c.id, "processing");
    expect((await patchCampaign(token, c.id, { status: "in_review" })).status).toBe(409);
    await testDb().update(adCampaigns).set({ creativeVideoId: null }).where(eq(adCampaigns.id, c.id));
    await attachReadyCreative(advertiser, c.id);
    const res = await patchCampaign(token, c.id, { status: "in_review" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as CampaignJson).creative).toMatchObject({
      status: "ready",
      durationMs: 15_000,
    });
    expect((await campaignObject(c.id).spend()).status).toBe("in_review");
    // An advertiser cannot approve their own campaign.
    expect((await patchCampaign(token, c.id, { status: "active" })).status).toBe(409);
    expect(videoId).toBeTruthy();
  });

  it("pauses and resumes an approved campaign, pushing each change to its object before answering", async () => {
    const c = await createCampaign(advertiser);
    await attachReadyCreative(advertiser, c.id);
    await testDb().update(adCampaigns).set({ status: "active" }).where(eq(adCampaigns.id, c.id));
    const token = advertiser.accessToken;
    const paused = await patchCampaign(token, c.id, { status: "paused" });
    expect(((await paused.json()) as CampaignJson).status).toBe("paused");
    expect((await campaignObject(c.id).spend()).status).toBe("paused");
    const resumed = await patchCampaign(token, c.id, { status: "active", dailyBudgetCents: 2_000 });
    expect(await resumed.json()).toMatchObject({ status: "active", dailyBudgetCents: 2_000 });
    expect((await campaignObject(c.id).spend()).status).toBe("active");
  });

  it("sends an approved campaign back to review when its click-through changes", async () => {
    const c = await createCampaign(advertiser);
    await attachReadyCreative(advertiser, c.id);
    await testDb().update(adCampaigns).set({ status: "active" }).where(eq(adCampaigns.id, c.id));
    const res = await patchCampaign(advertiser.accessToken, c.id, {
      clickThroughUrl: "https://advertiser.example/elsewhere",
    });
    expect(await res.json()).toMatchObject({
      status: "in_review",
      clickThroughUrl: "https://advertiser.example/elsewhere",
    });
    expect((await campaignObject(c.id).spend()).status).toBe("in_review");
  });

  it("ends a campaign for good", async () => {
    const c = await createCampaign(advertiser);
    const token = advertiser.accessToken;
    const ended = await patchCampaign(token, c.id, { status: "ended" });
    expect(((await ended.json()) as CampaignJson).status).toBe("ended");
    expect((await campaignObject(c.id).spend()).status).toBe("ended");
    expect((await patchCampaign(token, c.id, { status: "active" })).status).toBe(409);
    expect((await patchCampaign(token, c.id, { name: "Again" })).status).toBe(409);
  });

  it("checks a patch against the campaign it merges into (daily ≤ total, end after start)", async () => {
    const c = await createCampaign(advertiser);
    const token = advertiser.accessToken;
    const over = await patchCampaign(token, c.id, { dailyBudgetCents: 10_001 });
    expect(over.status).toBe(400);
    expect(await problemPaths(over)).toContain("body.dailyBudgetCents");
    const early = await patchCampaign(token, c.id, {
      endsAt: new Date(Date.parse(c.startsAt) - 1000).toISOString(),
    });
    expect(early.status).toBe(400);
    expect((await patchCampaign(token, c.id, {})).status).toBe(400);
    expect(await apiJson<CampaignJson>(campaignPath(c.id), 200, { token })).toMatchObject({
      dailyBudgetCents: c.dailyBudgetCents,
      endsAt: null,
    });
  });
});

describe("changing targeting", () => {
  it("changes only the targeting dimensions a patch names; the others keep their stored values", async () => {
    const c = await createCampaign(advertiser, {
      targeting: {
        countries: ["DE"],
        devices: ["tv"],
        maxMaturity: "teen",
        excludedChannels: [creator.channelId],
      },
    });
    const token = advertiser.accessToken;
    const res = await patchCampaign(token, c.id, { targeting: { languages: ["de", "de"] } });
    expect(res.status, await res.clone().text()).toBe(200);
    const expected = {
      categories: [],
      countries: ["DE"],
      languages: ["de"],
      devices: ["tv"],
      maxMaturity: "teen",
      excludedChannels: [creator.channelId],
    };
    expect(((await res.json()) as CampaignJson).targeting).toEqual(expected);
    const row = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, c.id)).get();
    expect(row?.targeting).toEqual(expected);
    // An emptied list is a change too; a bad or unknown dimension is still refused.
    const cleared = await patchCampaign(token, c.id, { targeting: { countries: [] } });
    expect(((await cleared.json()) as CampaignJson).targeting).toEqual({ ...expected, countries: [] });
    for (const bad of [{ countries: ["de"] }, { gender: ["x"] }, { maxMaturity: "x" }]) {
      expect((await patchCampaign(token, c.id, { targeting: bad })).status, JSON.stringify(bad)).toBe(400);
    }
  });
});

describe("repairing the campaign's object", () => {
  it("pushes the row again when a read finds the object's status differs (a push after the D1 write failed)", async () => {
    const c = await createCampaign(advertiser);
    await attachReadyCreative(advertiser, c.id);
    await testDb().update(adCampaigns).set({ status: "active" }).where(eq(adCampaigns.id, c.id));
    const token = advertiser.accessToken;
    expect((await patchCampaign(token, c.id, { status: "active", name: "Pushed" })).status).toBe(200);
    expect((await campaignObject(c.id).spend()).status).toBe("active");
    // A pause written to D1 whose push never arrived: the object would keep serving.
    await testDb()
      .update(adCampaigns)
      .set({ status: "paused", updatedAt: Date.now() + 1000 })
      .where(eq(adCampaigns.id, c.id));
    const read = await apiJson<CampaignJson>(campaignPath(c.id), 200, { token });
    expect(read.status).toBe("paused");
    expect((await campaignObject(c.id).spend()).status).toBe("paused");
  });
});

describe("spend", () => {
  it("merges the object's spend into the campaign: billed impressions and exact millicents", async () => {
    const c = await createCampaign(advertiser, { pacing: "asap" });
    await attachReadyCreative(advertiser, c.id);
    const row = await testDb()
      .update(adCampaigns)
      .set({ status: "active" })
      .where(eq(adCampaigns.id, c.id))
      .returning()
      .get();
    const object = campaignObject(c.id);
    await object.configure({
      campaignId: c.id,
      advertiserAccountId: advertiser.accountId,
      status: "active",
      totalBudgetCents: c.totalBudgetCents,
      dailyBudgetCents: c.dailyBudgetCents,
      cpmBidCents: c.cpmBidCents,
      pacing: "asap",
      startsAt: Date.parse(c.startsAt) - 60_000,
      endsAt: null,
    });
    for (const sessionId of ["s1", "s2"]) {
      const reserved = await object.reserve({
        sessionId: `${c.id}-${sessionId}`,
        priceMillicents: 180,
        creativeVideoId: row?.creativeVideoId as string,
        videoId: null,
        channelId: null,
        viewerKey: `profile:${sessionId}${c.id}`,
      });
      expect(reserved.ok).toBe(true);
      await object.track(`${c.id}-${sessionId}`, ["impression", "start"]);
    }
    const read = await apiJson<CampaignJson>(campaignPath(c.id), 200, { token: advertiser.accessToken });
    expect(read.spend).toEqual({ impressions: 2, spentMillicents: 360, spentCents: 0, todayMillicents: 360 });
    const listed = await listAll<CampaignJson>("/api/v1/ads/campaigns", advertiser.accessToken, 50);
    expect(listed.find((x) => x.id === c.id)?.spend.spentMillicents).toBe(360);
  });
});

describe("concurrent changes", () => {
  it("refuses a write over a change it did not read (409), so a decision never lands on an unseen version", async () => {
    const c = await createCampaign(advertiser);
    const s = { env, config: loadConfig(env), db: testDb(), log: () => {} } as unknown as Services;
    const read = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, c.id)).get();
    if (!read) throw new Error("no row");
    // Someone else's edit lands between this read and this write.
    expect((await patchCampaign(advertiser.accessToken, c.id, { name: "Edited meanwhile" })).status).toBe(
      200,
    );
    await expect(writeIfUnchanged(s, read, { status: "ended" })).rejects.toMatchObject({ code: "conflict" });
    const now = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, c.id)).get();
    expect(now).toMatchObject({ name: "Edited meanwhile", status: "draft" });
    // Read again, the write goes through.
    expect((await writeIfUnchanged(s, now as typeof read, { name: "Then this" })).name).toBe("Then this");
  });
});
