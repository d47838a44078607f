import { env } from "cloudflare:test";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import {
  completeUpload,
  createVideo,
  MiB,
  putBytes,
  seedAccount,
  sourceKey,
  testBytes,
  videoRow,
} from "../../test/harness";
import { videos, videoUploadParts } from "../db/schema";
import { ABANDONED_AFTER_MS, abortAbandonedUploads } from "./abandoned-uploads";

const age = (id: string, ms: number) =>
  testDb()
    .update(videos)
    .set({ createdAt: Date.now() - ms, updatedAt: Date.now() - ms })
    .where(eq(videos.id, id));

describe("abandoned uploads", () => {
  it("aborts uploads with no activity for 24 hours, discards their bytes, and leaves the rest alone", async () => {
    const owner = await seedAccount({ tag: "abandon", channel: true });
    // A single upload whose bytes arrived but which was never completed.
    const single = await createVideo(owner, { size: 100 });
    if (single.upload.kind !== "single") throw new Error("expected single");
    expect((await putBytes(single.upload.url, testBytes(100), single.upload.headers)).status).toBe(200);
    // A multipart upload with one part stored.
    const multi = await createVideo(owner, { size: 5 * MiB + 10, partSize: 5 * MiB });
    if (multi.upload.kind !== "multipart") throw new Error("expected multipart");
    const [first, second] = multi.upload.parts;
    if (!first || !second) throw new Error("expected two parts");
    expect((await putBytes(first.url, testBytes(first.size))).status).toBe(200);
    // Fresh, recently active, and finished videos stay as they are.
    const fresh = await createVideo(owner, { size: 100 });
    const active = await createVideo(owner, { size: 5 * MiB + 10, partSize: 5 * MiB });
    const done = await createVideo(owner, { size: 10 });
    if (done.upload.kind !== "single") throw new Error("expected single");
    await putBytes(done.upload.url, testBytes(10), done.upload.headers);
    expect((await completeUpload(owner, done.video.id)).status).toBe(202);

    const old = ABANDONED_AFTER_MS + 60_000;
    for (const id of [single.video.id, multi.video.id, done.video.id]) await age(id, old);
    await age(active.video.id, old);
    // Bytes arriving count as activity.
    if (active.upload.kind !== "multipart") throw new Error("expected multipart");
    const activePart = active.upload.parts[0];
    if (!activePart) throw new Error("no part");
    expect((await putBytes(activePart.url, testBytes(activePart.size))).status).toBe(200);

    const { aborted } = await abortAbandonedUploads(env, Date.now());
    expect(aborted).toEqual(expect.arrayContaining([single.video.id, multi.video.id]));
    for (const id of [fresh.video.id, active.video.id, done.video.id]) expect(aborted).not.toContain(id);

    for (const id of [single.video.id, multi.video.id]) {
      expect(await videoRow(id)).toMatchObject({
        status: "failed",
        failureReason: "upload abandoned",
        uploadId: null,
      });
      expect(await env.MEDIA.head(sourceKey(id))).toBeNull();
    }
    // The multipart upload itself is gone: its other part has nowhere to go.
    expect((await putBytes(second.url, testBytes(second.size))).status).toBe(409);
    const parts = await testDb()
      .select({ n: count() })
      .from(videoUploadParts)
      .where(eq(videoUploadParts.videoId, multi.video.id))
      .get();
    expect(parts?.n).toBe(0);
    expect(await videoRow(fresh.video.id)).toMatchObject({ status: "awaiting_upload" });
    expect(await videoRow(active.video.id)).toMatchObject({ status: "awaiting_upload" });
    expect(await videoRow(done.video.id)).toMatchObject({ status: "queued" });

    // A second run finds nothing more of these.
    const again = await abortAbandonedUploads(env, Date.now());
    expect(again.aborted).not.toContain(single.video.id);
  });
});
