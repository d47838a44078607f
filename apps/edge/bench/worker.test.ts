/**
 * The bench worker (worker.ts): the production worker with the benchmark routes in front. The
 * production worker (SELF, wrangler.toml's main) has no such route; the bench worker serves both,
 * passes everything else to the production worker, and exports the same Durable Object classes.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedAdvertiserCampaign } from "../src/ads/test-utils";
import { videos } from "../src/db/schema";
import * as production from "../src/index";
import { insertVideo, testDb } from "../test/fixtures";
import { api, BASE, seedAccount } from "../test/harness";
import { PRODUCTION_VARS } from "../test/production-vars";
import benchWorker, * as bench from "./worker";

const benchPaths = (videoId: string) => [
  `/api/v1/dev/bench/videos/${videoId}/naive-like`,
  `/api/v1/dev/bench/videos/${videoId}/store-like?store=d1`,
  `/api/v1/dev/bench/videos/${videoId}/store-like?store=do`,
];

async function likeCount(videoId: string) {
  const row = await testDb()
    .select({ likes: videos.likeCount })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
  return row?.likes;
}

/** A request to the bench worker as `wrangler dev` hands it one, under the tests' vars plus `vars`. */
async function benchFetch(path: string, init: RequestInit = {}, vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await benchWorker.fetch(new Request(`${BASE}${path}`, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("benchmark routes", () => {
  it("do not exist in the production worker: 404 like any unknown route, nothing counted", async () => {
    const viewer = await seedAccount({ tag: "benchoff", channel: true });
    const videoId = await insertVideo(viewer);
    for (const path of benchPaths(videoId)) {
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

  it("exist in the bench worker: the naive D1 like, and each store alone", async () => {
    const viewer = await seedAccount({ tag: "benchon", channel: true });
    const videoId = await insertVideo(viewer);
    const [naive, storeD1, storeDo] = benchPaths(videoId) as [string, string, string];
    const likeAs = { method: "PUT", headers: { "x-bench-profile": viewer.profileId } };
    const res = await benchFetch(storeD1, likeAs);
    expect(res.status).toBe(200);
    expect(await likeCount(videoId)).toBe(1);
    expect(await (await benchFetch(storeDo, likeAs)).json()).toEqual({ value: "like", likes: 1 });
    const signedIn = { method: "PUT", headers: { authorization: `Bearer ${viewer.accessToken}` } };
    expect(await (await benchFetch(naive, signedIn)).json()).toEqual({ value: "like", likes: 2 });
    expect(await likeCount(videoId)).toBe(2);
    // The naive route is the real route's request: a token is required.
    expect((await benchFetch(naive, { method: "PUT" })).status).toBe(401);
    const badProfile = { method: "PUT", headers: { "x-bench-profile": "' OR 1=1" } };
    expect((await benchFetch(storeD1, badProfile)).status).toBe(400);
    expect((await benchFetch(`${storeD1.split("?")[0]}?store=kv`, likeAs)).status).toBe(400);
    expect((await benchFetch("/api/v1/dev/bench/videos/%00/naive-like", signedIn)).status).toBe(404);
  });

  it("do not exist in a bench worker started with production vars", async () => {
    const viewer = await seedAccount({ tag: "benchprod", channel: true });
    const videoId = await insertVideo(viewer);
    const res = await benchFetch(
      benchPaths(videoId)[1] as string,
      { method: "PUT", headers: { "x-bench-profile": viewer.profileId } },
      PRODUCTION_VARS,
    );
    expect(res.status).toBe(404);
    expect(await likeCount(videoId)).toBe(0);
  });
});

describe("ad benchmark routes", () => {
  it("exist only in the bench worker: the point read, the context, and the decision (the seeded campaign's ad); 404 in production or under production vars, 401 without a token", async () => {
    const viewer = await seedAccount({ tag: "benchads", channel: true });
    const videoId = await insertVideo(viewer);
    const { campaignId } = await seedAdvertiserCampaign({ name: "Bench ads" });
    const point = `/api/v1/dev/bench/ads/point/${videoId}`;
    const decide = `/api/v1/dev/bench/ads/decide/${videoId}`;
    const context = `/api/v1/dev/bench/ads/context/${videoId}`;
    const signedIn = { headers: { authorization: `Bearer ${viewer.accessToken}` } };
    for (const path of [point, context, decide]) {
      expect((await api(path, { token: viewer.accessToken })).status, path).toBe(404);
      expect((await benchFetch(path, signedIn, PRODUCTION_VARS)).status, path).toBe(404);
      expect((await benchFetch(path)).status, path).toBe(401);
    }
    expect(await (await benchFetch(point, signedIn)).json()).toEqual({ videoId });
    expect(await (await benchFetch(context, signedIn)).json()).toMatchObject({ videoId });
    const decided = (await (await benchFetch(decide, signedIn)).json()) as { ad: { campaignId: string } };
    expect(decided.ad.campaignId).toBe(campaignId);
    expect((await benchFetch("/api/v1/dev/bench/ads/decide/%00", signedIn)).status).toBe(404);
  });
});

describe("bare R2 benchmark route", () => {
  it("serves a media output straight from R2 in the bench worker only; never a source; 404 in production or under production vars", async () => {
    const videoId = `vid_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
    const segment = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    await env.MEDIA.put(`videos/${videoId}/hls/720p/seg_00001.m4s`, segment);
    await env.MEDIA.put(`videos/${videoId}/source`, new Uint8Array([1, 2, 3]));
    const path = `/api/v1/dev/bench/r2/videos/${videoId}/hls/720p/seg_00001.m4s`;
    const res = await benchFetch(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/iso.segment");
    expect(res.headers.get("content-length")).toBe("3000");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(segment);
    // The same read behind the production middleware: request id, security headers, CORS.
    const withContext = await benchFetch(path.replace("/bench/r2/", "/bench/r2-ctx/"));
    expect(withContext.status).toBe(200);
    expect(withContext.headers.get("x-request-id")).toBeTruthy();
    expect(withContext.headers.get("x-content-type-options")).toBe("nosniff");
    expect(withContext.headers.get("access-control-allow-origin")).toBe("*");
    expect(new Uint8Array(await withContext.arrayBuffer())).toEqual(segment);
    expect((await api(path)).status).toBe(404);
    expect((await benchFetch(path.replace("/bench/r2/", "/bench/r2-ctx/"), {}, PRODUCTION_VARS)).status).toBe(
      404,
    );
    expect((await benchFetch(path, {}, PRODUCTION_VARS)).status).toBe(404);
    for (const refused of [
      `/api/v1/dev/bench/r2/videos/${videoId}/source`,
      `/api/v1/dev/bench/r2/videos/${videoId}/hls/720p/seg_00002.m4s`,
      `/api/v1/dev/bench/r2/videos/${videoId}/hls/720p/..%2F..%2Fsource`,
      "/api/v1/dev/bench/r2/",
    ]) {
      const answer = await benchFetch(refused);
      expect(answer.status, refused).toBe(404);
      expect(answer.headers.get("content-type"), refused).toContain("application/problem+json");
    }
  });
});

describe("the bench worker", () => {
  it("is the production worker behind the benchmark routes", async () => {
    const { default: _benchDefault, ...benchClasses } = bench;
    const { default: _productionDefault, ...productionClasses } = production;
    expect(benchClasses).toEqual(productionClasses);
    for (const [name, value] of Object.entries(productionClasses)) {
      expect(bench[name as keyof typeof bench], name).toBe(value);
    }
    expect(benchWorker.queue).toBe(production.default.queue);
    expect(benchWorker.scheduled).toBe(production.default.scheduled);
    const health = await benchFetch("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "edge" });
    // A method the benchmark routes do not take is the production worker's 404.
    const viewer = await seedAccount({ tag: "benchget", channel: true });
    const res = await benchFetch(benchPaths(await insertVideo(viewer))[0] as string);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
