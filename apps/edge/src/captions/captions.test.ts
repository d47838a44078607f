/** Captions through the API and the media route (docs/captions.md). */

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount, storeReadyVideo } from "../../test/harness";
import { adScene } from "../ads/delivery-fixtures";
import { videos } from "../db/schema";

interface Track {
  language: string;
  label: string;
  cueCount: number;
  updatedAt: string;
}

const ENGLISH = `WEBVTT

00:00:01.000 --> 00:00:04.000
Welcome to the kitchen

00:00:12.500 --> 00:00:14.000
Now the zucchini goes in
`;
const GERMAN_SRT = "1\r\n00:00:01,000 --> 00:00:04,000\r\nWillkommen in der Küche\r\n\r\n";

let owner: SeededAccount;
let stranger: SeededAccount;

const put = (videoId: string, language: string, body: BodyInit, token = owner.accessToken, query = "") =>
  api(`/api/v1/videos/${videoId}/captions/${language}${query}`, {
    method: "PUT",
    token,
    body,
    headers: { "content-type": "text/vtt" },
  });
const playback = (id: string, token?: string) =>
  apiJson<{ manifestUrl: string }>(`/api/v1/videos/${id}/playback`, 200, { token });
const mediaPath = (url: string) => new URL(url).pathname;

beforeAll(async () => {
  [owner, stranger] = await Promise.all([
    seedAccount({ tag: "capowner", channel: true }),
    seedAccount({ tag: "capstranger" }),
  ]);
});

