import { env, SELF } from "cloudflare:test";
import type { LeasedJob } from "@marquee/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { api, eventually, type SeededAccount, seedAccount } from "../../test/harness";
import { LocalStorageSigner } from "../storage/signer";
import { MAX_INTERNAL_BODY_BYTES } from "./routes";
import { globalQueue, insertVideo, internal, LEASE, RESULT, storeMaster, videoRow } from "./test-utils";
import type { Lease } from "./transcode-queue";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "jobsapi", channel: true });
});

const json = async <T>(res: Response, status: number): Promise<T> => {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : null) as T;
};

/** A queued video with its job on the global queue. */
async function queuedVideo(): Promise<string> {
  const videoId = await insertVideo(owner);
  await globalQueue().enqueue(videoId);
  return videoId;
}

/**
 * Another test file may lease from the global queue at the same time (any worker holding the
 * origin token can): if it took this video's job, start the video over with a fresh job.
 */
async function requeueFresh(videoId: string): Promise<void> {
  await globalQueue().cancel(videoId);
  await env.DB.prepare("UPDATE videos SET status = 'queued', progress = 0, playable = 0 WHERE id = ?")
    .bind(videoId)
    .run();
  await globalQueue().enqueue(videoId);
}

/**
 * Leases this video's job through the HTTP API. The global queue is shared with other test files,
 * so jobs of other videos that come first are held and then released (release counts no attempt
 * and puts their rows back to queued).
 */
async function leaseOverHttp(videoId: string, workerId = "http-worker"): Promise<LeasedJob> {
  for (let round = 0; round < 3; round++) {
    const foreign: LeasedJob[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const res = await internal("/jobs/lease", { workerId });
        if (res.status === 204) break;
        const job = await json<LeasedJob>(res, 200);
        if (job.videoId === videoId) return job;
        foreign.push(job);
      }
    } finally {
      for (const job of foreign) await internal(`/jobs/${job.id}/release`, { leaseToken: job.leaseToken });
    }
    await requeueFresh(videoId);
  }
  throw new Error(`the job of ${videoId} was not handed out`);
}

/** Leases this video's job directly (RPC), for tests about what happens after the lease. */
async function leaseOver(videoId: string, options: { now?: number } = {}): Promise<Lease> {
  for (let round = 0; round < 3; round++) {
    const lease = await globalQueue().lease("rpc-worker", { ...LEASE, ...options, videoId });
    if (lease) return lease;
    await requeueFresh(videoId);
  }
  throw new Error(`no queued job for ${videoId}`);
}

const expectProblem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const doc = (await res.json()) as { status: number; title: string };
  expect(doc.status).toBe(status);
  return doc;
};

