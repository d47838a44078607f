import { env } from "cloudflare:test";
import { and, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import {
  api,
  apiJson,
  completeUpload,
  createVideo,
  eventually,
  putBytes,
  seedAccount,
  sourceKey,
  storedBytes,
  testBytes,
  type UploadStatus,
  type VideoJson,
  videoPath,
  videoRow,
} from "../../test/harness";
import { processedEvents, videos } from "../db/schema";
import { globalQueue } from "../transcode-queue/test-utils";

/** The job queue's view of a video's latest job. */
const jobState = async (videoId: string) => (await globalQueue().status(videoId))?.state ?? null;

const markReady = (id: string) =>
  testDb().update(videos).set({ status: "ready", progress: 100, playable: true }).where(eq(videos.id, id));

describe("videos: create, single upload, complete", () => {
  it("creates a video with normalised metadata, takes one signed PUT, and queues it", async () => {
    const owner = await seedAccount({ tag: "vidsingle", channel: true });
    const admin = await seedAccount({ tag: "vidsinglecat", roles: ["admin"] });
    const film = await apiJson<{ id: string }>("/api/v1/admin/categories", 201, {
      method: "POST",
      token: admin.accessToken,
      json: { slug: `film-${Date.now().toString(36)}`, name: "Film" },
    });
    const bytes = testBytes(64 * 1024, 7);
    const { video, upload } = await createVideo(
      owner,
      { size: bytes.length, contentType: "Video/MP4" },
      {
        title: "  My first film ",
        description: "Shot on a phone",
        tags: ["  Hello   World ", "hello world", "RUST", "rust "],
        categoryId: film.id,
        visibility: "unlisted",
      },
    );
    expect(video).toMatchObject({
      channelId: owner.channelId,
      title: "My first film",
      description: "Shot on a phone",
      tags: ["hello world", "rust"],
      categoryId: film.id,
      maturity: "adult",
      visibility: "unlisted",
      status: "awaiting_upload",
      failureReason: null,
      playable: false,
      progress: 0,
      durationMs: null,
      publishedAt: null,
    });
    expect(video.id).toMatch(/^vid_[a-z0-9]+$/);
    if (upload.kind !== "single") throw new Error("expected a single upload");
    expect(upload.method).toBe("PUT");
    expect(upload.headers).toEqual({ "content-type": "video/mp4" });
    expect(new URL(upload.url).pathname).toBe(`/storage/videos/${video.id}/source`);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const put = await putBytes(upload.url, bytes, upload.headers);
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toBeTruthy();
    expect(await storedBytes(sourceKey(video.id))).toEqual(bytes);
    expect((await env.MEDIA.head(sourceKey(video.id)))?.httpMetadata?.contentType).toBe("video/mp4");

    const status = await apiJson<UploadStatus>(videoPath(video.id, "/upload"), 200, {
      token: owner.accessToken,
    });
    expect(status).toMatchObject({
      kind: "single",
      status: "awaiting_upload",
      size: bytes.length,
      uploadedParts: [{ partNumber: 1, size: bytes.length }],
      missingParts: [],
      expiresAt: null,
    });

    const done = await completeUpload(owner, video.id);
    expect(done.status).toBe(202);
    expect(await done.json()).toMatchObject({ id: video.id, status: "queued" });
    expect(await apiJson(videoPath(video.id), 200, { token: owner.accessToken })).toMatchObject({
      status: "queued",
    });
    expect(await videoRow(video.id)).toMatchObject({ uploadedAt: expect.any(Number), uploadId: null });
    expect(await jobState(video.id)).toBe("queued");

    // Twice: already queued.
    const again = await completeUpload(owner, video.id);
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    // The signed URL no longer writes over the source once the upload is over.
    expect((await putBytes(upload.url, bytes, upload.headers)).status).toBe(409);
  });

  it("refuses bad input with 400 problems", async () => {
    const owner = await seedAccount({ tag: "vidbad", channel: true });
    const post = (json: unknown) => api("/api/v1/videos", { method: "POST", token: owner.accessToken, json });
    const valid = { title: "Fine", upload: { size: 10, contentType: "video/mp4" } };
    const cases: [string, unknown][] = [
      ["zero-byte file", { ...valid, upload: { size: 0, contentType: "video/mp4" } }],
      ["negative size", { ...valid, upload: { size: -1, contentType: "video/mp4" } }],
      ["fractional size", { ...valid, upload: { size: 1.5, contentType: "video/mp4" } }],
      ["over MAX_UPLOAD_BYTES", { ...valid, upload: { size: 20 * 1024 ** 3 + 1, contentType: "video/mp4" } }],
      ["text content type", { ...valid, upload: { size: 10, contentType: "text/plain" } }],
      ["no upload", { title: "Fine" }],
      ["empty title", { ...valid, title: "   " }],
      ["101-char title", { ...valid, title: "t".repeat(101) }],
      ["5001-char description", { ...valid, description: "d".repeat(5001) }],
      ["16 tags", { ...valid, tags: Array.from({ length: 16 }, (_, i) => `tag${i}`) }],
      ["empty tag", { ...valid, tags: ["ok", "  "] }],
      ["31-char tag", { ...valid, tags: ["x".repeat(31)] }],
      ["bad visibility", { ...valid, visibility: "friends" }],
      ["bad category", { ...valid, categoryId: "no spaces allowed" }],
      ["unknown field", { ...valid, status: "ready" }],
      ["part size under 5 MiB", { ...valid, upload: { size: 10, contentType: "video/mp4", partSize: 1024 } }],
      [
        "more than 10,000 parts",
        {
          ...valid,
          upload: { size: 10_001 * 5 * 1024 ** 2, contentType: "video/mp4", partSize: 5 * 1024 ** 2 },
        },
      ],
    ];
    for (const [name, body] of cases) {
      const res = await post(body);
      expect(res.status, name).toBe(400);
      expect(res.headers.get("content-type"), name).toContain("application/problem+json");
    }
    const tooBig = await (await post(cases[3]?.[1])).json();
    expect(tooBig).toMatchObject({ errors: [{ path: "body.upload" }] });
    // Exactly 15 tags that collapse to fewer are fine; so is a null category.
    const ok = await createVideo(owner, { size: 10 }, { tags: ["A", "a", " a "], categoryId: null });
    expect(ok.video.tags).toEqual(["a"]);
    expect(ok.video.categoryId).toBeNull();
  });

  it("only creators with a channel, from a grown-up profile, create videos", async () => {
    const viewer = await seedAccount({ tag: "vidviewer" });
    const creatorKids = await seedAccount({
      tag: "vidkids",
      channel: true,
      profiles: [{ maturity: "kids" }],
    });
    const body = { title: "Nope", upload: { size: 10, contentType: "video/mp4" } };
    expect((await api("/api/v1/videos", { method: "POST", json: body })).status).toBe(401);
    expect(
      (await api("/api/v1/videos", { method: "POST", token: viewer.accessToken, json: body })).status,
    ).toBe(403);
    const kidsToken = creatorKids.profiles[1]?.token;
    expect((await api("/api/v1/videos", { method: "POST", token: kidsToken, json: body })).status).toBe(403);
    const made = await testDb()
      .select({ n: count() })
      .from(videos)
      .where(inArray(videos.accountId, [viewer.accountId, creatorKids.accountId]))
      .get();
    expect(made?.n).toBe(0);
  });

  it("upload-complete before any upload is 409 and changes nothing", async () => {
    const owner = await seedAccount({ tag: "videarly", channel: true });
    const { video } = await createVideo(owner, { size: 1000 });
    const before = await videoRow(video.id);
    const res = await completeUpload(owner, video.id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ detail: "Nothing has been uploaded yet" });
    expect(await videoRow(video.id)).toEqual(before);
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
  });

  it("hides private and unfinished videos from others; a ready public one is readable but not theirs to change", async () => {
    const owner = await seedAccount({ tag: "vidvis", channel: true });
    const other = await seedAccount({ tag: "vidvisother", channel: true });
    const admin = await seedAccount({ tag: "vidvisadmin", roles: ["admin"] });
    const moderator = await seedAccount({ tag: "vidvismod", roles: ["moderator"] });
    const { video: fresh } = await createVideo(owner, { size: 10 });
    const { video: secret } = await createVideo(owner, { size: 10 }, { visibility: "private" });
    await markReady(secret.id);
    const { video: shown } = await createVideo(owner, { size: 10 }, { visibility: "premium" });
    await markReady(shown.id);

    for (const id of [fresh.id, secret.id]) {
      expect((await api(videoPath(id))).status).toBe(404);
      expect((await api(videoPath(id), { token: other.accessToken })).status).toBe(404);
      expect((await api(videoPath(id), { token: moderator.accessToken })).status).toBe(404);
      await apiJson(videoPath(id), 200, { token: owner.accessToken });
      await apiJson(videoPath(id), 200, { token: admin.accessToken });
      const patch = await api(videoPath(id), {
        method: "PATCH",
        token: other.accessToken,
        json: { title: "x" },
      });
      expect(patch.status).toBe(404);
    }
    expect(await apiJson(videoPath(shown.id), 200)).toMatchObject({
      id: shown.id,
      status: "ready",
      visibility: "premium",
    });
    const taken = await api(videoPath(shown.id), {
      method: "PATCH",
      token: other.accessToken,
      json: { title: "Mine" },
    });
    expect(taken.status).toBe(403);
    expect((await api(videoPath(shown.id), { method: "DELETE", token: other.accessToken })).status).toBe(403);
    // Admins edit; moderators take down (even what they cannot see) but do not edit.
    await apiJson(videoPath(shown.id), 200, {
      method: "PATCH",
      token: admin.accessToken,
      json: { title: "Fixed" },
    });
    const modEdit = await api(videoPath(shown.id), {
      method: "PATCH",
      token: moderator.accessToken,
      json: { title: "m" },
    });
    expect(modEdit.status).toBe(403);
    expect((await api(videoPath(secret.id), { method: "DELETE", token: moderator.accessToken })).status).toBe(
      204,
    );
    expect(await apiJson(videoPath(shown.id), 200)).toMatchObject({ title: "Fixed" });
  });

  it("another account's unfinished video is 404 on every video route, and stays as it was", async () => {
    const owner = await seedAccount({ tag: "vidown", channel: true });
    const other = await seedAccount({ tag: "vidintruder", channel: true });
    const { video } = await createVideo(owner, { size: 10 });
    const before = await videoRow(video.id);
    const attempts: [string, string, unknown?][] = [
      ["GET", ""],
      ["PATCH", "", { title: "Mine now" }],
      ["DELETE", ""],
      ["GET", "/upload"],
      ["DELETE", "/upload"],
      ["POST", "/upload-complete"],
    ];
    for (const [method, rest, json] of attempts) {
      const res = await api(videoPath(video.id, rest), {
        method,
        token: other.accessToken,
        ...(json ? { json } : {}),
      });
      expect(res.status, `${method} ${rest}`).toBe(404);
    }
    expect(await videoRow(video.id)).toEqual(before);
  });

  it("the owner's kids profile gets 403 on the owner's video", async () => {
    const owner = await seedAccount({ tag: "vidkidsown", channel: true, profiles: [{ maturity: "kids" }] });
    const kids = owner.profiles[1]?.token;
    const { video } = await createVideo(owner, { size: 10 });
    expect(
      (await api(videoPath(video.id), { method: "PATCH", token: kids, json: { title: "x" } })).status,
    ).toBe(403);
    expect((await api(videoPath(video.id), { method: "DELETE", token: kids })).status).toBe(403);
    expect((await api(videoPath(video.id, "/upload-complete"), { method: "POST", token: kids })).status).toBe(
      403,
    );
    expect((await api(videoPath(video.id, "/upload"), { method: "DELETE", token: kids })).status).toBe(403);
  });
});

