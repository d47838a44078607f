/**
 * CORS of `/media` (media-cors.ts): an HLS player on another origin gets the headers on every answer
 * — playlists, 200 and 206 segments, 304 revalidations and every problem — and its preflight is
 * answered without a token, the same whatever the path names.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, seedAccount, storeReadyVideo } from "../../test/harness";
import {
  MEDIA_ALLOWED_HEADERS,
  MEDIA_ALLOWED_METHODS,
  MEDIA_EXPOSED_HEADERS,
  MEDIA_PREFLIGHT_MAX_AGE,
} from "./media-cors";

const PLAYER_ORIGIN = "https://player.example";

/** The playback's media base, `/media/{videoId}/{token}/`, for an anonymous (free, 720p) viewer. */
async function mediaBase(id: string): Promise<string> {
  const pb = await apiJson<{ manifestUrl: string }>(`/api/v1/videos/${id}/playback`, 200);
  return new URL(pb.manifestUrl).pathname.replace("hls/master.m3u8", "");
}

const fromPlayer = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  api(path, { method, headers: { origin: PLAYER_ORIGIN, ...headers } });

function expectCors(res: Response, what: string): void {
  expect(res.headers.get("access-control-allow-origin"), what).toBe("*");
  const exposed = res.headers.get("access-control-expose-headers") ?? "";
  for (const name of ["content-length", "content-range", "accept-ranges", "etag"])
    expect(exposed, what).toContain(name);
}

/** The preflight a browser sends before a Range GET from another origin. */
const preflight = (path: string) =>
  fromPlayer(
    path,
    { "access-control-request-method": "GET", "access-control-request-headers": "range" },
    "OPTIONS",
  );

describe("/media CORS", () => {
  it("answers 200 playlists and segments, 206 ranges and 304 revalidations with the CORS headers", async () => {
    const owner = await seedAccount({ tag: "corsok", channel: true });
    const base = await mediaBase(await storeReadyVideo(owner));

    const master = await fromPlayer(`${base}hls/master.m3u8`);
    expect(master.status).toBe(200);
    expect(await master.text()).toContain("720p/playlist.m3u8");
    expectCors(master, "master");
    const playlist = await fromPlayer(`${base}hls/720p/playlist.m3u8`);
    expect(playlist.status).toBe(200);
    await playlist.text();
    expectCors(playlist, "media playlist");

    const segment = `${base}hls/720p/seg_00001.m4s`;
    const full = await fromPlayer(segment);
    expect(full.status).toBe(200);
    expect((await full.arrayBuffer()).byteLength).toBe(1000);
    expectCors(full, "segment");
    const head = await fromPlayer(segment, {}, "HEAD");
    expect(head.status).toBe(200);
    expectCors(head, "HEAD");

    const range = await fromPlayer(segment, { range: "bytes=10-19" });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect([...new Uint8Array(await range.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expectCors(range, "206");

    // Once the edge cache holds the segment, a revalidation with its ETag is a bodiless 304.
    let etag = "";
    await eventually(async () => {
      const res = await fromPlayer(segment);
      await res.arrayBuffer();
      etag = res.headers.get("etag") ?? "";
      return res.headers.get("x-marquee-cache") === "hit";
    });
    const revalidated = await fromPlayer(segment, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(await revalidated.text()).toBe("");
    expectCors(revalidated, "304");
    // Another validator still gets the body.
    const changed = await fromPlayer(segment, { "if-none-match": '"another"' });
    expect(changed.status).toBe(200);
    expect((await changed.arrayBuffer()).byteLength).toBe(1000);
  });

  it("answers every refusal as a problem with the CORS headers: 403, 404, 416", async () => {
    const owner = await seedAccount({ tag: "corserr", channel: true });
    const id = await storeReadyVideo(owner);
    const base = await mediaBase(id);
    const forged = base.replace(/\/[^/]+\/$/, "/1.k0.0.AAAAAAAAAAAAAAAAAAAAAA/");
    const cases: [string, Record<string, string>, number][] = [
      [`${forged}hls/720p/seg_00001.m4s`, {}, 403], // a forged token
      [`${base}hls/1080p/seg_00001.m4s`, {}, 403], // above the free plan's cap
      [`${base}hls/720p/seg_00099.m4s`, {}, 404], // no such segment
      [`${base}source`, {}, 404], // not a media output
      [`/media/${id}`, {}, 404], // no token at all: no route
      [`${base}hls/720p/seg_00001.m4s`, { range: "bytes=5000-" }, 416],
    ];
    for (const [path, headers, status] of cases) {
      const res = await fromPlayer(path, headers);
      const what = `${path} ${JSON.stringify(headers)}`;
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      expect(((await res.json()) as { status: number }).status, what).toBe(status);
      expectCors(res, what);
    }
  });

  it("answers a preflight on any /media path with 204 and the allowed methods and headers, without a token", async () => {
    const res = await preflight("/media/vid_anything/notatoken/hls/720p/seg_00001.m4s");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe(MEDIA_ALLOWED_METHODS);
    expect(res.headers.get("access-control-allow-headers")).toBe(MEDIA_ALLOWED_HEADERS);
    expect(res.headers.get("access-control-allow-headers")).toContain("range");
    expect(res.headers.get("access-control-max-age")).toBe(MEDIA_PREFLIGHT_MAX_AGE);
    expect(res.headers.get("access-control-expose-headers")).toBe(MEDIA_EXPOSED_HEADERS);
    expect(res.headers.get("allow")).toBe(MEDIA_ALLOWED_METHODS);
    // Short paths too (a player's first preflight may be for the master of a malformed link).
    expect((await preflight("/media/x")).status).toBe(204);
  });

  it("lets a preflight tell nothing: a valid link, a forged one and a missing video answer alike, with no body", async () => {
    const owner = await seedAccount({ tag: "corsleak", channel: true });
    const id = await storeReadyVideo(owner);
    const base = await mediaBase(id);
    const paths = [
      `${base}hls/720p/seg_00001.m4s`, // exists, token valid
      `${base}hls/1080p/seg_00001.m4s`, // above the cap
      base.replace(/\/[^/]+\/$/, "/1.k0.0.AAAAAAAAAAAAAAAAAAAAAA/hls/720p/seg_00001.m4s"),
      `/media/vid_doesnotexist/${base.split("/")[3]}/hls/720p/seg_00001.m4s`,
      `${base}source`,
    ];
    const answers: string[] = [];
    for (const path of paths) {
      const res = await preflight(path);
      expect(res.status, path).toBe(204);
      expect(await res.text(), path).toBe("");
      for (const name of ["etag", "content-range", "x-marquee-cache", "last-modified", "content-type"])
        expect(res.headers.get(name), `${path} ${name}`).toBeNull();
      const headers = [...res.headers.entries()].filter(([name]) => name !== "x-request-id");
      answers.push(JSON.stringify(headers));
    }
    expect(new Set(answers).size).toBe(1);
  });
});
