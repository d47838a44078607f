/**
 * No pre-roll (billed to an advertiser) on a playback of a video that is not publicly visible: its
 * owner or a moderator playing it while it is held, removed or its channel hidden gets no ad.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { apiJson, seedAccount } from "../../test/harness";
import { adScene } from "../ads/delivery-fixtures";
import { videos } from "../db/schema";

const adOf = async (id: string, token: string) =>
  (await apiJson<{ ad: unknown }>(`/api/v1/videos/${id}/playback`, 200, { token })).ad;

describe("ads on playbacks of hidden videos", () => {
  it("the owner and a moderator get no ad while the video is held, removed or channel-hidden", async () => {
    const scene = await adScene("adsmodhid");
    const mod = await seedAccount({ tag: "adsmodhidm", roles: ["moderator"] });
    const viewer = await seedAccount({ tag: "adsmodhidv" });
    // Control: while visible, a free viewer's playback carries the campaign's ad.
    expect(await adOf(scene.contentId, viewer.accessToken)).toMatchObject({
      campaignId: scene.campaign.campaignId,
    });

    const db = testDb();
    const states = [
      { moderationState: "held" },
      { moderationState: "removed" },
      { channelHidden: true },
    ] as const;
    for (const state of states) {
      await db
        .update(videos)
        .set({ moderationState: "visible", channelHidden: false, ...state })
        .where(eq(videos.id, scene.contentId));
      expect(await adOf(scene.contentId, scene.owner.accessToken)).toBeNull();
      expect(await adOf(scene.contentId, mod.accessToken)).toBeNull();
    }
  });
});