describe("captions", () => {
  it("a WebVTT and an SRT language become SUBTITLES renditions with segmented WebVTT any player can fetch", async () => {
    const id = await storeReadyVideo(owner, { durationMs: 25_000 });
    const en = await put(id, "en", ENGLISH);
    expect(en.status).toBe(201);
    expect((await en.json()) as Track).toMatchObject({ language: "en", label: "English", cueCount: 2 });
    const de = await put(id, "de", GERMAN_SRT, owner.accessToken, "?label=Deutsch%20(SRT)");
    expect(de.status).toBe(201);
    const list = await apiJson<{ items: Track[] }>(`/api/v1/videos/${id}/captions`, 200, {
      token: owner.accessToken,
    });
    expect(list.items.map((t) => [t.language, t.label])).toEqual([
      ["de", "Deutsch (SRT)"],
      ["en", "English"],
    ]);

    const masterPath = mediaPath((await playback(id)).manifestUrl);
    const master = await (await api(masterPath)).text();
    const media = master.split("\n").filter((l) => l.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES"));
    expect(media).toHaveLength(2);
    expect(media[0]).toMatch(
      /GROUP-ID="subs",NAME="Deutsch \(SRT\)",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES/,
    );
    for (const variant of master.split("\n").filter((l) => l.startsWith("#EXT-X-STREAM-INF:"))) {
      expect(variant).toContain('SUBTITLES="subs"');
    }
    const uri = /LANGUAGE="en".*URI="([^"]+)"/.exec(master)?.[1] as string;
    expect(uri).toMatch(/^subs\/en-[0-9a-f]{12}\/index\.m3u8$/);
    const playlistRes = await api(masterPath.replace("master.m3u8", uri));
    expect(playlistRes.status).toBe(200);
    expect(playlistRes.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    const playlist = await playlistRes.text();
    // 25 s in 10 s segments: 10 + 10 + 5.
    expect(playlist.match(/#EXTINF:[\d.]+,/g)).toEqual([
      "#EXTINF:10.000,",
      "#EXTINF:10.000,",
      "#EXTINF:5.000,",
    ]);
    expect(playlist).toContain("#EXT-X-ENDLIST");
    const segment = (n: number) =>
      api(masterPath.replace("master.m3u8", uri.replace("index.m3u8", `${n}.vtt`)));
    const first = await segment(0);
    expect(first.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    const firstText = await first.text();
    expect(firstText).toMatch(/^WEBVTT\n/);
    expect(firstText).toContain("00:00:01.000 --> 00:00:04.000\nWelcome to the kitchen");
    expect(firstText).not.toContain("zucchini");
    expect(await (await segment(1)).text()).toContain("Now the zucchini goes in");
    expect((await segment(3)).status).toBe(404);
  });

  it("replacing a language moves it to a new revision; players of the one replaced play on, the one before is gone; deleting removes it", async () => {
    const id = await storeReadyVideo(owner, { durationMs: 20_000 });
    const uriIn = async () =>
      /URI="(subs\/en-[^"]+)"/.exec(
        await (await api(mediaPath((await playback(id)).manifestUrl))).text(),
      )?.[1] as string;
    const masterPath = mediaPath((await playback(id)).manifestUrl);
    const segmentOf = (uri: string) =>
      api(masterPath.replace("master.m3u8", uri.replace("index.m3u8", "0.vtt")));
    expect((await put(id, "en", ENGLISH, owner.accessToken, "?label=Mine")).status).toBe(201);
    const first = await uriIn();
    // A replace without a label keeps the track's.
    const replaced = await put(id, "en", "WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nSecond take\n");
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as Track).label).toBe("Mine");
    const second = await uriIn();
    expect(second).not.toBe(first);
    expect(await (await segmentOf(first)).text()).toContain("Welcome to the kitchen");
    expect(await (await segmentOf(second)).text()).toContain("Second take");
    expect((await put(id, "en", "WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nThird take\n")).status).toBe(200);
    expect((await segmentOf(first)).status).toBe(404);
    expect((await segmentOf(second)).status).toBe(200);
    const file = await api(`/api/v1/videos/${id}/captions/en`, { token: owner.accessToken });
    expect(await file.text()).toBe("WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nThird take\n\n");
    const gone = await api(`/api/v1/videos/${id}/captions/en`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(gone.status).toBe(204);
    expect(await (await api(mediaPath((await playback(id)).manifestUrl))).text()).not.toContain("SUBTITLES");
    expect((await segmentOf(second)).status).toBe(404);
    expect(
      (await api(`/api/v1/videos/${id}/captions/en`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(404);
  });

  it("new languages sent at once never pass the limit; a long default name fits the label limit", async () => {
    const id = await storeReadyVideo(owner, { durationMs: 30_000 });
    const tags = ["aa", "ab", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg"];
    for (const tag of tags) expect((await put(id, tag, ENGLISH)).status).toBe(201);
    // Two places left, six asked for at once.
    const racing = await Promise.all(
      ["bi", "bm", "bn", "bo", "br", "bs"].map((tag) => put(id, tag, ENGLISH)),
    );
    expect(racing.filter((r) => r.status === 201).length).toBeLessThanOrEqual(2);
    for (const r of racing) expect([201, 409]).toContain(r.status);
    const list = await apiJson<{ items: Track[] }>(`/api/v1/videos/${id}/captions`, 200, {
      token: owner.accessToken,
    });
    expect(list.items.length).toBeLessThanOrEqual(16);
    const other = await storeReadyVideo(owner, { durationMs: 30_000 });
    const long = (await (await put(other, "en-GS", ENGLISH)).json()) as Track;
    expect(Array.from(long.label).length).toBeLessThanOrEqual(40);
    // And sent back as it is, it is accepted.
    expect(
      (await put(other, "en-GS", ENGLISH, owner.accessToken, `?label=${encodeURIComponent(long.label)}`))
        .status,
    ).toBe(200);
  });

  it("what the captions say is searchable and ranks below the same word in a title", async () => {
    const word = `quokka${Date.now().toString(36)}`;
    const said = await storeReadyVideo(owner, { durationMs: 20_000, title: "A walk on the island" });
    const titled = await storeReadyVideo(owner, { durationMs: 20_000, title: `The ${word} video` });
    await put(said, "en", `WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nLook, a ${word}!\n`);
    const found = await apiJson<{ items: { id: string }[] }>(`/api/v1/search?q=${word}`, 200);
    expect(found.items.map((v) => v.id)).toEqual([titled, said]);
    await api(`/api/v1/videos/${said}/captions/en`, { method: "DELETE", token: owner.accessToken });
    const after = await apiJson<{ items: { id: string }[] }>(`/api/v1/search?q=${word}`, 200);
    expect(after.items.map((v) => v.id)).toEqual([titled]);
  });

  it("refuses bad files with a 4xx naming the line, and others' videos", async () => {
    const id = await storeReadyVideo(owner, { durationMs: 10_000 });
    const problem = async (res: Response) => ({
      status: res.status,
      body: (await res.json()) as { detail?: string },
    });
    const backwards = await problem(
      await put(id, "en", "WEBVTT\n\n00:00:04.000 --> 00:00:03.000\nBackwards\n"),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.detail).toMatch(/line 3/);
    const late = await problem(
      await put(id, "en", "WEBVTT\n\n00:00:30.000 --> 00:00:31.000\nAfter the end\n"),
    );
    expect(late.status).toBe(400);
    expect(late.body.detail).toMatch(/line 3/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const binary = await problem(await put(id, "en", png));
    expect(binary.status).toBe(400);
    expect(binary.body.detail).toMatch(/not a text file/);
    const huge = await put(id, "en", `WEBVTT\n\n${"x".repeat(600 * 1024)}`);
    expect(huge.status).toBe(413);
    expect((await put(id, "not a tag", ENGLISH)).status).toBe(400);
    expect((await put(id, "en", ENGLISH, stranger.accessToken)).status).toBe(403);
    expect((await api(`/api/v1/videos/${id}/captions`, { token: stranger.accessToken })).status).toBe(403);
    expect((await api(`/api/v1/videos/${id}/captions`)).status).toBe(401);
    expect(
      (await apiJson<{ items: Track[] }>(`/api/v1/videos/${id}/captions`, 200, { token: owner.accessToken }))
        .items,
    ).toEqual([]);
  });

  it("waits for the video's length, and holds at most 16 languages", async () => {
    const unprobed = await storeReadyVideo(owner);
    expect((await put(unprobed, "en", ENGLISH)).status).toBe(409);
    const id = await storeReadyVideo(owner, { durationMs: 30_000 });
    const tags = [
      "aa",
      "ab",
      "af",
      "ak",
      "am",
      "an",
      "ar",
      "as",
      "av",
      "ay",
      "az",
      "ba",
      "be",
      "bg",
      "bi",
      "bm",
    ];
    for (const tag of tags) expect((await put(id, tag, ENGLISH)).status).toBe(201);
    const over = await put(id, "bn", ENGLISH);
    expect(over.status).toBe(409);
    expect(((await over.json()) as { code?: string; type: string }).type).toMatch(/limit-reached/);
    // Replacing one of the sixteen is no new language.
    expect((await put(id, "aa", ENGLISH)).status).toBe(200);
  });

  it("with a stitched pre-roll, the subtitles playlist leaves the ad's length empty in front, behind the same discontinuity", async () => {
    const scene = await adScene("capads");
    await testDb().update(videos).set({ durationMs: 20_000 }).where(eq(videos.id, scene.contentId));
    expect((await put(scene.contentId, "en", ENGLISH, scene.owner.accessToken)).status).toBe(201);
    const pb = await apiJson<{ manifestUrl: string; ad: { durationMs: number } | null }>(
      `/api/v1/videos/${scene.contentId}/playback`,
      200,
    );
    expect(pb.ad, "a free viewer's playback carries the ad").not.toBeNull();
    const masterPath = mediaPath(pb.manifestUrl);
    const uri = /URI="(subs\/en-[^"]+)"/.exec(await (await api(masterPath)).text())?.[1] as string;
    const stitched = await (await api(masterPath.replace("master.m3u8", "720p/playlist.m3u8"))).text();
    const adSeconds = Number(/DURATION=([\d.]+)/.exec(stitched)?.[1]);
    expect(adSeconds).toBeGreaterThan(0);
    const subtitles = (await (await api(masterPath.replace("master.m3u8", uri))).text()).split("\n");
    const first = subtitles.findIndex((l) => l.startsWith("#EXTINF:"));
    expect(subtitles.slice(first, first + 4)).toEqual([
      `#EXTINF:${adSeconds.toFixed(3)},`,
      "gap.vtt",
      "#EXT-X-DISCONTINUITY",
      "#EXTINF:10.000,",
    ]);
    const gap = await api(masterPath.replace("master.m3u8", uri.replace("index.m3u8", "gap.vtt")));
    expect(await gap.text()).toBe("WEBVTT\n\n");
    // A premium viewer's playback has no ad, and its subtitles no gap.
    const premium = await seedAccount({ tag: "cappremium" });
    await insertBillingSubscription(premium.accountId, { planId: "premium" });
    const own = await playback(scene.contentId, premium.accessToken);
    const ownPath = mediaPath(own.manifestUrl);
    const ownUri = /URI="(subs\/en-[^"]+)"/.exec(await (await api(ownPath)).text())?.[1] as string;
    expect(await (await api(ownPath.replace("master.m3u8", ownUri))).text()).not.toContain("gap.vtt");
  });

  it("a tag is spelled canonically: pt-br and pt-BR are one language; one whose canonical form leaves the pattern is refused", async () => {
    const id = await storeReadyVideo(owner, { durationMs: 30_000 });
    expect((await put(id, "pt-br", ENGLISH)).status).toBe(201);
    expect((await put(id, "pt-BR", ENGLISH)).status).toBe(200);
    const list = await apiJson<{ items: Track[] }>(`/api/v1/videos/${id}/captions`, 200, {
      token: owner.accessToken,
    });
    expect(list.items.map((t) => t.language)).toEqual(["pt-BR"]);
    // Canonically en-US-u-va-posix: a path the media route would not serve.
    expect((await put(id, "en-US-POSIX", ENGLISH)).status).toBe(400);
  });
});
