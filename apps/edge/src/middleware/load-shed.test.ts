// The load shedder in workerd, in a small app with the real error handler: what is refused, with
// what, and what never is.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../types";
import { onError } from "./errors";
import {
  leakRequestForTest,
  loadShed,
  requestsInFlight,
  SHED_RETRY_AFTER_SECONDS,
  STALE_MS,
} from "./load-shed";

/** An app whose every route waits until `release()`: requests pile up in flight. */
function held(limit: number) {
  let release = () => {};
  const gate = new Promise<void>((done) => {
    release = done;
  });
  const app = new Hono<AppEnv>();
  app.use(
    "*",
    loadShed(() => limit),
  );
  app.all("*", async (c) => {
    await gate;
    return c.json({ ok: true });
  });
  app.onError(onError);
  return { app, release };
}

const get = (app: Hono<AppEnv>, path: string, headers: Record<string, string> = {}) =>
  app.request(`http://edge.test${path}`, { headers });

/** Lets the started requests reach the middleware. */
const settle = () => new Promise((done) => setTimeout(done, 10));

describe("load shedding", () => {
  it("past the limit, refuses /api and /media at once with 503 unavailable and Retry-After; the admitted ones finish", async () => {
    const { app, release } = held(3);
    const admitted = [get(app, "/api/v1/feed"), get(app, "/media/v/t/seg.m4s"), get(app, "/api/v1/trending")];
    await settle();
    expect(requestsInFlight()).toBe(3);
    for (const path of ["/api/v1/search?q=a", "/media/v/t/master.m3u8"]) {
      const refused = await get(app, path);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe(String(SHED_RETRY_AFTER_SECONDS));
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(await refused.json()).toMatchObject({ code: "unavailable", status: 503 });
    }
    release();
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(requestsInFlight()).toBe(0);
    // Room again: served.
    expect((await get(app, "/api/v1/feed")).status).toBe(200);
  });

  it("never refuses the origin's calls, provider webhooks, WebSocket upgrades, uploads, pages or /healthz", async () => {
    const { app, release } = held(1);
    const filler = get(app, "/api/v1/feed");
    await settle();
    const exempt = [
      get(app, "/internal/jobs/lease"),
      get(app, "/api/v1/webhooks/stripe"),
      get(app, "/api/v1/me/notifications/live", { upgrade: "websocket" }),
      get(app, "/storage/videos/v/source"),
      get(app, "/watch/vid_x"),
      get(app, "/healthz"),
    ];
    await settle();
    expect((await get(app, "/api/v1/feed")).status).toBe(503);
    release();
    expect((await Promise.all([filler, ...exempt])).map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 200, 200,
    ]);
  });

  it("counts a request that failed as finished (the count cannot leak)", async () => {
    const app = new Hono<AppEnv>();
    app.use(
      "*",
      loadShed(() => 1),
    );
    app.get("*", () => {
      throw new Error("boom");
    });
    app.onError(onError);
    for (let i = 0; i < 3; i++) expect((await get(app, "/api/v1/x")).status).toBe(500);
    expect(requestsInFlight()).toBe(0);
  });

  it("forgets a request whose client vanished without its finally running, after STALE_MS", async () => {
    const { app, release } = held(2);
    // Two leaked slots, as a reset connection leaves them when workerd drops the request's promises.
    leakRequestForTest(Date.now() - STALE_MS + 200);
    leakRequestForTest(Date.now() - STALE_MS + 200);
    expect((await get(app, "/api/v1/feed")).status).toBe(503);
    await new Promise((done) => setTimeout(done, 300));
    expect(requestsInFlight()).toBe(0);
    const served = get(app, "/api/v1/feed");
    release();
    expect((await served).status).toBe(200);
  });

  it("counts an Upgrade that is not a WebSocket", async () => {
    const { app, release } = held(1);
    const filler = get(app, "/api/v1/feed");
    await settle();
    expect((await get(app, "/api/v1/feed", { upgrade: "h2c" })).status).toBe(503);
    release();
    await filler;
  });

  it("is off with a limit of 0", async () => {
    const { app, release } = held(0);
    const many = Array.from({ length: 20 }, () => get(app, "/api/v1/feed"));
    await settle();
    release();
    expect((await Promise.all(many)).every((r) => r.status === 200)).toBe(true);
  });
});
