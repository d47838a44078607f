import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import {
  api,
  apiJson,
  completeUpload,
  MiB,
  putBytes,
  type SeededAccount,
  seedAccount,
  testBytes,
  type UploadPlan,
  type VideoJson,
  videoRow,
} from "../../test/harness";
import { accounts, adCampaigns, channels } from "../db/schema";
import {
  type CampaignJson,
  campaignPath,
  createCampaign,
  patchCampaign,
  seedAdvertiserAccount,
} from "./campaign-fixtures";
import { campaignObject } from "./test-utils";

let admin: SeededAccount;
let viewer: SeededAccount;

beforeAll(async () => {
  [admin, viewer] = await Promise.all([
    seedAccount({ tag: "crvadmin", roles: ["admin"] }),
    seedAccount({ tag: "crvviewer" }),
  ]);
});

const postCreative = (token: string, campaignId: string, json: unknown) =>
  api(campaignPath(campaignId, "/creative"), { method: "POST", token, json });

async function creative(token: string, campaignId: string, json: unknown) {
  const res = await postCreative(token, campaignId, json);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { video: VideoJson; upload: UploadPlan };
}

describe("a campaign's creative", () => {
  it("is a private ad video in a channel made for the advertiser, uploaded and completed like any video", async () => {
    const advertiser = await seedAdvertiserAccount("crvnochan", false);
    const campaign = await createCampaign(advertiser);
    const bytes = testBytes(4096, 3);
    const { video, upload } = await creative(advertiser.accessToken, campaign.id, {
      title: "Winter spot",
      upload: { size: bytes.length, contentType: "video/mp4" },
    });
    expect(video).toMatchObject({ title: "Winter spot", visibility: "private", status: "awaiting_upload" });
    const row = await videoRow(video.id);
    expect(row).toMatchObject({ kind: "ad", visibility: "private", accountId: advertiser.accountId });
    const channel = await testDb()
      .select()
      .from(channels)
      .where(eq(channels.accountId, advertiser.accountId))
      .get();
    expect(row?.channelId).toBe(channel?.id);
    // Buying ads does not make the advertiser a creator.
    const account = await testDb().select().from(accounts).where(eq(accounts.id, advertiser.accountId)).get();
    expect(account?.roles).toEqual(["viewer", "advertiser"]);

    if (upload.kind !== "single") throw new Error("expected a single PUT");
    expect((await putBytes(upload.url, bytes, upload.headers)).status).toBe(200);
    const done = await completeUpload(advertiser, video.id);
    expect(done.status, await done.clone().text()).toBe(202);
    expect((await videoRow(video.id))?.status).not.toBe("awaiting_upload");

    const read = await apiJson<CampaignJson>(campaignPath(campaign.id), 200, {
      token: advertiser.accessToken,
    });
    expect(read.creative).toMatchObject({ videoId: video.id, durationMs: null, posterUrl: null });

    // A second creative (another campaign) goes into the same channel.
    const other = await createCampaign(advertiser, { name: "Spring" });
    const second = await creative(advertiser.accessToken, other.id, {
      upload: { size: 10, contentType: "video/mp4" },
    });
    expect(second.video.title).toBe("Spring");
    expect(second.video.channelId).toBe(channel?.id);
  });

  it("answers a multipart plan for large files or when parts are asked for, and refuses bad uploads", async () => {
    const advertiser = await seedAdvertiserAccount("crvmulti");
    const campaign = await createCampaign(advertiser);
    const { upload } = await creative(advertiser.accessToken, campaign.id, {
      upload: { size: 12 * MiB, contentType: "video/mp4", partSize: 5 * MiB },
    });
    expect(upload).toMatchObject({ kind: "multipart", partSize: 5 * MiB, partCount: 3 });
    if (upload.kind === "multipart")
      expect(upload.parts.map((p) => p.size)).toEqual([5 * MiB, 5 * MiB, 2 * MiB]);
    for (const bad of [
      { upload: { size: 0, contentType: "video/mp4" } },
      { upload: { size: 10, contentType: "text/html" } },
      { upload: { size: 10 * 1024 ** 4, contentType: "video/mp4" } },
      { upload: { size: 10, contentType: "video/mp4", partSize: 1024 } },
      { upload: { size: 10, contentType: "video/mp4" }, visibility: "public" },
      { title: "", upload: { size: 10, contentType: "video/mp4" } },
    ]) {
      expect((await postCreative(advertiser.accessToken, campaign.id, bad)).status, JSON.stringify(bad)).toBe(
        400,
      );
    }
  });

  it("sends an approved campaign back to review when its creative is replaced", async () => {
    const advertiser = await seedAdvertiserAccount("crvreplace");
    const campaign = await createCampaign(advertiser);
    const first = await creative(advertiser.accessToken, campaign.id, {
      upload: { size: 10, contentType: "video/mp4" },
    });
    await testDb().update(adCampaigns).set({ status: "active" }).where(eq(adCampaigns.id, campaign.id));
    const second = await creative(advertiser.accessToken, campaign.id, {
      upload: { size: 10, contentType: "video/mp4" },
    });
    const read = await apiJson<CampaignJson>(campaignPath(campaign.id), 200, {
      token: advertiser.accessToken,
    });
    expect(read.status).toBe("in_review");
    expect(read.creative?.videoId).toBe(second.video.id);
    expect(second.video.id).not.toBe(first.video.id);
    expect((await campaignObject(campaign.id).spend()).status).toBe("in_review");
  });

  it("remembers that the owner had paused the campaign when a new creative sends it back to review", async () => {
    const advertiser = await seedAdvertiserAccount("crvpaused");
    const campaign = await createCampaign(advertiser);
    await testDb().update(adCampaigns).set({ status: "paused" }).where(eq(adCampaigns.id, campaign.id));
    await creative(advertiser.accessToken, campaign.id, { upload: { size: 10, contentType: "video/mp4" } });
    const row = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, campaign.id)).get();
    // Approval (reviews.ts) returns it to paused; reviews.test.ts drives that through the API.
    expect(row).toMatchObject({ status: "in_review", pausedBeforeReview: true });
  });

  it("is made in the advertiser's channel when an admin uploads it, and refused for ended campaigns and viewers", async () => {
    const advertiser = await seedAdvertiserAccount("crvadmin");
    const campaign = await createCampaign(advertiser);
    const { video } = await creative(admin.accessToken, campaign.id, {
      upload: { size: 10, contentType: "video/mp4" },
    });
    expect(video.channelId).toBe(advertiser.channelId);
    expect((await videoRow(video.id))?.accountId).toBe(advertiser.accountId);
    expect(
      (
        await postCreative(viewer.accessToken, campaign.id, {
          upload: { size: 10, contentType: "video/mp4" },
        })
      ).status,
    ).toBe(403);
    expect((await patchCampaign(advertiser.accessToken, campaign.id, { status: "ended" })).status).toBe(200);
    expect(
      (
        await postCreative(advertiser.accessToken, campaign.id, {
          upload: { size: 10, contentType: "video/mp4" },
        })
      ).status,
    ).toBe(409);
  });
});
