import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, createVideo, listAll, seedAccount, seedFamily } from "../../test/harness";
import { videos } from "../db/schema";
import { ids, storedVideo, uniqueWord, walk } from "./test-utils";

const tagPath = (tag: string) => `/api/v1/tags/${encodeURIComponent(tag)}/videos`;
const channelPath = (channel: string) => `/api/v1/channels/${encodeURIComponent(channel)}/videos`;

/** One video of each state that must never be listed, all carrying `tag`. */
async function hiddenVideos(owner: Awaited<ReturnType<typeof seedAccount>>, tag: string) {
  return Promise.all([
    storedVideo(owner, { tags: [tag], visibility: "private" }),
    storedVideo(owner, { tags: [tag], visibility: "unlisted" }),
    storedVideo(owner, { tags: [tag], status: "deleted" }),
    storedVideo(owner, { tags: [tag], status: "awaiting_upload" }),
    storedVideo(owner, { tags: [tag], status: "processing", playable: false }),
    storedVideo(owner, { tags: [tag], status: "failed" }),
  ]);
}

describe("tag pages", () => {
  it("list listed videos with the tag, newest first, as cards; the tag in the path is normalised", async () => {
    const owner = await seedAccount({ tag: "tagnew", channel: true });
    const tag = `${uniqueWord("t").slice(0, 20)} rock`;
    const now = Date.now();
    const older = await storedVideo(owner, { tags: [tag, "other"], publishedAt: now - 3000, title: "Older" });
    const newest = await storedVideo(owner, { tags: [tag], publishedAt: now - 1000, title: "Newest" });
    const middle = await storedVideo(owner, { tags: [tag], publishedAt: now - 2000, visibility: "premium" });
    // Playable while processing: listed, not yet published (it sorts by its creation time).
    const growing = await storedVideo(owner, { tags: [tag], status: "processing", playable: true });
    await hiddenVideos(owner, tag);

    const page = await apiJson<{ items: Record<string, unknown>[]; nextCursor: string | null }>(
      tagPath(`  ${tag.toUpperCase().replace(" ", "   ")} `),
      200,
    );
    expect(page.items.map((c) => c.id)).toEqual([growing, newest, middle, older]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[1]).toMatchObject({
      id: newest,
      title: "Newest",
      channel: { id: owner.channelId, name: "Seeded Channel" },
      tags: [tag],
      premium: false,
      processing: false,
      maturity: "adult",
      publishedAt: new Date(now - 1000).toISOString(),
    });
    expect(page.items[2]).toMatchObject({ premium: true });
    expect(page.items[0]).toMatchObject({ processing: true, publishedAt: null });
  });

  it("follow tag edits: a video leaves the tag's page when the tag is removed", async () => {
    const owner = await seedAccount({ tag: "tagedit", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const { video } = await createVideo(owner, { size: 100 }, { tags: [tag] });
    await testDb()
      .update(videos)
      .set({ status: "ready", playable: true, publishedAt: Date.now() })
      .where(eq(videos.id, video.id));
    expect(ids(await walk(tagPath(tag)))).toEqual([video.id]);
    await apiJson(`/api/v1/videos/${video.id}`, 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { tags: ["something else"] },
    });
    expect((await api(tagPath(tag))).status).toBe(404);
  });

  it("answer 404 for a tag no visible video carries, whatever it looks like", async () => {
    const owner = await seedAccount({ tag: "tagnone", channel: true });
    const family = await seedAccount({ tag: "tagnonekids", profiles: [{ maturity: "kids" }] });
    const tag = uniqueWord("t").slice(0, 30);
    await storedVideo(owner, { tags: [tag], maturity: "adult" });
    await storedVideo(owner, { tags: [`${tag}-hidden`], visibility: "private" });
    expect((await api(tagPath(tag))).status).toBe(200);
    const kids = await api(tagPath(tag), { token: family.profiles[1]?.token });
    expect(kids.status).toBe(404);
    expect(kids.headers.get("content-type")).toContain("application/problem+json");
    for (const absent of [`${tag}-hidden`, "ñandú never used", "😀", "' OR 1=1--", "a/b"]) {
      expect((await api(tagPath(absent))).status, absent).toBe(404);
    }
    for (const invalid of ["x".repeat(31), "%20"]) {
      expect((await api(`/api/v1/tags/${invalid}/videos`)).status, invalid).toBe(400);
    }
  });

  it("paginate without repeating or skipping, even across equal publish times", async () => {
    const owner = await seedAccount({ tag: "tagpages", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const at = Date.now() - 10_000;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Three share one timestamp: the id breaks the tie.
      made.push(await storedVideo(owner, { tags: [tag], publishedAt: i < 3 ? at : at + i * 1000 }));
    }
    const walked = ids(await walk(tagPath(tag), undefined, 2));
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual([...made].sort());
    const expected = [...made.slice(3).reverse(), ...made.slice(0, 3).sort().reverse()];
    expect(walked).toEqual(expected);
  });

  it("refuse a malformed cursor, or one from another list, with a 400 problem", async () => {
    const owner = await seedAccount({ tag: "tagcursor", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    await storedVideo(owner, { tags: [tag] });
    await storedVideo(owner, { tags: [tag] });
    const first = await apiJson<{ nextCursor: string }>(`${tagPath(tag)}?limit=1`, 200);
    const channelCursor = (
      await apiJson<{ nextCursor: string }>(`${channelPath(owner.channelId ?? "")}?limit=1`, 200)
    ).nextCursor;
    for (const cursor of ["not-a-cursor", "eyJrIjoidGFnIn0", channelCursor, `${first.nextCursor}x`, "%%%"]) {
      const res = await api(`${tagPath(tag)}?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    for (const limit of ["0", "101", "abc"])
      expect((await api(`${tagPath(tag)}?limit=${limit}`)).status).toBe(400);
  });
});

describe("channel pages", () => {
  it("list the channel's listed videos newest first, by id or @handle; 404 for no such channel", async () => {
    const owner = await seedAccount({ tag: "chpage", channel: true });
    const other = await seedAccount({ tag: "chpageother", channel: true });
    const now = Date.now();
    const a = await storedVideo(owner, { publishedAt: now - 2000 });
    const b = await storedVideo(owner, { publishedAt: now - 1000 });
    await storedVideo(other, {});
    await hiddenVideos(owner, "x");
    const byId = ids(await walk(channelPath(owner.channelId ?? "")));
    expect(byId).toEqual([b, a]);
    const channel = await apiJson<{ handle: string }>(`/api/v1/channels/${owner.channelId}`, 200);
    expect(ids(await walk(channelPath(`@${channel.handle}`)))).toEqual([b, a]);
    expect((await api(channelPath("ch_doesnotexist"))).status).toBe(404);
  });
});

describe("maturity in lists", () => {
  it("a kids profile sees only kids videos, a teen kids and teen, an adult (or anyone signed out) all", async () => {
    const owner = await seedAccount({ tag: "matlist", channel: true });
    const { adult: adultToken, kids: kidsToken, teen: teenToken } = await seedFamily("matfamily");
    const tag = uniqueWord("t").slice(0, 30);
    const now = Date.now();
    const kids = await storedVideo(owner, { tags: [tag], maturity: "kids", publishedAt: now - 3000 });
    const teen = await storedVideo(owner, { tags: [tag], maturity: "teen", publishedAt: now - 2000 });
    const adult = await storedVideo(owner, { tags: [tag], maturity: "adult", publishedAt: now - 1000 });

    expect(ids(await walk(tagPath(tag), kidsToken))).toEqual([kids]);
    expect(ids(await walk(tagPath(tag), teenToken))).toEqual([teen, kids]);
    expect(ids(await walk(tagPath(tag), adultToken))).toEqual([adult, teen, kids]);
    expect(ids(await walk(tagPath(tag)))).toEqual([adult, teen, kids]);
    expect(ids(await walk(channelPath(owner.channelId ?? ""), kidsToken))).toEqual([kids]);
    expect(ids(await walk(channelPath(owner.channelId ?? ""), teenToken))).toEqual([teen, kids]);
  });
});

describe("the studio list (GET /me/videos)", () => {
  interface StudioVideo {
    id: string;
    status: string;
    progress: number;
    visibility: string;
    viewCount: number;
  }

  it("holds every video of the account in every state but deleted, newest first, as full video objects", async () => {
    const owner = await seedAccount({ tag: "studio", channel: true });
    const stranger = await seedAccount({ tag: "studiostranger", channel: true });
    const made: string[] = [];
    for (const setup of [
      { status: "awaiting_upload" as const },
      { status: "processing" as const, playable: false },
      { visibility: "private" as const, viewCount: 5 },
      { status: "failed" as const },
      { visibility: "unlisted" as const },
    ]) {
      made.push(await storedVideo(owner, setup));
      await new Promise((r) => setTimeout(r, 2)); // distinct creation times
    }
    await storedVideo(owner, { status: "deleted" });
    await storedVideo(stranger, {});

    const seen = await listAll<StudioVideo>("/api/v1/me/videos", owner.accessToken);
    expect(seen.map((v) => v.id)).toEqual([...made].reverse());
    expect(seen.find((v) => v.id === made[2])).toMatchObject({
      visibility: "private",
      viewCount: 5,
      status: "ready",
    });
    expect(seen.find((v) => v.id === made[1])).toMatchObject({ status: "processing", progress: 0 });
  });

  it("shows a poster once a video can play (null before), on a card grant that opens no playlist", async () => {
    const owner = await seedAccount({ tag: "studioposter", channel: true });
    const waiting = await storedVideo(owner, { status: "processing", playable: false });
    const ready = await storedVideo(owner, {});
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7, 8, 9, 0xff, 0xd9]);
    await env.MEDIA.put(`videos/${ready}/thumbs/poster.jpg`, jpeg);
    const seen = await listAll<StudioVideo & { posterUrl: string | null }>(
      "/api/v1/me/videos",
      owner.accessToken,
    );
    expect(seen.find((v) => v.id === waiting)?.posterUrl).toBeNull();
    const poster = new URL(seen.find((v) => v.id === ready)?.posterUrl ?? "");
    expect(poster.pathname).toMatch(new RegExp(`^/media/${ready}/[^/]+/thumbs/poster\\.jpg$`));
    const res = await api(poster.pathname);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    expect((await api(poster.pathname.replace("thumbs/poster.jpg", "hls/master.m3u8"))).status).toBe(403);
  });

  it("needs a signed-in grown-up profile: 401 signed out, 403 for a kids profile", async () => {
    const owner = await seedAccount({ tag: "studiokids", channel: true, profiles: [{ maturity: "kids" }] });
    expect((await api("/api/v1/me/videos")).status).toBe(401);
    expect((await api("/api/v1/me/videos", { token: owner.profiles[1]?.token })).status).toBe(403);
    const viewer = await seedAccount({ tag: "studioviewer" });
    expect(await apiJson("/api/v1/me/videos", 200, { token: viewer.accessToken })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe("posters on cards", () => {
  it("a card's posterUrl serves the poster, and its token is refused for the playlist", async () => {
    const owner = await seedAccount({ tag: "poster", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const id = await storedVideo(owner, { tags: [tag] });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    await env.MEDIA.put(`videos/${id}/thumbs/poster.jpg`, jpeg);
    await env.MEDIA.put(`videos/${id}/hls/master.m3u8`, "#EXTM3U\n");
    const [card] = (await walk(tagPath(tag))) as { posterUrl: string }[];
    const poster = new URL(card?.posterUrl ?? "");
    expect(poster.pathname).toMatch(new RegExp(`^/media/${id}/[^/]+/thumbs/poster\\.jpg$`));
    const res = await api(poster.pathname);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    const playlist = await api(poster.pathname.replace("thumbs/poster.jpg", "hls/master.m3u8"));
    expect(playlist.status).toBe(403);
    expect(playlist.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a card's storyboardUrl (same token as the poster) serves the .vtt and its sprite, nothing playable", async () => {
    const owner = await seedAccount({ tag: "storyb", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const id = await storedVideo(owner, { tags: [tag] });
    const vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nsprite.jpg#xywh=0,0,160,90\n";
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6, 0xff, 0xd9]);
    const stored = {
      "storyboard/storyboard.vtt": vtt,
      "storyboard/sprite.jpg": jpeg,
      "hls/master.m3u8": "#EXTM3U\n",
      "hls/360p/playlist.m3u8": "#EXTM3U\n#EXT-X-ENDLIST\n",
      "hls/360p/init.mp4": jpeg,
      "hls/360p/seg_00001.m4s": jpeg,
      "hls/audio/seg_00001.m4s": jpeg,
      source: jpeg,
    };
    for (const [key, body] of Object.entries(stored)) await env.MEDIA.put(`videos/${id}/${key}`, body);
    const [card] = (await walk(tagPath(tag))) as { posterUrl: string; storyboardUrl: string | null }[];
    const storyboard = new URL(card?.storyboardUrl ?? "");
    const token = new URL(card?.posterUrl ?? "").pathname.split("/")[3];
    expect(storyboard.pathname).toBe(`/media/${id}/${token}/storyboard/storyboard.vtt`);
    const base = `/media/${id}/${token}/`;
    const index = await api(storyboard.pathname);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toContain("text/vtt");
    expect(await index.text()).toBe(vtt);
    const sprite = await api(`${base}storyboard/sprite.jpg`);
    expect(sprite.status).toBe(200);
    expect(new Uint8Array(await sprite.arrayBuffer())).toEqual(jpeg);
    for (const refused of [
      "hls/master.m3u8",
      "hls/360p/playlist.m3u8",
      "hls/360p/init.mp4",
      "hls/360p/seg_00001.m4s",
      "hls/audio/seg_00001.m4s",
      "source",
      "storyboard/../hls/master.m3u8",
      "storyboard/%2e%2e/hls/master.m3u8",
    ]) {
      const res = await api(`${base}${refused}`);
      await res.arrayBuffer();
      expect([403, 404], `${refused} answered ${res.status}`).toContain(res.status);
    }
  });

  it("a premium card has no storyboardUrl, and its poster token does not open the storyboard", async () => {
    const owner = await seedAccount({ tag: "storyprem", channel: true });
    const tag = uniqueWord("t").slice(0, 30);
    const premium = await storedVideo(owner, { tags: [tag], visibility: "premium" });
    const growing = await storedVideo(owner, { tags: [tag], status: "processing", playable: true });
    await env.MEDIA.put(`videos/${premium}/storyboard/storyboard.vtt`, "WEBVTT\n");
    await env.MEDIA.put(`videos/${premium}/storyboard/sprite.jpg`, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    const cards = (await walk(tagPath(tag))) as {
      id: string;
      posterUrl: string;
      storyboardUrl: string | null;
    }[];
    const card = cards.find((c) => c.id === premium);
    expect(card?.storyboardUrl).toBeNull();
    // Still processing: the storyboard is published with the last rung, so there is none to link yet.
    expect(cards.find((c) => c.id === growing)?.storyboardUrl).toBeNull();
    const poster = new URL(card?.posterUrl ?? "").pathname;
    for (const edited of ["storyboard/storyboard.vtt", "storyboard/sprite.jpg"]) {
      const res = await api(poster.replace("thumbs/poster.jpg", edited));
      expect(res.status, edited).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
