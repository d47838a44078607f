import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../../test/harness";
import { globalQueue } from "../transcode-queue/test-utils";
import { MAX_INTERNAL_BODY_BYTES } from "./routes";
import { expectProblem, internal, leaseOverRpc, queuedVideo, RESULT } from "./test-utils";

describe("internal API: bad input with the origin's token", () => {
  it("answers garbage with a 4xx problem, never a 500", async () => {
    const videoId = await queuedVideo();
    const lease = await leaseOverRpc(videoId);
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
});
