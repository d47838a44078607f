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
  creativeTitle: string | null;
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

/** The campaign as a moderator's review list shows it now (what they "opened"). */
async function opened(campaignId: string, token = moderator.accessToken): Promise<ReviewJson> {
  const items = await listAll<ReviewJson>("/api/v1/moderation/ad-reviews", token, 50);
  const item = items.find((i) => i.id === campaignId);
  if (!item) throw new Error(`${campaignId} is not in the review list`);
  return item;
}

/** A decision on the version of the campaign the moderator sees now. */
const decideSeen = async (token: string, campaignId: string, json: Record<string, unknown>) =>
  decide(token, campaignId, { updatedAt: (await opened(campaignId)).updatedAt, ...json });

const rowOf = (id: string) => testDb().select().from(adCampaigns).where(eq(adCampaigns.id, id)).get();

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
      // The title viewers see with the ad is part of what is reviewed.
      creativeTitle: (await testDb().select().from(videos).where(eq(videos.id, first.videoId)).get())?.title,
    });
    expect(item?.creativeTitle).toEqual(expect.any(String));
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
    const res = await decideSeen(moderator.accessToken, campaign.id, { decision: "approve", kidsSafe: true });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "active", kidsSafe: true, reviewNote: null });
    expect((await campaignObject(campaign.id).spend()).status).toBe("active");
    const row = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaign.id)).get();
    expect(row).toMatchObject({ reviewedBy: moderator.accountId });
    // Decided once: a second decision is a conflict.
    expect(
      (
        await decide(moderator.accessToken, campaign.id, {
          decision: "reject",
          note: "Late",
          updatedAt: campaign.updatedAt,
        })
      ).status,
    ).toBe(409);
  });

  it("rejects with a note the advertiser reads, who may fix the campaign and ask again", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const noNote = await decideSeen(moderator.accessToken, campaign.id, { decision: "reject" });
    expect(noNote.status).toBe(400);
    const res = await decideSeen(moderator.accessToken, campaign.id, {
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
    const approve = { decision: "approve", updatedAt: draft.updatedAt };
    expect((await decide(moderator.accessToken, draft.id, approve)).status).toBe(409);
    const { campaign, videoId } = await campaignInReview(advertiser);
    for (const token of [advertiser.accessToken, viewer.accessToken]) {
      expect((await decide(token, campaign.id, { ...approve, updatedAt: campaign.updatedAt })).status).toBe(
        403,
      );
    }
    // The creative was replaced while in review and is still processing: nothing to approve yet.
    await testDb()
      .update(videos)
      .set({ status: "processing", playable: false })
      .where(eq(videos.id, videoId));
    expect((await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" })).status).toBe(409);
    await attachReadyCreative(advertiser, campaign.id);
    const updatedAt = (await opened(campaign.id)).updatedAt;
    for (const bad of [
      { decision: "maybe", updatedAt },
      {},
      { decision: "approve" },
      { decision: "approve", updatedAt: "yesterday" },
      { decision: "approve", updatedAt, note: "x".repeat(501) },
      { decision: "approve", updatedAt, extra: 1 },
    ]) {
      expect((await decide(moderator.accessToken, campaign.id, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(
      (await decide(moderator.accessToken, "cmp_nosuchcampaign", { decision: "approve", updatedAt })).status,
    ).toBe(404);
    expect(
      (await decide(moderator.accessToken, campaign.id, { decision: "approve", updatedAt })).status,
    ).toBe(200);
  });

  it("reviews the campaign as the advertiser last changed it: an edit while in review stays in review", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const edited = await patchCampaign(advertiser.accessToken, campaign.id, {
      name: "Edited while in review",
    });
    expect(await edited.json()).toMatchObject({ status: "in_review", name: "Edited while in review" });
    const res = await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" });
    expect(await res.json()).toMatchObject({ status: "active", name: "Edited while in review" });
  });

  it("refuses to approve a version the moderator never saw: a new click-through or creative since they opened it is 409", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const seen = await opened(campaign.id);
    // The advertiser swaps the landing page while the moderator looks at the old one (it stays in review).
    const swapped = await patchCampaign(advertiser.accessToken, campaign.id, {
      clickThroughUrl: "https://advertiser.example/swapped",
    });
    expect(await swapped.json()).toMatchObject({ status: "in_review" });
    const stale = await decide(moderator.accessToken, campaign.id, {
      decision: "approve",
      updatedAt: seen.updatedAt,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { detail: string }).detail).toContain("changed since you opened it");
    expect(await rowOf(campaign.id)).toMatchObject({ status: "in_review", reviewedBy: null });
    expect((await campaignObject(campaign.id).spend()).status).toBe("in_review");
    // A new creative since opening it: the same.
    const again = await opened(campaign.id);
    expect(again.clickThroughUrl).toBe("https://advertiser.example/swapped");
    await api(`/api/v1/ads/campaigns/${campaign.id}/creative`, {
      method: "POST",
      token: advertiser.accessToken,
      json: { upload: { size: 100, contentType: "video/mp4" } },
    });
    const res = await decide(moderator.accessToken, campaign.id, {
      decision: "reject",
      note: "Old",
      updatedAt: again.updatedAt,
    });
    expect(res.status).toBe(409);
    expect(await rowOf(campaign.id)).toMatchObject({ status: "in_review", reviewedBy: null });
  });

  it("refuses a moderator or an admin reviewing their own campaign (roles combine), 403", async () => {
    const both = await seedAccount({ tag: "revboth", roles: ["advertiser", "moderator"], channel: true });
    const adminAdvertiser = await seedAccount({ tag: "revownadmin", roles: ["admin"], channel: true });
    for (const who of [both, adminAdvertiser]) {
      const { campaign } = await campaignInReview(who);
      const res = await decideSeen(who.accessToken, campaign.id, { decision: "approve", kidsSafe: false });
      expect(res.status, who.accountId).toBe(403);
      expect(await rowOf(campaign.id)).toMatchObject({ status: "in_review", reviewedBy: null });
      // Someone else may.
      expect((await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" })).status).toBe(
        200,
      );
    }
  });

  it("needs the moderator's explicit kidsSafe call to approve a campaign that claims to be kids-safe", async () => {
    const { campaign } = await campaignInReview(advertiser, { kidsSafe: true });
    const res = await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
      "body.kidsSafe",
    );
    expect((await rowOf(campaign.id))?.status).toBe("in_review");
    const ok = await decideSeen(moderator.accessToken, campaign.id, { decision: "approve", kidsSafe: false });
    expect(await ok.json()).toMatchObject({ status: "active", kidsSafe: false });
    // A campaign not claiming it needs no call.
    const { campaign: plain } = await campaignInReview(advertiser);
    expect((await decideSeen(moderator.accessToken, plain.id, { decision: "approve" })).status).toBe(200);
  });

  it("approves a campaign its owner had paused back to paused, not active", async () => {
    const { campaign } = await campaignInReview(advertiser);
    expect((await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" })).status).toBe(200);
    const token = advertiser.accessToken;
    expect((await patchCampaign(token, campaign.id, { status: "paused" })).status).toBe(200);
    const changed = await patchCampaign(token, campaign.id, {
      clickThroughUrl: "https://advertiser.example/p",
    });
    expect(await changed.json()).toMatchObject({ status: "in_review" });
    const res = await decideSeen(moderator.accessToken, campaign.id, { decision: "approve" });
    expect(await res.json()).toMatchObject({ status: "paused" });
    expect((await campaignObject(campaign.id).spend()).status).toBe("paused");
    // Resumed, then changed again while running: approval makes it active again.
    expect((await patchCampaign(token, campaign.id, { status: "active" })).status).toBe(200);
    await patchCampaign(token, campaign.id, { kidsSafe: true });
    const active = await decideSeen(moderator.accessToken, campaign.id, {
      decision: "approve",
      kidsSafe: true,
    });
    expect(await active.json()).toMatchObject({ status: "active", kidsSafe: true });
  });

  it("pushes a decision again when it is retried after its push to the object failed, instead of 409", async () => {
    const { campaign } = await campaignInReview(advertiser);
    const seen = await opened(campaign.id);
    const before = await rowOf(campaign.id);
    if (!before) throw new Error("no row");
    // What a decision whose push failed leaves behind: D1 decided (reviewedAt = updatedAt), the object not.
    const at = before.updatedAt + 5;
    await testDb()
      .update(adCampaigns)
      .set({ status: "active", reviewedBy: moderator.accountId, reviewedAt: at, updatedAt: at })
      .where(eq(adCampaigns.id, campaign.id));
    expect((await campaignObject(campaign.id).spend()).status).toBe("in_review");
    const retry = await decide(moderator.accessToken, campaign.id, {
      decision: "approve",
      updatedAt: seen.updatedAt,
    });
    expect(retry.status, await retry.clone().text()).toBe(200);
    expect(await retry.json()).toMatchObject({ status: "active" });
    expect((await campaignObject(campaign.id).spend()).status).toBe("active");
    // Not a retry: another moderator, or another decision, or a change since, is still 409.
    const other = await seedAccount({ tag: "revother", roles: ["moderator"] });
    const conflict = { decision: "approve", updatedAt: seen.updatedAt };
    expect((await decide(other.accessToken, campaign.id, conflict)).status).toBe(409);
    expect(
      (await decide(moderator.accessToken, campaign.id, { ...conflict, decision: "reject", note: "No" }))
        .status,
    ).toBe(409);
    await patchCampaign(advertiser.accessToken, campaign.id, { status: "paused" });
    expect((await decide(moderator.accessToken, campaign.id, conflict)).status).toBe(409);
    expect((await campaignObject(campaign.id).spend()).status).toBe("paused");
  });
});
