import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  completeUpload,
  createVideo,
  MiB,
  putBytes,
  type SignedPart,
  seedAccount,
  sourceKey,
  storedBytes,
  testBytes,
  uploadStatus,
  videoRow,
} from "../../test/harness";

/** 5 MiB, 5 MiB and 1 KiB: the smallest plan R2 accepts with more than one full part. */
const PART = 5 * MiB;
const SIZE = 2 * PART + 1024;

function partOf(file: Uint8Array, part: SignedPart): Uint8Array {
  const start = (part.partNumber - 1) * PART;
  return file.subarray(start, start + part.size);
}

describe("multipart uploads", () => {
  it("an interrupted upload resumes from the parts storage has, then completes and queues", async () => {
    const owner = await seedAccount({ tag: "mpresume", channel: true });
    const file = testBytes(SIZE, 3);
    const { video, upload } = await createVideo(owner, {
      size: SIZE,
      partSize: PART,
      contentType: "video/webm",
    });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    expect(upload).toMatchObject({ partSize: PART, partCount: 3, uploadId: expect.any(String) });
    expect(upload.parts.map((p) => [p.partNumber, p.size])).toEqual([
      [1, PART],
      [2, PART],
      [3, 1024],
    ]);

    // Part 1 arrives, then the connection drops.
    const [first] = upload.parts;
    if (!first) throw new Error("no part 1");
    expect((await putBytes(first.url, partOf(file, first))).status).toBe(200);

    const early = await completeUpload(owner, video.id);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ detail: expect.stringContaining("2 of 3 parts are missing") });

    const status = await uploadStatus(owner, video.id);
    expect(status).toMatchObject({
      kind: "multipart",
      status: "awaiting_upload",
      size: SIZE,
      partSize: PART,
      partCount: 3,
      uploadedParts: [{ partNumber: 1, size: PART }],
      expiresAt: expect.any(String),
    });
    expect(status.missingParts.map((p) => [p.partNumber, p.size])).toEqual([
      [2, PART],
      [3, 1024],
    ]);
    // Fresh URLs: signed again, not the ones handed out at creation.
    for (const part of status.missingParts) {
      expect(new URL(part.url).searchParams.get("X-Part")).toBe(String(part.partNumber));
    }

    // Resume: only the missing parts, in reverse order for good measure.
    for (const part of [...status.missingParts].reverse()) {
      expect((await putBytes(part.url, partOf(file, part))).status).toBe(200);
    }
    expect((await uploadStatus(owner, video.id)).missingParts).toEqual([]);

    const done = await completeUpload(owner, video.id);
    expect(done.status).toBe(202);
    expect(await done.json()).toMatchObject({ status: "queued" });
    expect(await storedBytes(sourceKey(video.id))).toEqual(file);
    expect((await env.MEDIA.head(sourceKey(video.id)))?.httpMetadata?.contentType).toBe("video/webm");
    expect(await videoRow(video.id)).toMatchObject({ status: "queued", uploadId: null });
    const after = await uploadStatus(owner, video.id);
    expect(after).toMatchObject({ status: "queued", missingParts: [], expiresAt: null });
    expect(after.uploadedParts).toHaveLength(3);
    expect((await completeUpload(owner, video.id)).status).toBe(409);
  });

  it("a retried part replaces the earlier copy", async () => {
    const owner = await seedAccount({ tag: "mpretry", channel: true });
    const file = testBytes(PART + 10, 9);
    const { video, upload } = await createVideo(owner, { size: file.length, partSize: PART });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    const [one, two] = upload.parts;
    if (!one || !two) throw new Error("expected two parts");
    expect((await putBytes(one.url, testBytes(PART, 1234))).status).toBe(200);
    expect((await putBytes(one.url, partOf(file, one))).status).toBe(200);
    expect((await putBytes(two.url, partOf(file, two))).status).toBe(200);
    expect((await completeUpload(owner, video.id)).status).toBe(202);
    expect(await storedBytes(sourceKey(video.id))).toEqual(file);
  });

  it("files over SINGLE_UPLOAD_MAX_BYTES get 8 MiB parts; parts are signed for their exact length", async () => {
    const owner = await seedAccount({ tag: "mpdefault", channel: true });
    const size = 100 * MiB + 1;
    const { upload } = await createVideo(owner, { size });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    expect(upload.partSize).toBe(8 * MiB);
    expect(upload.partCount).toBe(13);
    expect(upload.parts).toHaveLength(13);
    expect(upload.parts.at(-1)?.size).toBe(size - 12 * 8 * MiB);
    expect(new URL(upload.parts[0]?.url ?? "").searchParams.get("X-Length")).toBe(String(8 * MiB));
    // A part URL takes only its own part's length.
    const last = upload.parts.at(-1);
    if (!last) throw new Error("no last part");
    const res = await putBytes(last.url, testBytes(last.size + 1));
    expect(res.status).toBe(413);
  });

  it("the largest file allowed (MAX_UPLOAD_BYTES, 20 GiB) gets 2,560 signed 8 MiB parts", async () => {
    const owner = await seedAccount({ tag: "mpmax", channel: true });
    const { upload } = await createVideo(owner, { size: 20 * 1024 * MiB });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    expect(upload.partCount).toBe(2560);
    expect(new Set(upload.parts.map((p) => p.url)).size).toBe(2560);
  });
});
