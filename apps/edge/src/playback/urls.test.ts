/**
 * Finding 11: absolute URLs the API hands out (playback, posters on every kind of card, upload URLs)
 * are built on the configured PUBLIC_URL, never on the Host a caller sent: a forged Host or
 * X-Forwarded-Host must not turn the API into a generator of links to someone else's site.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount, storeReadyVideo, unique } from "../../test/harness";
import { loadConfig } from "../config";
import { watchHistory } from "../db/schema";

const EVIL = "http://evil.example";
const publicUrl = loadConfig(env).publicUrl.replace(/\/+$/, "");

async function evilJson(path: string, token?: string, init: RequestInit = {}): Promise<unknown> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  headers.set("x-forwarded-host", "evil.example");
  headers.set("x-forwarded-proto", "https");
  headers.set("forwarded", "host=evil.example;proto=https");
  headers.set("cf-connecting-ip", "10.9.9.9");
  const res = await SELF.fetch(`${EVIL}${path}`, { ...init, headers });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBeLessThan(300);
  return JSON.parse(text);
}

/** Every string in a JSON document that looks like an absolute URL. */
function urlsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) urlsIn(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) urlsIn(v, out);
  }
  return out;
}

function expectOnPublicUrl(label: string, body: unknown, atLeast: number): void {
  const urls = urlsIn(body);
  expect(urls.length, `${label}: ${JSON.stringify(body).slice(0, 300)}`).toBeGreaterThanOrEqual(atLeast);
  for (const url of urls) {
    expect(url.startsWith(`${publicUrl}/`), `${label} answered ${url}`).toBe(true);
    expect(url).not.toContain("evil.example");
  }
}

describe("absolute URLs use PUBLIC_URL whatever Host the request names", () => {
  it("playback, cards (channel, tag, search, feed, subscriptions, trending, history) and uploads", async () => {
    expect(publicUrl).not.toContain("evil.example");
    const owner = await seedAccount({ tag: "pubown", channel: true });
    const viewer = await seedAccount({ tag: "pubview" });
    const word = unique("zq")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    const tag = `t${word}`.slice(0, 30);
    const id = await storeReadyVideo(owner, { title: `Harbour ${word}`, tags: [tag] });

    expectOnPublicUrl("playback", await evilJson(`/api/v1/videos/${id}/playback`, viewer.accessToken), 3);
    expectOnPublicUrl("channel", await evilJson(`/api/v1/channels/${owner.channelId}/videos`), 1);
    expectOnPublicUrl("tag", await evilJson(`/api/v1/tags/${encodeURIComponent(tag)}/videos`), 1);
    expectOnPublicUrl("search", await evilJson(`/api/v1/search?q=${word}`), 1);

    await evilJson(`/api/v1/channels/${owner.channelId}/subscription`, viewer.accessToken, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ level: "none" }),
    });
    expectOnPublicUrl("subscriptions", await evilJson("/api/v1/feed/subscriptions", viewer.accessToken), 1);
    expectOnPublicUrl("feed", await evilJson("/api/v1/feed", viewer.accessToken), 0);
    expectOnPublicUrl("trending", await evilJson("/api/v1/trending"), 0);

    const now = Date.now();
    await testDb().insert(watchHistory).values({
      profileId: viewer.profileId,
      videoId: id,
      positionMs: 1000,
      watchedMs: 1000,
      firstWatchedAt: now,
      lastWatchedAt: now,
    });
    expectOnPublicUrl("history", await evilJson("/api/v1/me/history", viewer.accessToken), 1);
    expectOnPublicUrl("history entry", await evilJson(`/api/v1/me/history/${id}`, viewer.accessToken), 1);

    const created = await evilJson("/api/v1/videos", owner.accessToken, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Upload", upload: { size: 10, contentType: "video/mp4" } }),
    });
    expectOnPublicUrl("upload", created, 1);
  });
});
