// Uploads under D1 and R2 faults (docs/faults.md): creating a video, storing its bytes, recording a
// part, completing the upload. Every failure answers 503 `unavailable`; no D1 row ever claims an
// object R2 does not hold (a part record without its part, an `uploaded` video without its source),
// and sending the same request again finishes the job once.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import {
  completeUpload,
  createVideo,
  MiB,
  putBytes,
  type SeededAccount,
  seedAccount,
  sourceKey,
  testBytes,
  unique,
  videoRow,
} from "../../test/harness";
import {
  callWithFaults,
  expectUnavailable,
  type Faults,
  failEachStatementInTurn,
  R2Faults,
} from "../../test/harness/faults";
import { videos, videoUploadParts } from "../db/schema";

const SIZE = 1024;
/** One part of SIZE bytes: the smallest multipart plan (a lone part may be small). */
const ONE_PART = { size: SIZE, partSize: 5 * MiB, contentType: "video/mp4" };

let owner: SeededAccount;
beforeAll(async () => {
  owner = await seedAccount({ channel: true, tag: "ufault" });
});

const videosTitled = (title: string) =>
  testDb()
    .select({ status: videos.status, uploadId: videos.uploadId })
    .from(videos)
    .where(and(eq(videos.channelId, owner.channelId as string), eq(videos.title, title)));

const partRows = (videoId: string) =>
  testDb().select().from(videoUploadParts).where(eq(videoUploadParts.videoId, videoId));

/** The path and query of a signed URL, for calling it through `callWithFaults`. */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

const create = (title: string, faults: Faults) =>
  callWithFaults(faults, "/api/v1/videos", {
    method: "POST",
    token: owner.accessToken,
    json: { title, upload: ONE_PART },
  });

async function multipartVideo(): Promise<{ id: string; partUrl: string }> {
  const { video, upload } = await createVideo(owner, ONE_PART);
  if (upload.kind !== "multipart" || !upload.parts[0]) throw new Error("expected a one-part multipart plan");
  return { id: video.id, partUrl: upload.parts[0].url };
}

describe("creating a video under faults", () => {
  it("each failing D1 statement: 503 and no row; creating again makes one video awaiting its upload", async () => {
    await failEachStatementInTurn<string>({
      scene: async () => unique("fault video"),
      act: (title, faults) => create(title, faults),
      okStatus: 201,
      afterFailure: async (title) => {
        expect(await videosTitled(title)).toEqual([]);
      },
      afterRetry: async (title) => {
        expect(await videosTitled(title)).toEqual([
          { status: "awaiting_upload", uploadId: expect.any(String) },
        ]);
      },
    });
  });

  it("R2 failing to start the multipart upload: 503 and no row; creating again works", async () => {
    const title = unique("fault video");
    const r2 = new R2Faults({ match: /^createMultipartUpload videos\// });
    await expectUnavailable(await create(title, { r2 }));
    expect(r2.failed).toBe(1);
    expect(await videosTitled(title)).toEqual([]);
    expect((await create(title, {})).status).toBe(201);
    expect(await videosTitled(title)).toHaveLength(1);
  });
});

describe("storing the bytes under faults", () => {
  it("R2 failing a single PUT: 503, nothing stored, the video still awaits and completing is refused; the PUT again stores it", async () => {
    const { video, upload } = await createVideo(owner, { size: SIZE });
    if (upload.kind !== "single") throw new Error("expected a single upload");
    const bytes = testBytes(SIZE, 7);
    const put = (faults: Faults) =>
      callWithFaults(faults, local(upload.url), { method: "PUT", body: bytes, headers: upload.headers });
    const r2 = new R2Faults({ match: /^put videos\// });
    await expectUnavailable(await put({ r2 }));
    expect(r2.failed).toBe(1);
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
    expect((await completeUpload(owner, video.id)).status).toBe(409);
    expect((await videoRow(video.id))?.status).toBe("awaiting_upload");

    expect((await put({})).status).toBe(200);
    expect((await completeUpload(owner, video.id)).status).toBe(202);
    expect((await env.MEDIA.head(sourceKey(video.id)))?.size).toBe(SIZE);
  });

  it("recording a part: each failing D1 statement answers 503 with no part record; the PUT again records it once", async () => {
    await failEachStatementInTurn<{ id: string; partUrl: string }>({
      scene: multipartVideo,
      act: (v, faults) =>
        callWithFaults(faults, local(v.partUrl), { method: "PUT", body: testBytes(SIZE, 9) }),
      okStatus: 200,
      afterFailure: async (v) => {
        expect(await partRows(v.id)).toEqual([]);
      },
      afterRetry: async (v) => {
        expect(await partRows(v.id)).toEqual([expect.objectContaining({ partNumber: 1, size: SIZE })]);
      },
    });
  });
});

describe("completing a multipart upload under R2 faults", () => {
  it("R2 failing to join the parts: 503, the video still awaits with its part record; completing again queues it", async () => {
    const v = await multipartVideo();
    expect((await putBytes(v.partUrl, testBytes(SIZE, 13))).status).toBe(200);
    const r2 = new R2Faults({ match: /^completeMultipartUpload videos\// });
    const complete = (faults: Faults) =>
      callWithFaults(faults, `/api/v1/videos/${v.id}/upload-complete`, {
        method: "POST",
        token: owner.accessToken,
      });
    await expectUnavailable(await complete({ r2 }));
    expect(r2.failed).toBe(1);
    expect((await videoRow(v.id))?.status).toBe("awaiting_upload");
    expect(await partRows(v.id)).toHaveLength(1);
    expect(await env.MEDIA.head(sourceKey(v.id))).toBeNull();

    expect((await complete({})).status).toBe(202);
    expect((await videoRow(v.id))?.status).toBe("queued");
    expect(await partRows(v.id)).toEqual([]);
    expect((await env.MEDIA.head(sourceKey(v.id)))?.size).toBe(SIZE);
  });
});

describe("completing a multipart upload under D1 faults", () => {
  it("each failing statement: 503, and the video is awaiting with its part record or past it without — never between; completing again queues it once", async () => {
    const statements = await failEachStatementInTurn<string>({
      scene: async () => {
        const v = await multipartVideo();
        expect((await putBytes(v.partUrl, testBytes(SIZE, 11))).status).toBe(200);
        return v.id;
      },
      act: (id, faults) =>
        callWithFaults(faults, `/api/v1/videos/${id}/upload-complete`, {
          method: "POST",
          token: owner.accessToken,
        }),
      okStatus: 202,
      // Queued before a later read failed: the upload is over, and completing again says so.
      retryStatus: async (id) => ((await videoRow(id))?.status === "queued" ? 409 : 202),
      afterFailure: async (id) => {
        const row = await videoRow(id);
        const parts = (await partRows(id)).length;
        expect([
          { status: "awaiting_upload", parts: 1 },
          { status: "uploaded", parts: 0 },
          { status: "queued", parts: 0 },
        ]).toContainEqual({ status: row?.status, parts });
      },
      afterRetry: async (id) => {
        expect((await videoRow(id))?.status).toBe("queued");
        expect(await partRows(id)).toEqual([]);
        expect((await env.MEDIA.head(sourceKey(id)))?.size).toBe(SIZE);
      },
    });
    // The status change and the part records' removal are one batch.
    expect(statements.some((sql) => /delete from "video_upload_parts"/i.test(sql))).toBe(true);
  });
});