describe("videos: edit and delete", () => {
  it("the owner edits metadata; an empty patch is refused", async () => {
    const owner = await seedAccount({ tag: "videdit", channel: true });
    const { video } = await createVideo(owner, { size: 10 }, { tags: ["old"] });
    const edited = await apiJson<VideoJson>(videoPath(video.id), 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { title: "New title", tags: [" New  Tag "], visibility: "private", categoryId: null },
    });
    expect(edited).toMatchObject({
      title: "New title",
      tags: ["new tag"],
      visibility: "private",
      categoryId: null,
    });
    const empty = await api(videoPath(video.id), { method: "PATCH", token: owner.accessToken, json: {} });
    expect(empty.status).toBe(400);
  });

  it("deleting marks the video deleted, aborts its upload, and publishes video.deleted", async () => {
    const owner = await seedAccount({ tag: "viddelete", channel: true });
    const { video, upload } = await createVideo(owner, { size: 6 * 1024 * 1024, partSize: 5 * 1024 * 1024 });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    const first = upload.parts[0];
    if (!first) throw new Error("no part");
    expect((await putBytes(first.url, testBytes(first.size))).status).toBe(200);

    const res = await api(videoPath(video.id), { method: "DELETE", token: owner.accessToken });
    expect(res.status).toBe(204);
    expect(await videoRow(video.id)).toMatchObject({ status: "deleted", deletedAt: expect.any(Number) });
    for (const [method, rest] of [
      ["GET", ""],
      ["DELETE", ""],
      ["GET", "/upload"],
      ["POST", "/upload-complete"],
    ] as const) {
      expect((await api(videoPath(video.id, rest), { method, token: owner.accessToken })).status).toBe(404);
    }
    // The multipart upload is gone: its remaining URLs store nothing.
    const second = upload.parts[1];
    if (!second) throw new Error("no second part");
    expect((await putBytes(second.url, testBytes(second.size))).status).toBe(404);
    const handled = await eventually(() =>
      testDb()
        .select()
        .from(processedEvents)
        .where(and(eq(processedEvents.subject, video.id), eq(processedEvents.type, "video.deleted")))
        .get(),
    );
    expect(handled).toBeTruthy();
  });

  it("deleting a queued video cancels its transcode job", async () => {
    const owner = await seedAccount({ tag: "vidcancel", channel: true });
    const { video, upload } = await createVideo(owner, { size: 10 });
    if (upload.kind !== "single") throw new Error("expected single");
    await putBytes(upload.url, testBytes(10), upload.headers);
    expect((await completeUpload(owner, video.id)).status).toBe(202);
    expect(await jobState(video.id)).toBe("queued");
    expect((await api(videoPath(video.id), { method: "DELETE", token: owner.accessToken })).status).toBe(204);
    expect(await jobState(video.id)).toBe("cancelled");
  });

  it("aborting the upload discards stored bytes and fails the video with “upload aborted”", async () => {
    const owner = await seedAccount({ tag: "vidabort", channel: true });
    const bytes = testBytes(2048);
    const { video, upload } = await createVideo(owner, { size: bytes.length });
    if (upload.kind !== "single") throw new Error("expected single");
    expect((await putBytes(upload.url, bytes, upload.headers)).status).toBe(200);
    const aborted = await apiJson<VideoJson>(videoPath(video.id, "/upload"), 200, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(aborted).toMatchObject({ status: "failed", failureReason: "upload aborted" });
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
    expect((await putBytes(upload.url, bytes, upload.headers)).status).toBe(409);
    expect((await completeUpload(owner, video.id)).status).toBe(409);
    const again = await api(videoPath(video.id, "/upload"), { method: "DELETE", token: owner.accessToken });
    expect(again.status).toBe(409);
    expect(
      await apiJson<UploadStatus>(videoPath(video.id, "/upload"), 200, { token: owner.accessToken }),
    ).toMatchObject({
      status: "failed",
      uploadedParts: [],
      missingParts: [],
      expiresAt: null,
    });
  });
});
