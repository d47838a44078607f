import { env, SELF } from "cloudflare:test";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, eventually, videoRow } from "../../test/harness";
import { processedEvents } from "../db/schema";
import { LocalStorageSigner } from "../storage/signer";
import { globalQueue } from "../transcode-queue/test-utils";
import {
  bodyOf,
  deleteBehindQueue,
  expectProblem,
  heartbeat,
  internal,
  leaseOverHttp,
  leaseOverRpc,
  queuedVideo,
  RESULT,
  storeMaster,
} from "./test-utils";

const publishedEvents = (videoId: string) =>
  and(eq(processedEvents.subject, videoId), eq(processedEvents.type, "video.published"));

describe("internal API: a job's life", () => {
  it("lease answers the job with a signed source URL, the source's size and type, and the limits", async () => {
    const videoId = await queuedVideo();
    const job = await leaseOverHttp(videoId);
    expect(job).toMatchObject({ videoId, attempt: 1, source: { contentType: "video/mp4" } });
    expect(job.leaseExpiresAt).toBeGreaterThan(Date.now() + 30_000);
    expect(job.limits).toMatchObject({ maxWidth: expect.any(Number), maxBytes: expect.any(Number) });
    const source = await env.MEDIA.get(`videos/${videoId}/source`);
    expect(job.source.size).toBe(source?.size);
    // The URL downloads the source, without any bearer token.
    const url = new URL(job.source.url);
    expect(url.pathname).toBe(`/storage/videos/${videoId}/source`);
    expect(Number(url.searchParams.get("X-Expires"))).toBeGreaterThan(Date.now() / 1000 + 3 * 3600);
    const download = await SELF.fetch(job.source.url);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(
      new Uint8Array((await source?.arrayBuffer()) ?? []),
    );
    expect((await videoRow(videoId))?.status).toBe("processing");
  });

  it("heartbeat extends the lease and writes progress and playable to the video", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOverRpc(videoId);
    const beat = await bodyOf<{ leaseExpiresAt: number }>(
      await internal(`/jobs/${lease.job.id}/heartbeat`, {
        leaseToken: lease.leaseToken,
        progress: 37.9,
        playable: true,
        stage: "transcoding",
      }),
      200,
    );
    expect(beat.leaseExpiresAt).toBeGreaterThanOrEqual(lease.leaseExpiresAt);
    expect(await videoRow(videoId)).toMatchObject({ status: "processing", progress: 37, playable: true });
  });

  it("outputs signs PUTs under the job's own video, and they store the files", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOverRpc(videoId);
    const playlist = "#EXTM3U\n#EXT-X-VERSION:7\n";
    const body = {
      leaseToken: lease.leaseToken,
      files: [
        {
          path: "hls/720p/playlist.m3u8",
          contentType: "application/vnd.apple.mpegURL",
          size: new TextEncoder().encode(playlist).length,
        },
        { path: "hls/720p/seg_00001.m4s", contentType: "video/iso.segment", size: 4 },
        { path: "thumbs/poster.jpg", contentType: "image/jpeg", size: 3 },
        { path: "storyboard/storyboard.vtt", contentType: "text/vtt", size: 6 },
      ],
    };
    const { urls } = await bodyOf<{
      urls: { path: string; url: string; method: string; headers: Record<string, string> }[];
    }>(await internal(`/jobs/${lease.job.id}/outputs`, body), 200);
    expect(urls.map((u) => u.path)).toEqual(body.files.map((f) => f.path));
    const signer = new LocalStorageSigner(env.PUBLIC_URL, env.MEDIA_SIGNING_KEY);
    for (const u of urls) {
      const url = new URL(u.url);
      const key = `videos/${videoId}/${u.path}`;
      expect(u.method).toBe("PUT");
      expect(await signer.verify("PUT", key, url.searchParams)).toMatchObject({ method: "PUT", key });
      expect(u.headers["content-type"]).toBe(u.headers["content-type"]?.toLowerCase());
    }
    const [first] = urls;
    if (!first) throw new Error("no url");
    const put = await SELF.fetch(first.url, { method: "PUT", body: playlist, headers: first.headers });
    expect(put.status).toBe(200);
    expect(await (await env.MEDIA.get(`videos/${videoId}/hls/720p/playlist.m3u8`))?.text()).toBe(playlist);
  });

  it("outputs refuses paths outside the allowed set with 400 and a stale lease with 409", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOverRpc(videoId);
    const other = await queuedVideo();
    const bad = [
      "../source",
      "hls/../../source",
      "hls/audio/..",
      "hls/720p/.",
      "/hls/master.m3u8",
      "/etc/passwd",
      `videos/${other}/hls/master.m3u8`,
      `../${other}/hls/master.m3u8`,
      "source",
      "hls/master.m3u8?x=1",
      "hls\\master.m3u8",
      "hls/720p/seg 1.m4s",
      "",
    ];
    for (const path of bad) {
      const res = await internal(`/jobs/${lease.job.id}/outputs`, {
        leaseToken: lease.leaseToken,
        files: [{ path, contentType: "video/mp4" }],
      });
      await expectProblem(res, 400);
    }
    for (const contentType of ["video/mp4\r\nx-evil: 1", "mp4", "video/mp4; charset=x"]) {
      const res = await internal(`/jobs/${lease.job.id}/outputs`, {
        leaseToken: lease.leaseToken,
        files: [{ path: "hls/master.m3u8", contentType }],
      });
      await expectProblem(res, 400);
    }
    const ok = { path: "hls/master.m3u8", contentType: "application/vnd.apple.mpegurl" };
    await expectProblem(
      await internal(`/jobs/${lease.job.id}/outputs`, { leaseToken: "not-the-token", files: [ok] }),
      409,
    );
    await globalQueue().release(lease.job.id, lease.leaseToken);
    await expectProblem(
      await internal(`/jobs/${lease.job.id}/outputs`, { leaseToken: lease.leaseToken, files: [ok] }),
      409,
    );
  });

  it("complete needs the master playlist, then the video is ready and video.published is handled", async () => {
    const videoId = await queuedVideo();
    const job = await leaseOverHttp(videoId);
    const complete = () =>
      internal(`/jobs/${job.id}/complete`, { leaseToken: job.leaseToken, result: RESULT });
    const missing = await expectProblem(await complete(), 400);
    expect(JSON.stringify(missing)).toContain("master.m3u8");
    expect((await videoRow(videoId))?.status).toBe("processing");

    await storeMaster(videoId);
    expect(await bodyOf(await complete(), 200)).toEqual({ videoId, status: "ready" });
    const row = await videoRow(videoId);
    expect(row).toMatchObject({
      status: "ready",
      progress: 100,
      playable: true,
      durationMs: RESULT.durationMs,
      width: RESULT.width,
      height: RESULT.height,
      failureReason: null,
    });
    expect(row?.renditions).toEqual(RESULT.renditions);
    expect(row?.publishedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(await globalQueue().status(videoId)).toMatchObject({ state: "completed" });

    const handled = await eventually(() =>
      testDb()
        .select({ type: processedEvents.type })
        .from(processedEvents)
        .where(publishedEvents(videoId))
        .get(),
    );
    expect(handled.type).toBe("video.published");

    // A retried complete (its answer was lost) succeeds again and publishes nothing new.
    expect(await bodyOf(await complete(), 200)).toEqual({ videoId, status: "ready" });
    await new Promise((r) => setTimeout(r, 300));
    const published = await testDb()
      .select({ n: count() })
      .from(processedEvents)
      .where(publishedEvents(videoId))
      .get();
    expect(published?.n).toBe(1);
  });

  it("a lapsed lease: the first worker's heartbeat and complete get 409, the next worker finishes", async () => {
    const videoId = await queuedVideo();
    await storeMaster(videoId);
    const first = await leaseOverRpc(videoId, { now: Date.now() - 120_000 }); // lapsed a minute ago
    await expectProblem(await heartbeat(first.job.id, first.leaseToken, 50), 409);
    const second = await leaseOverHttp(videoId, "second-worker");
    expect(second).toMatchObject({ id: first.job.id, attempt: 2 });
    expect(second.leaseToken).not.toBe(first.leaseToken);
    await expectProblem(
      await internal(`/jobs/${first.job.id}/complete`, { leaseToken: first.leaseToken, result: RESULT }),
      409,
    );
    expect((await videoRow(videoId))?.status).toBe("processing");
    await bodyOf(
      await internal(`/jobs/${second.id}/complete`, { leaseToken: second.leaseToken, result: RESULT }),
      200,
    );
    expect((await videoRow(videoId))?.status).toBe("ready");
  });

  it("fail: a retryable failure puts the video back in the queue, a final one fails it with the reason", async () => {
    const videoId = await queuedVideo();
    const one = await leaseOverHttp(videoId);
    expect(
      await bodyOf(
        await internal(`/jobs/${one.id}/fail`, {
          leaseToken: one.leaseToken,
          reason: "network blip",
          retryable: true,
        }),
        200,
      ),
    ).toEqual({ status: "queued", attempts: 1, maxAttempts: 3 });
    expect(await videoRow(videoId)).toMatchObject({ status: "queued", progress: 0, playable: false });

    const two = await leaseOverHttp(videoId);
    expect(two.attempt).toBe(2);
    const reason = "the file has no video stream";
    expect(
      await bodyOf(
        await internal(`/jobs/${two.id}/fail`, { leaseToken: two.leaseToken, reason, retryable: false }),
        200,
      ),
    ).toEqual({ status: "failed", attempts: 2, maxAttempts: 3 });
    expect(await videoRow(videoId)).toMatchObject({ status: "failed", failureReason: reason });
    // Repeating the call (a lost answer) is fine; another lease's token is not.
    await bodyOf(
      await internal(`/jobs/${two.id}/fail`, { leaseToken: two.leaseToken, reason, retryable: false }),
      200,
    );
    await expectProblem(
      await internal(`/jobs/${two.id}/fail`, { leaseToken: one.leaseToken, reason, retryable: false }),
      409,
    );
  });

  it("release puts the job and the video back without counting the attempt", async () => {
    const videoId = await queuedVideo();
    const one = await leaseOverHttp(videoId);
    await bodyOf(await heartbeat(one.id, one.leaseToken, 20), 200);
    expect(
      await bodyOf(await internal(`/jobs/${one.id}/release`, { leaseToken: one.leaseToken }), 200),
    ).toEqual({
      status: "queued",
    });
    expect(await videoRow(videoId)).toMatchObject({ status: "queued", progress: 0, playable: false });
    await expectProblem(await heartbeat(one.id, one.leaseToken, 30), 409);
    const two = await leaseOverHttp(videoId);
    expect(two.attempt).toBe(1);
    await internal(`/jobs/${two.id}/release`, { leaseToken: two.leaseToken });
  });

  it("GET /videos/{videoId}/job shows the job's state, attempts and leases to the origin's token only", async () => {
    const videoId = await queuedVideo();
    const one = await leaseOverHttp(videoId);
    const job = await api(`/internal/videos/${videoId}/job`, { token: env.ORIGIN_TOKEN });
    expect(await bodyOf(job, 200)).toMatchObject({
      id: one.id,
      videoId,
      state: "leased",
      leases: 1,
      attempts: 0,
    });
    expect((await api(`/internal/videos/${videoId}/job`)).status).toBe(401);
    expect((await api("/internal/videos/vid_nojobhere/job", { token: env.ORIGIN_TOKEN })).status).toBe(404);
    await internal(`/jobs/${one.id}/release`, { leaseToken: one.leaseToken });
  });

  it("is in openapi.json under the internal tag with the origin token scheme", async () => {
    const doc = (await (await SELF.fetch("http://marquee.test/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { tags?: string[]; security?: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, { scheme: string }> };
    };
    const internalOps = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/internal/"))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
      );
    expect(internalOps.map((o) => o.id).sort()).toEqual(
      [
        "POST /internal/jobs/lease",
        "POST /internal/jobs/{jobId}/heartbeat",
        "POST /internal/jobs/{jobId}/outputs",
        "POST /internal/jobs/{jobId}/complete",
        "POST /internal/jobs/{jobId}/fail",
        "POST /internal/jobs/{jobId}/release",
        "GET /internal/videos/{videoId}/job",
        "GET /internal/payouts/periods/{period}",
        "GET /internal/payouts/periods/{period}/channels",
        "GET /internal/payouts/accounts",
        "POST /internal/payouts/statements",
      ].sort(),
    );
    for (const { id, op } of internalOps) {
      expect(op.tags).toEqual(["internal"]);
      // The payout run has its own credential; the transcoder's token is not accepted there.
      const scheme = id.includes(" /internal/payouts/") ? "payoutsToken" : "originToken";
      expect(op.security, id).toEqual([{ [scheme]: [] }]);
    }
    expect(doc.components.securitySchemes.originToken?.scheme).toBe("bearer");
    expect(doc.components.securitySchemes.payoutsToken?.scheme).toBe("bearer");
  });
});

