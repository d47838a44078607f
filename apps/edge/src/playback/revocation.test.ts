/**
 * Finding 7: playback handed out earlier must stop when the owner narrows who may watch (private,
 * premium, a higher rating) or deletes the video — including segments already in the edge cache.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  api,
  apiJson,
  eventually,
  type SeededAccount,
  seedAccount,
  storeReadyVideo,
} from "../../test/harness";

interface Playback {
  manifestUrl: string;
  posterUrl: string;
  storyboardUrl: string;
}

const path = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

const playback = (id: string, token?: string) =>
  apiJson<Playback>(`/api/v1/videos/${id}/playback`, 200, token ? { token } : {});

/**
 * Every kind of media URL a viewer holds after watching: playlists, a segment, images, and a card's
 * poster and storyboard.
 */
async function grantedUrls(owner: SeededAccount, id: string, token?: string): Promise<string[]> {
  const pb = await playback(id, token);
  const base = path(pb.manifestUrl).replace("hls/master.m3u8", "");
  const cards = await apiJson<{ items: { id: string; posterUrl: string; storyboardUrl: string | null }[] }>(
    `/api/v1/channels/${owner.channelId}/videos`,
    200,
  );
  const card = cards.items.find((c) => c.id === id);
  const cardStoryboard = card?.storyboardUrl ? path(card.storyboardUrl) : null;
  return [
    path(pb.manifestUrl),
    `${base}hls/720p/playlist.m3u8`,
    `${base}hls/720p/init.mp4`,
    `${base}hls/720p/seg_00001.m4s`,
    `${base}hls/audio/seg_00001.m4s`,
    path(pb.posterUrl),
    `${base}thumbs/thumb_1.jpg`,
    path(pb.storyboardUrl),
    `${base}storyboard/sprite.jpg`,
    ...(card ? [path(card.posterUrl)] : []),
    // A card's hover preview: the storyboard and its sprite under the card's poster grant.
    ...(cardStoryboard ? [cardStoryboard, cardStoryboard.replace("storyboard.vtt", "sprite.jpg")] : []),
  ];
}

/** Fetches every URL (all must play), then repeats a segment until the edge cache answers it. */
async function watch(urls: string[]): Promise<void> {
  for (const url of urls) {
    const res = await api(url);
    expect(res.status, url).toBe(200);
    await res.arrayBuffer();
  }
  const segment = urls.find((u) => u.endsWith("720p/seg_00001.m4s")) ?? "";
  await eventually(async () => {
    const res = await api(segment);
    await res.arrayBuffer();
    return res.headers.get("x-marquee-cache") === "hit";
  });
}

async function expectAllRefused(urls: string[]): Promise<void> {
  for (const url of urls) {
    const res = await api(url);
    await res.arrayBuffer();
    expect([403, 404], `${url} answered ${res.status}`).toContain(res.status);
  }
}

const patch = (owner: SeededAccount, id: string, json: Record<string, unknown>) =>
  apiJson(`/api/v1/videos/${id}`, 200, { method: "PATCH", token: owner.accessToken, json });

const cacheKey = (id: string, p: string) =>
  new Request(`https://media-cache.marquee.internal/videos/${id}/${p}`);

describe("revoking playback already handed out", () => {
  it("making a video private stops every old media URL, cached segments included; the owner still plays with a fresh link", async () => {
    const owner = await seedAccount({ tag: "rvpriv", channel: true });
    const id = await storeReadyVideo(owner);
    const urls = await grantedUrls(owner, id);
    expect(urls).toHaveLength(12);
    await watch(urls);

    await patch(owner, id, { visibility: "private" });
    await expectAllRefused(urls);

    // The owner's own fresh link plays, segments (still cached) and images alike.
    const fresh = await playback(id, owner.accessToken);
    const base = path(fresh.manifestUrl).replace("hls/master.m3u8", "");
    for (const url of [path(fresh.manifestUrl), `${base}hls/720p/seg_00001.m4s`, path(fresh.posterUrl)]) {
      expect((await api(url)).status, url).toBe(200);
    }
    // And a stranger gets no fresh link at all.
    expect((await api(`/api/v1/videos/${id}/playback`)).status).toBe(404);
  });

  it("moving a video to premium or raising its rating stops links handed out under the old rules", async () => {
    const owner = await seedAccount({ tag: "rvprem", channel: true });
    const word = `w${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const premium = await storeReadyVideo(owner, { title: `Premiere ${word}` });
    const before = await grantedUrls(owner, premium);
    await watch(before);
    await patch(owner, premium, { visibility: "premium" });
    await expectAllRefused(before);
    // Premium videos stay listed: fresh cards carry the new generation, and their posters load;
    // they no longer offer a storyboard.
    type Cards = { items: { id: string; posterUrl: string; storyboardUrl: string | null }[] };
    const listed = await apiJson<Cards>(`/api/v1/channels/${owner.channelId}/videos`, 200);
    const found = await apiJson<Cards>(`/api/v1/search?q=${word}`, 200);
    for (const items of [listed.items, found.items]) {
      const card = items.find((c) => c.id === premium);
      expect((await api(path(card?.posterUrl ?? ""))).status).toBe(200);
      expect(card?.storyboardUrl).toBeNull();
    }

    const rated = await storeReadyVideo(owner, { maturity: "kids" });
    const kidsUrls = await grantedUrls(owner, rated);
    await watch(kidsUrls);
    await patch(owner, rated, { maturity: "adult" });
    await expectAllRefused(kidsUrls);
    // Lowering the bar again, or widening the audience, does not cut anyone off.
    const adultUrls = await grantedUrls(owner, rated);
    await patch(owner, rated, { maturity: "teen", title: "Renamed" });
    expect((await api(adultUrls[0] ?? "")).status).toBe(200);
  });

  it("widening the audience or editing metadata keeps existing links working", async () => {
    const owner = await seedAccount({ tag: "rvwide", channel: true });
    const id = await storeReadyVideo(owner, { visibility: "private" });
    const pb = await playback(id, owner.accessToken);
    await patch(owner, id, { visibility: "unlisted" });
    await patch(owner, id, { visibility: "public", title: "Now public", tags: ["x"] });
    expect((await api(path(pb.manifestUrl))).status).toBe(200);
  });

  it("deleting a video stops every old media URL at once and purges its cached segments", async () => {
    const owner = await seedAccount({ tag: "rvdel", channel: true });
    const id = await storeReadyVideo(owner);
    const urls = await grantedUrls(owner, id);
    await watch(urls);
    const cached = cacheKey(id, "hls/720p/seg_00001.m4s");
    expect(await caches.default.match(cached)).toBeTruthy();

    const res = await api(`/api/v1/videos/${id}`, { method: "DELETE", token: owner.accessToken });
    expect(res.status).toBe(204);
    // At once, before the storage cleanup has removed anything from R2 or the cache.
    await expectAllRefused(urls);

    await eventually(async () => !(await caches.default.match(cached)), 15_000);
    await eventually(
      async () => (await env.MEDIA.list({ prefix: `videos/${id}/` })).objects.length === 0,
      15_000,
    );
    await expectAllRefused(urls);
  });

  it("deleting the account stops every old media URL of its videos at once (they leave by cascade)", async () => {
    const owner = await seedAccount({ tag: "rvacct", channel: true });
    const id = await storeReadyVideo(owner);
    const urls = await grantedUrls(owner, id);
    await watch(urls);
    const res = await api("/api/v1/me", {
      method: "DELETE",
      token: owner.accessToken,
      json: { password: owner.password },
    });
    expect(res.status).toBe(204);
    await expectAllRefused(urls);
  });
});
