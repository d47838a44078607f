/**
 * Card links (poster, storyboard) of a video moderation hides (held, removed, or its channel hidden)
 * are refused, even those signed at the current media generation; its owner's studio still shows the
 * poster (signed another way), and nothing changes once the video is visible again.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, listAll, seedAccount } from "../../test/harness";
import { storedVideo, uniqueWord, walk } from "../catalog/test-utils";
import { videos } from "../db/schema";

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6, 0xff, 0xd9]);
const vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nsprite.jpg#xywh=0,0,160,90\n";

describe("card image links of a video hidden by moderation", () => {
  it("refuses poster and storyboard while held, removed or channel-hidden; the studio poster still works", async () => {
    const owner = await seedAccount({ tag: "mediamod", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const id = await storedVideo(owner, { tags: [tag] });
    await env.MEDIA.put(`videos/${id}/thumbs/poster.jpg`, jpeg);
    await env.MEDIA.put(`videos/${id}/storyboard/storyboard.vtt`, vtt);
    await env.MEDIA.put(`videos/${id}/storyboard/sprite.jpg`, jpeg);
    const [card] = (await walk(`/api/v1/tags/${encodeURIComponent(tag)}/videos`)) as {
      posterUrl: string;
      storyboardUrl: string;
    }[];
    const links = [new URL(card?.posterUrl ?? "").pathname, new URL(card?.storyboardUrl ?? "").pathname];
    for (const link of links) expect((await api(link)).status).toBe(200);

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
        .where(eq(videos.id, id));
      for (const link of links) {
        const res = await api(link);
        expect(res.status, `${JSON.stringify(state)} ${link}`).toBe(403);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      // The studio signs its own poster for the owner, which still opens.
      const studio = await listAll<{ id: string; posterUrl: string | null }>(
        "/api/v1/me/videos",
        owner.accessToken,
      );
      const poster = new URL(studio.find((v) => v.id === id)?.posterUrl ?? "");
      const res = await api(poster.pathname);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    }
    await db
      .update(videos)
      .set({ moderationState: "visible", channelHidden: false })
      .where(eq(videos.id, id));
    for (const link of links) expect((await api(link)).status).toBe(200);
  });
});
