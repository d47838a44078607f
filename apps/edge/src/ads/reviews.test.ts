import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, listAll, type SeededAccount, seedAccount } from "../../test/harness";
import { adCampaigns, videos } from "../db/schema";
import {
  attachReadyCreative,
  type CampaignJson,
  campaignInReview,
  createCampaign,
  patchCampaign,
  seedAdvertiserAccount,
} from "./campaign-fixtures";
import { campaignObject } from "./test-utils";

type ReviewJson = CampaignJson & {
  advertiserAccountId: string;
  preview: { manifestUrl: string; posterUrl: string } | null;
};

let moderator: SeededAccount;
let admin: SeededAccount;
let advertiser: SeededAccount;
let viewer: SeededAccount;

beforeAll(async () => {
  [moderator, admin, advertiser, viewer] = await Promise.all([
    seedAccount({ tag: "revmod", roles: ["moderator"] }),
    seedAccount({ tag: "revadmin", roles: ["admin"] }),
    seedAdvertiserAccount("revadv"),
    seedAccount({ tag: "revviewer" }),
  ]);
});

const decide = (token: string, campaignId: string, json: unknown) =>
  api(`/api/v1/moderation/ad-reviews/${campaignId}`, { method: "POST", token, json });

describe("the moderators' review of campaigns", () => {
  it("lists campaigns in review oldest first, with the advertiser and a signed preview of the creative", async () => {
    const first = await campaignInReview(advertiser, { name: "First" });
    const second = await campaignInReview(advertiser, { name: "Second" });
    const draft = await createCampaign(advertiser, { name: "Still a draft" });
    const items = await listAll<ReviewJson>("/api/v1/moderation/ad-reviews", moderator.accessToken, 1);
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(first.campaign.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.campaign.id)).toBeLessThan(ids.indexOf(second.campaign.id));
    expect(ids).not.toContain(draft.id);
    const item = items.find((i) => i.id === first.campaign.id);
    expect(item).toMatchObject({
      status: "in_review",
      advertiserAccountId: advertiser.accountId,
      name: "First",
    });
    expect(item?.preview?.manifestUrl).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:8787/media/${first.videoId}/[^/]+/hls/master\\.m3u8$`),
    );
    expect(item?.preview?.posterUrl).toMatch(/\/thumbs\/poster\.jpg$/);
    expect(item?.creative?.posterUrl).toBe(item?.preview?.posterUrl);
    // Admins see the queue too; advertisers and viewers do not.
    expect((await api("/api/v1/moderation/ad-reviews", { token: admin.accessToken })).status).toBe(200);
    for (const token of [advertiser.accessToken, viewer.accessToken]) {
      expect((await api("/api/v1/moderation/ad-reviews", { token })).status).toBe(403);
    }
  });

  it("approves: the campaign becomes active at once, in its object too, with the moderator's kidsSafe call", async () => {
    const { campaign } = await campaignInReview(advertiser, { kidsSafe: false });
    const res = await decide(moderator.accessToken, campaign.id, { decision: "approve", kidsSafe: true });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "active", kidsSafe: true, reviewNote: null });
    expect((await campaignObject(campaign.id).spend()).status).toBe("active");
    const row = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaign.id)).get();
    expect(row).toMatchObject({ reviewedBy: moderator.accountId });
    // Decided once: a second decision is a conflict.
    expect(
      (await decide(moderator.accessToken, campaign.id, { decision: "reject", note: "Late" })).status,
    ).toBe(409);
  });

  it("rejects with a note the advertiser reads, who may fix the campaign and ask again", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const noNote = await decide(moderator.accessToken, campaign.id, { decision: "reject" });
    expect(noNote.status).toBe(400);
    const res = await decide(moderator.accessToken, campaign.id, {
      decision: "reject",
      note: "The landing page is broken",
    });
    expect(await res.json()).toMatchObject({ status: "rejected", reviewNote: "The landing page is broken" });
    expect((await campaignObject(campaign.id).spend()).status).toBe("rejected");
    const read = await apiJson<CampaignJson>(`/api/v1/ads/campaigns/${campaign.id}`, 200, {
      token: advertiser.accessToken,
    });
    expect(read).toMatchObject({ status: "rejected", reviewNote: "The landing page is broken" });
    const again = await patchCampaign(advertiser.accessToken, campaign.id, {
      clickThroughUrl: "https://advertiser.example/fixed",
      status: "in_review",
    });
    expect(await again.json()).toMatchObject({ status: "in_review" });
  });

  it("refuses decisions on campaigns not in review, on creatives not ready, by non-moderators, and on unknown ids", async () => {
    const draft = await createCampaign(advertiser);
    expect((await decide(moderator.accessToken, draft.id, { decision: "approve" })).status).toBe(409);
    const { campaign, videoId } = await campaignInReview(advertiser);
    for (const token of [advertiser.accessToken, viewer.accessToken]) {
      expect((await decide(token, campaign.id, { decision: "approve" })).status).toBe(403);
    }
    // The creative was replaced while in review and is still processing: nothing to approve yet.
    await testDb()
      .update(videos)
      .set({ status: "processing", playable: false })
      .where(eq(videos.id, videoId));
    expect((await decide(moderator.accessToken, campaign.id, { decision: "approve" })).status).toBe(409);
    await attachReadyCreative(advertiser, campaign.id);
    for (const bad of [
      { decision: "maybe" },
      {},
      { decision: "approve", note: "x".repeat(501) },
      { decision: "approve", extra: 1 },
    ]) {
      expect((await decide(moderator.accessToken, campaign.id, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await decide(moderator.accessToken, "cmp_nosuchcampaign", { decision: "approve" })).status).toBe(
      404,
    );
    expect((await decide(moderator.accessToken, campaign.id, { decision: "approve" })).status).toBe(200);
  });

  it("reviews the campaign as the advertiser last changed it: an edit while in review stays in review", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const edited = await patchCampaign(advertiser.accessToken, campaign.id, {
      name: "Edited while in review",
    });
    expect(await edited.json()).toMatchObject({ status: "in_review", name: "Edited while in review" });
    const res = await decide(moderator.accessToken, campaign.id, { decision: "approve" });
    expect(await res.json()).toMatchObject({ status: "active", name: "Edited while in review" });
  });
});
