/**
 * Read-your-writes through `X-D1-Bookmark`, end to end through the worker (docs/read-replicas.md).
 *
 * Local D1 (miniflare) is one SQLite copy with no replicas, so a read here can never be stale and
 * these tests cannot show replica lag. What they do show: every API response that touched D1
 * carries a real bookmark, bookmarks only move forward, a read's session is opened at the bookmark
 * the client sent (a far-future bookmark comes back unchanged, because a session keeps the greatest
 * bookmark it has seen), a write's session is not (it starts on the primary), and no header value
 * breaks a request.
 */
import { describe, expect, it } from "vitest";
import { api, seedAccount } from "../../test/harness";
import { BOOKMARK_HEADER, parseBookmark } from "../db/session";

const FUTURE = "ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff";

function bookmarkOf(res: Response): string {
  const value = res.headers.get(BOOKMARK_HEADER);
  expect(value, `${res.url} has no ${BOOKMARK_HEADER}`).not.toBeNull();
  expect(parseBookmark(value)).toBe(value);
  return value as string;
}

describe("X-D1-Bookmark", () => {
  it("a write returns a bookmark and a read carrying it sees the write", async () => {
    const user = await seedAccount({ tag: "bookmark" });
    const name = `Renamed ${crypto.randomUUID().slice(0, 8)}`;
    const write = await api("/api/v1/me", {
      method: "PATCH",
      token: user.accessToken,
      json: { displayName: name },
    });
    expect(write.status).toBe(200);
    const afterWrite = bookmarkOf(write);

    const read = await api("/api/v1/me", {
      token: user.accessToken,
      headers: { [BOOKMARK_HEADER]: afterWrite },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { displayName: string }).displayName).toBe(name);
    const afterRead = bookmarkOf(read);
    expect(afterRead >= afterWrite).toBe(true);
  });

  it("opens a read's session at the client's bookmark and a write's on the primary", async () => {
    const user = await seedAccount({ tag: "bookmark" });
    const headers = { [BOOKMARK_HEADER]: FUTURE };
    const read = await api("/api/v1/me", { token: user.accessToken, headers });
    expect(read.status).toBe(200);
    expect(bookmarkOf(read)).toBe(FUTURE);

    const write = await api("/api/v1/me", {
      method: "PATCH",
      token: user.accessToken,
      headers,
      json: { displayName: "Primary Person" },
    });
    expect(write.status).toBe(200);
    expect(bookmarkOf(write) < FUTURE).toBe(true);
  });

  it("a malformed or oversized bookmark does not break the request and is never echoed", async () => {
    const user = await seedAccount({ tag: "bookmark" });
    for (const bad of ["garbage", FUTURE.toUpperCase(), `${FUTURE}0`, "b".repeat(8000), "first-primary"]) {
      const res = await api("/api/v1/me", { token: user.accessToken, headers: { [BOOKMARK_HEADER]: bad } });
      expect(res.status, bad.slice(0, 40)).toBe(200);
      expect(bookmarkOf(res)).not.toBe(bad);
    }
  });

  it("a response that ran no query hands back the client's bookmark, or none", async () => {
    const mine = "00000000-00000001-00000000-00000000000000000000000000000000";
    const echoed = await api("/api/openapi.json", { headers: { [BOOKMARK_HEADER]: mine } });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get(BOOKMARK_HEADER)).toBe(mine);
    const none = await api("/api/openapi.json");
    expect(none.status).toBe(200);
    expect(none.headers.get(BOOKMARK_HEADER)).toBeNull();
  });

  it("problem responses carry it too, and non-API responses never do", async () => {
    const user = await seedAccount({ tag: "bookmark" });
    // The token check read D1 before validation refused the id.
    const refused = await api("/api/v1/videos/not-a-video-id", { token: user.accessToken });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    bookmarkOf(refused);
    const health = await api("/healthz", { headers: { [BOOKMARK_HEADER]: FUTURE } });
    expect(health.status).toBe(200);
    expect(health.headers.get(BOOKMARK_HEADER)).toBeNull();
  });

  it("CORS lets a browser send and read it", async () => {
    const origin = "http://localhost:5173";
    const preflight = await api("/api/v1/me", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": `authorization, ${BOOKMARK_HEADER}`,
      },
    });
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(BOOKMARK_HEADER);
    const user = await seedAccount({ tag: "bookmark" });
    const actual = await api("/api/v1/me", { token: user.accessToken, headers: { origin } });
    expect(actual.status).toBe(200);
    expect(actual.headers.get("access-control-expose-headers")?.toLowerCase()).toContain(BOOKMARK_HEADER);
  });
});
