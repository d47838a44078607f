// Finding 12: upload-complete snapshots the source. A write to the source after the check (an R2
// presigned PUT URL is still valid then; locally, a slow PUT that passed its check before) must not
// change what the origin transcodes: the lease pins the stored ETag and the signed GET refuses any
// other version.
import { env, SELF } from "cloudflare:test";
import type { LeasedJob } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import {
  completeUpload,
  createVideo,
  putBytes,
  seedCastBeforeAll,
  sourceKey,
  testBytes,
} from "../../test/harness";
import { internal } from "../jobs/test-utils";

const cast = seedCastBeforeAll("snapshot", { owner: { channel: true } });

/** Leases this video's job over the internal API, releasing other test files' jobs met on the way. */
async function leaseOf(videoId: string): Promise<LeasedJob> {
  const foreign: LeasedJob[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const res = await internal("/jobs/lease", { workerId: "snapshot-test" });
      expect(res.status).not.toBe(204);
      const job = (await res.json()) as LeasedJob;
      if (job.videoId === videoId) return job;
      foreign.push(job);
    }
    throw new Error(`no job for ${videoId}`);
  } finally {
    for (const job of foreign) await internal(`/jobs/${job.id}/release`, { leaseToken: job.leaseToken });
  }
}

/** A video whose single upload of `bytes` is complete (queued). */
async function uploaded(
  bytes: Uint8Array,
): Promise<{ id: string; url: string; headers: Record<string, string> }> {
  const { video, upload } = await createVideo(cast.owner, { size: bytes.length });
  if (upload.kind !== "single") throw new Error("expected a single upload");
  const headers = upload.headers ?? {};
  expect((await putBytes(upload.url, bytes, headers)).status).toBe(200);
  expect((await completeUpload(cast.owner, video.id)).status).toBe(202);
  return { id: video.id, url: upload.url, headers };
}

/** What the origin does with the lease: GET the signed URL with If-Match when the lease pins an ETag. */
function download(job: LeasedJob): Promise<Response> {
  const etag = job.source.etag;
  return SELF.fetch(job.source.url, { headers: etag ? { "if-match": `"${etag}"` } : {} });
}

describe("upload-complete snapshots the source", () => {
  it("refuses the signed upload URL once the upload is complete", async () => {
    const original = testBytes(4096, 1);
    const { id, url, headers } = await uploaded(original);
    const again = await putBytes(url, testBytes(4096, 2), headers);
    expect(again.status).toBe(409);
    const stored = await env.MEDIA.get(sourceKey(id));
    expect(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer())).toEqual(original);
  });

  it("pins the lease to the checked version: an overwrite after upload-complete is never served to the origin", async () => {
    const original = testBytes(4096, 3);
    const { id } = await uploaded(original);
    // What an R2 presigned PUT (still valid after upload-complete), or a local PUT that passed its
    // check before the completion, does: same size, other bytes.
    await env.MEDIA.put(sourceKey(id), testBytes(4096, 4), { httpMetadata: { contentType: "video/mp4" } });

    const job = await leaseOf(id);
    expect(job.source.etag).toMatch(/^[0-9a-f-]+$/i);
    const res = await download(job);
    expect(res.status).toBe(412);
    await res.body?.cancel();
    // Without the If-Match header the signed URL still pins the version.
    const bare = await SELF.fetch(job.source.url);
    expect(bare.status).toBe(412);
    await bare.body?.cancel();
    await internal(`/jobs/${job.id}/fail`, { leaseToken: job.leaseToken, reason: "test", retryable: false });
  });

  it("serves the checked version when nothing changed", async () => {
    const original = testBytes(4096, 5);
    const { id } = await uploaded(original);
    const job = await leaseOf(id);
    const stored = await env.MEDIA.head(sourceKey(id));
    expect(job.source.etag).toBe(stored?.etag);
    const res = await download(job);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${stored?.etag}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(original);
    // If-Match is a list: any listed version will do, none of them is 412.
    const listed = await SELF.fetch(job.source.url, {
      headers: { "if-match": `"other", "${stored?.etag}"` },
    });
    expect(listed.status).toBe(200);
    await listed.body?.cancel();
    const none = await SELF.fetch(job.source.url, { headers: { "if-match": '"other"' } });
    expect(none.status).toBe(412);
    await none.body?.cancel();
    await internal(`/jobs/${job.id}/fail`, { leaseToken: job.leaseToken, reason: "test", retryable: false });
  });
});
