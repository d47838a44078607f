import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, seedAccount } from "../../../test/harness";
import { createApp } from "../../app";
import { insertVideo } from "../../discovery/test-utils";

const paths = (videoId: string) => [
  `/api/v1/dev/bench/videos/${videoId}/naive-like`,
  `/api/v1/dev/bench/videos/${videoId}/store-like?store=d1`,
  `/api/v1/dev/bench/videos/${videoId}/store-like?store=do`,
];

async function likeCount(videoId: string) {
  const row = await env.DB.prepare("SELECT like_count FROM videos WHERE id = ?1")
    .bind(videoId)
    .first<{ like_count: number }>();
  return row?.like_count;
}

/** The app under another set of vars (what `wrangler dev` would give it). */
function withVars(vars: Record<string, string>, path: string, init: RequestInit) {
  return createApp().request(`${BASE}${path}`, init, { ...env, ...vars });
}

describe("benchmark routes", () => {
  it("do not exist in the edge tests' environment: 404 like any unknown route, nothing counted", async () => {
    const viewer = await seedAccount({ tag: "benchoff", channel: true });
    const videoId = await insertVideo(viewer);
    for (const path of paths(videoId)) {
      const res = await api(path, {
        method: "PUT",
        token: viewer.accessToken,
        headers: { "x-bench-profile": viewer.profileId },
      });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await likeCount(videoId)).toBe(0);
  });

  it("do not exist under `bun run dev`'s vars (APP_ENV=development, no BENCH_ROUTES)", async () => {
    const viewer = await seedAccount({ tag: "benchdev", channel: true });
    const videoId = await insertVideo(viewer);
    for (const path of paths(videoId)) {
      const res = await withVars({ APP_ENV: "development" }, path, {
        method: "PUT",
        headers: { authorization: `Bearer ${viewer.accessToken}`, "x-bench-profile": viewer.profileId },
      });
      expect(res.status, path).toBe(404);
    }
    expect(await likeCount(videoId)).toBe(0);
  });

  it("exist when the bench harness starts the edge with BENCH_ROUTES=1", async () => {
    const viewer = await seedAccount({ tag: "benchon", channel: true });
    const videoId = await insertVideo(viewer);
    const res = await withVars(
      { APP_ENV: "development", BENCH_ROUTES: "1" },
      `/api/v1/dev/bench/videos/${videoId}/store-like?store=d1`,
      { method: "PUT", headers: { "x-bench-profile": viewer.profileId } },
    );
    expect(res.status).toBe(200);
    expect(await likeCount(videoId)).toBe(1);
  });
});