describe("internal API: the origin's bearer token", () => {
  it("refuses no token, a wrong token and a user's JWT with 401 and www-authenticate: Bearer", async () => {
    const videoId = await queuedVideo();
    const attempts: [string, string | null][] = [
      ["none", null],
      ["wrong", `${env.ORIGIN_TOKEN}x`],
      ["prefix", env.ORIGIN_TOKEN.slice(0, -1)],
      ["user JWT", owner.accessToken],
    ];
    for (const [, token] of attempts) {
      const res = await internal("/jobs/lease", { workerId: "intruder" }, token);
      await expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    }
    const basic = await api("/internal/jobs/lease", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`origin:${env.ORIGIN_TOKEN}`)}` },
      json: { workerId: "intruder" },
    });
    await expectProblem(basic, 401);
    // Unknown internal paths are 401 too without the token (nothing to probe), 404 with it.
    await expectProblem(await internal("/nothing-here", {}, null), 401);
    await expectProblem(await internal("/nothing-here", {}), 404);
    // Nothing was leased by the refused calls.
    expect((await globalQueue().status(videoId))?.workerId).not.toBe("intruder");
  });
});

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
    expect((await videoRow(videoId)).status).toBe("processing");
  });

  it("heartbeat extends the lease and writes progress and playable to the video", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOver(videoId);
    const beat = await json<{ leaseExpiresAt: number }>(
      await internal(`/jobs/${lease.job.id}/heartbeat`, {
        leaseToken: lease.leaseToken,
        progress: 37.9,
        playable: true,
        stage: "transcoding",
      }),
      200,
    );
    expect(beat.leaseExpiresAt).toBeGreaterThanOrEqual(lease.leaseExpiresAt);
    expect(await videoRow(videoId)).toMatchObject({ status: "processing", progress: 37, playable: 1 });
  });

  it("outputs signs PUTs under the job's own video, and they store the files", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOver(videoId);
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
    const { urls } = await json<{
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
    const lease = await leaseOver(videoId);
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
    expect((await videoRow(videoId)).status).toBe("processing");

    await storeMaster(videoId);
    expect(await json(await complete(), 200)).toEqual({ videoId, status: "ready" });
    const row = await videoRow(videoId);
    expect(row).toMatchObject({
      status: "ready",
      progress: 100,
      playable: 1,
      duration_ms: RESULT.durationMs,
      width: RESULT.width,
      height: RESULT.height,
      failure_reason: null,
    });
    expect(JSON.parse(row.renditions)).toEqual(RESULT.renditions);
    expect(row.published_at).toBeGreaterThan(Date.now() - 60_000);
    expect(await globalQueue().status(videoId)).toMatchObject({ state: "completed" });

    const handled = await eventually(() =>
      env.DB.prepare("SELECT type FROM processed_events WHERE subject = ? AND type = 'video.published'")
        .bind(videoId)
        .first<{ type: string }>(),
    );
    expect(handled.type).toBe("video.published");

    // A retried complete (its answer was lost) succeeds again and publishes nothing new.
    expect(await json(await complete(), 200)).toEqual({ videoId, status: "ready" });
    await new Promise((r) => setTimeout(r, 300));
    const count = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM processed_events WHERE subject = ? AND type = 'video.published'",
    )
      .bind(videoId)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("a lapsed lease: the first worker's heartbeat and complete get 409, the next worker finishes", async () => {
    const videoId = await queuedVideo();
    await storeMaster(videoId);
    const first = await leaseOver(videoId, { now: Date.now() - 120_000 }); // lapsed a minute ago
    await expectProblem(
      await internal(`/jobs/${first.job.id}/heartbeat`, {
        leaseToken: first.leaseToken,
        progress: 50,
        playable: true,
      }),
      409,
    );
    const second = await leaseOverHttp(videoId, "second-worker");
    expect(second).toMatchObject({ id: first.job.id, attempt: 2 });
    expect(second.leaseToken).not.toBe(first.leaseToken);
    await expectProblem(
      await internal(`/jobs/${first.job.id}/complete`, { leaseToken: first.leaseToken, result: RESULT }),
      409,
    );
    expect((await videoRow(videoId)).status).toBe("processing");
    await json(
      await internal(`/jobs/${second.id}/complete`, { leaseToken: second.leaseToken, result: RESULT }),
      200,
    );
    expect((await videoRow(videoId)).status).toBe("ready");
  });

  it("fail: a retryable failure puts the video back in the queue, a final one fails it with the reason", async () => {
    const videoId = await queuedVideo();
    const one = await leaseOverHttp(videoId);
    expect(
      await json(
        await internal(`/jobs/${one.id}/fail`, {
          leaseToken: one.leaseToken,
          reason: "network blip",
          retryable: true,
        }),
        200,
      ),
    ).toEqual({ status: "queued", attempts: 1, maxAttempts: 3 });
    expect(await videoRow(videoId)).toMatchObject({ status: "queued", progress: 0, playable: 0 });

    const two = await leaseOverHttp(videoId);
    expect(two.attempt).toBe(2);
    const reason = "the file has no video stream";
    expect(
      await json(
        await internal(`/jobs/${two.id}/fail`, { leaseToken: two.leaseToken, reason, retryable: false }),
        200,
      ),
    ).toEqual({ status: "failed", attempts: 2, maxAttempts: 3 });
    expect(await videoRow(videoId)).toMatchObject({ status: "failed", failure_reason: reason });
    // Repeating the call (a lost answer) is fine; another lease's token is not.
    await json(
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
    await json(
      await internal(`/jobs/${one.id}/heartbeat`, {
        leaseToken: one.leaseToken,
        progress: 20,
        playable: true,
      }),
      200,
    );
    expect(
      await json(await internal(`/jobs/${one.id}/release`, { leaseToken: one.leaseToken }), 200),
    ).toEqual({
      status: "queued",
    });
    expect(await videoRow(videoId)).toMatchObject({ status: "queued", progress: 0, playable: 0 });
    await expectProblem(
      await internal(`/jobs/${one.id}/heartbeat`, {
        leaseToken: one.leaseToken,
        progress: 30,
        playable: true,
      }),
      409,
    );
    const two = await leaseOverHttp(videoId);
    expect(two.attempt).toBe(1);
    await internal(`/jobs/${two.id}/release`, { leaseToken: two.leaseToken });
  });

  it("GET /videos/{videoId}/job shows the job's state, attempts and leases to the origin's token only", async () => {
    const videoId = await queuedVideo();
    const one = await leaseOverHttp(videoId);
    const job = await api(`/internal/videos/${videoId}/job`, { token: env.ORIGIN_TOKEN });
    expect(await json(job, 200)).toMatchObject({
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

  it("a video deleted behind the queue's back: its heartbeat gets 409 and the job is cancelled", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOver(videoId);
    await env.DB.prepare("UPDATE videos SET status = 'deleted', deleted_at = ? WHERE id = ?")
      .bind(Date.now(), videoId)
      .run();
    await expectProblem(
      await internal(`/jobs/${lease.job.id}/heartbeat`, {
        leaseToken: lease.leaseToken,
        progress: 60,
        playable: true,
      }),
      409,
    );
    expect(await globalQueue().status(videoId)).toMatchObject({ state: "cancelled" });
    expect((await videoRow(videoId)).status).toBe("deleted");
  });

  it("a deleted video is never moved: late complete and fail leave it deleted", async () => {
    const a = await queuedVideo();
    const b = await queuedVideo();
    const la = await leaseOver(a);
    const lb = await leaseOver(b);
    await storeMaster(a);
    for (const id of [a, b]) {
      await env.DB.prepare("UPDATE videos SET status = 'deleted', deleted_at = ? WHERE id = ?")
        .bind(Date.now(), id)
        .run();
    }
    await json(
      await internal(`/jobs/${la.job.id}/complete`, { leaseToken: la.leaseToken, result: RESULT }),
      200,
    );
    await json(
      await internal(`/jobs/${lb.job.id}/fail`, { leaseToken: lb.leaseToken, reason: "x", retryable: false }),
      200,
    );
    expect((await videoRow(a)).status).toBe("deleted");
    expect((await videoRow(a)).published_at).toBeNull();
    expect((await videoRow(b)).status).toBe("deleted");
  });

  it("a lease of a job whose video is gone drops it and hands out the next one", async () => {
    const gone = await queuedVideo();
    await env.DB.prepare("UPDATE videos SET status = 'deleted' WHERE id = ?").bind(gone).run();
    const live = await queuedVideo();
    const job = await leaseOverHttp(live);
    expect(job.videoId).toBe(live);
    expect(await globalQueue().status(gone)).toMatchObject({ state: "cancelled" });
    await internal(`/jobs/${job.id}/release`, { leaseToken: job.leaseToken });
  });
});

describe("internal API: bad input with the origin's token", () => {
  it("answers garbage with a 4xx problem, never a 500", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOver(videoId);
    const jobPaths = ["heartbeat", "outputs", "complete", "fail", "release"].map(
      (a) => `/jobs/${lease.job.id}/${a}`,
    );
    const paths = ["/jobs/lease", ...jobPaths];
    const bodies: [string, string | Uint8Array, string | null][] = [
      ["not json", "{", "application/json"],
      ["empty", "", "application/json"],
      ["null", "null", "application/json"],
      ["array", "[]", "application/json"],
      ["number", "42", "application/json"],
      ["string", '"x"', "application/json"],
      ["empty object", "{}", "application/json"],
      [
        "extra field",
        JSON.stringify({ leaseToken: lease.leaseToken, workerId: "w", extra: 1 }),
        "application/json",
      ],
      [
        "wrong types",
        JSON.stringify({ leaseToken: 1, workerId: [], progress: "x", files: {}, result: [] }),
        "application/json",
      ],
      ["text body", "hello", "text/plain"],
      ["no content type", JSON.stringify({ leaseToken: lease.leaseToken }), null],
      ["invalid utf-8", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), "application/json"],
      ["deep nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`, "application/json"],
      ["proto", `{"__proto__":{"admin":true},"leaseToken":"${lease.leaseToken}"}`, "application/json"],
    ];
    const failures: string[] = [];
    for (const path of paths) {
      for (const [name, body, contentType] of bodies) {
        const headers = new Headers({ authorization: `Bearer ${env.ORIGIN_TOKEN}` });
        if (contentType !== null) headers.set("content-type", contentType);
        const res = await SELF.fetch(`http://marquee.test/internal${path}`, {
          method: "POST",
          headers,
          body,
        });
        const type = res.headers.get("content-type") ?? "";
        if (res.status < 400 || res.status >= 500 || !type.startsWith("application/problem+json")) {
          failures.push(`${path} ${name}: ${res.status} ${type} ${(await res.text()).slice(0, 200)}`);
        } else {
          await res.body?.cancel();
        }
      }
    }
    // Field values out of range, on otherwise good bodies.
    const ranged: [string, unknown][] = [
      ["/jobs/lease", { workerId: "" }],
      ["/jobs/lease", { workerId: "w".repeat(101) }],
      [jobPaths[0] as string, { leaseToken: lease.leaseToken, progress: 101, playable: true }],
      [jobPaths[0] as string, { leaseToken: lease.leaseToken, progress: -1, playable: true }],
      [jobPaths[0] as string, { leaseToken: lease.leaseToken, progress: 5, stage: "dreaming" }],
      [jobPaths[1] as string, { leaseToken: lease.leaseToken, files: [] }],
      [
        jobPaths[1] as string,
        {
          leaseToken: lease.leaseToken,
          files: Array(201).fill({ path: "hls/master.m3u8", contentType: "a/b" }),
        },
      ],
      [jobPaths[2] as string, { leaseToken: lease.leaseToken, result: { ...RESULT, renditions: [] } }],
      [jobPaths[2] as string, { leaseToken: lease.leaseToken, result: { ...RESULT, width: 0 } }],
      [jobPaths[3] as string, { leaseToken: lease.leaseToken, reason: "", retryable: true }],
      [jobPaths[3] as string, { leaseToken: lease.leaseToken, reason: "x".repeat(501), retryable: true }],
      ["/jobs/JOB_UPPER/heartbeat", { leaseToken: lease.leaseToken, progress: 1 }],
      ["/jobs/job_%2e%2e/heartbeat", { leaseToken: lease.leaseToken, progress: 1 }],
      [`/jobs/job_${"a".repeat(100)}/heartbeat`, { leaseToken: lease.leaseToken, progress: 1 }],
    ];
    for (const [path, body] of ranged) {
      const res = await internal(path, body);
      if (res.status !== 400) failures.push(`${path} ${JSON.stringify(body).slice(0, 80)}: ${res.status}`);
      await res.body?.cancel();
    }
    // Unsupported methods on real paths.
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const res = await api(`/internal/jobs/lease`, { method, token: env.ORIGIN_TOKEN });
      if (res.status !== 404 && res.status !== 405) failures.push(`${method} /jobs/lease: ${res.status}`);
      await res.body?.cancel();
    }
    expect(failures).toEqual([]);
    // None of it touched the lease.
    expect(await globalQueue().status(videoId)).toMatchObject({ state: "leased", attempts: 0 });
    await globalQueue().release(lease.job.id, lease.leaseToken);
  });

  it("refuses bodies over the internal limit with 413", async () => {
    const big = JSON.stringify({ workerId: "w", pad: "x".repeat(MAX_INTERNAL_BODY_BYTES) });
    await expectProblem(
      await api("/internal/jobs/lease", {
        method: "POST",
        token: env.ORIGIN_TOKEN,
        body: big,
        headers: { "content-type": "application/json" },
      }),
      413,
    );
    // Streamed, so no Content-Length tells in advance.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
        controller.close();
      },
    });
    const res = await api("/internal/jobs/lease", {
      method: "POST",
      token: env.ORIGIN_TOKEN,
      body: stream,
      headers: { "content-type": "application/json" },
    });
    await expectProblem(res, 413);
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
      ].sort(),
    );
    for (const { op } of internalOps) {
      expect(op.tags).toEqual(["internal"]);
      expect(op.security).toEqual([{ originToken: [] }]);
    }
    expect(doc.components.securitySchemes.originToken?.scheme).toBe("bearer");
  });
});