describe("internal API: videos deleted while their job runs", () => {
  it("a video deleted behind the queue's back: its heartbeat gets 409 and the job is cancelled", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOverRpc(videoId);
    await deleteBehindQueue(videoId);
    await expectProblem(await heartbeat(lease.job.id, lease.leaseToken, 60), 409);
    expect(await globalQueue().status(videoId)).toMatchObject({ state: "cancelled" });
    expect((await videoRow(videoId))?.status).toBe("deleted");
  });

  it("a deleted video is never moved: late complete and fail leave it deleted", async () => {
    const a = await queuedVideo();
    const b = await queuedVideo();
    const la = await leaseOverRpc(a);
    const lb = await leaseOverRpc(b);
    await storeMaster(a);
    for (const id of [a, b]) await deleteBehindQueue(id);
    await bodyOf(
      await internal(`/jobs/${la.job.id}/complete`, { leaseToken: la.leaseToken, result: RESULT }),
      200,
    );
    await bodyOf(
      await internal(`/jobs/${lb.job.id}/fail`, { leaseToken: lb.leaseToken, reason: "x", retryable: false }),
      200,
    );
    expect((await videoRow(a))?.status).toBe("deleted");
    expect((await videoRow(a))?.publishedAt).toBeNull();
    expect((await videoRow(b))?.status).toBe("deleted");
  });

  it("a lease of a job whose video is gone drops it and hands out the next one", async () => {
    const gone = await queuedVideo();
    await deleteBehindQueue(gone);
    const live = await queuedVideo();
    const job = await leaseOverHttp(live);
    expect(job.videoId).toBe(live);
    expect(await globalQueue().status(gone)).toMatchObject({ state: "cancelled" });
    await internal(`/jobs/${job.id}/release`, { leaseToken: job.leaseToken });
  });
});
