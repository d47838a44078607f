import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createVideo, putBytes, seedAccount, sourceKey, testBytes, unique } from "../../test/harness";
import { createApp } from "../app";
import { LocalStorageSigner } from "./signer";

const signer = new LocalStorageSigner("http://storage.test", env.MEDIA_SIGNING_KEY);

async function singleUpload(size: number) {
  const owner = await seedAccount({ tag: "stor", channel: true });
  const { video, upload } = await createVideo(owner, { size });
  if (upload.kind !== "single") throw new Error("expected single");
  return { owner, video, upload };
}

/** A URL of `url` with one query parameter changed. */
function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

const problem = async (res: Response) => {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { status: number; detail?: string };
};

describe("storage route: signed PUT", () => {
  it("refuses more bytes than declared (413) and stores nothing", async () => {
    const { video, upload } = await singleUpload(1000);
    const res = await putBytes(upload.url, testBytes(1001), upload.headers);
    expect(res.status).toBe(413);
    expect((await problem(res)).detail).toContain("exactly 1000 bytes");
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
  });

  it("refuses fewer bytes than declared, and a body without Content-Length, storing nothing", async () => {
    const { video, upload } = await singleUpload(1000);
    expect((await putBytes(upload.url, testBytes(999), upload.headers)).status).toBe(400);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(testBytes(1000));
        controller.close();
      },
    });
    const chunked = await SELF.fetch(upload.url, {
      method: "PUT",
      body: streamed,
      headers: upload.headers,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(400);
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
  });

  it("refuses a content type other than the signed one", async () => {
    const { upload } = await singleUpload(10);
    const res = await putBytes(upload.url, testBytes(10), { "content-type": "text/html" });
    expect(res.status).toBe(400);
  });

  it("refuses expired and tampered URLs with 403", async () => {
    const { video, upload } = await singleUpload(100);
    const bytes = testBytes(100);
    const other = await singleUpload(100);
    const expired = await signer.presign({
      method: "PUT",
      key: sourceKey(video.id),
      expiresInSeconds: -1,
      contentLength: 100,
      contentType: "video/mp4",
    });
    const u = new URL(upload.url);
    const tampered: [string, string][] = [
      ["expired", expired],
      [
        "expiry pushed out",
        withParam(upload.url, "X-Expires", String(Math.floor(Date.now() / 1000) + 86400)),
      ],
      [
        "expired expiry pulled in",
        withParam(expired, "X-Expires", String(Math.floor(Date.now() / 1000) + 60)),
      ],
      ["length changed", withParam(upload.url, "X-Length", "101")],
      ["method changed", withParam(upload.url, "X-Method", "GET")],
      ["signature changed", withParam(upload.url, "X-Signature", "A".repeat(43))],
      [
        "no signature",
        (() => {
          const x = new URL(upload.url);
          x.searchParams.delete("X-Signature");
          return x.toString();
        })(),
      ],
      ["another video's key", `${u.origin}/storage/videos/${other.video.id}/source${u.search}`],
      ["a part number added", withParam(upload.url, "X-Part", "1")],
    ];
    for (const [name, url] of tampered) {
      const res = await putBytes(url, name === "length changed" ? testBytes(101) : bytes, upload.headers);
      expect(res.status, name).toBe(403);
      await problem(res);
    }
    // A signed GET URL cannot write.
    const getUrl = await signer.presign({ method: "GET", key: sourceKey(video.id), expiresInSeconds: 60 });
    expect((await putBytes(getUrl, bytes)).status).toBe(403);
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
    expect(await env.MEDIA.head(sourceKey(other.video.id))).toBeNull();
    // The genuine URL still works.
    expect((await putBytes(upload.url, bytes, upload.headers)).status).toBe(200);
  });

  it("stores outputs under a video's folder through URLs signed for them (no video row checks)", async () => {
    const key = `videos/vid_${unique("o")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")}/hls/720p/seg_00001.m4s`;
    const url = await signer.presign({
      method: "PUT",
      key,
      expiresInSeconds: 60,
      contentLength: 4,
      contentType: "video/iso.segment",
    });
    const res = await putBytes(url, new Uint8Array([1, 2, 3, 4]), { "content-type": "video/iso.segment" });
    expect(res.status).toBe(200);
    const head = await env.MEDIA.head(key);
    expect(head?.size).toBe(4);
    expect(head?.httpMetadata?.contentType).toBe("video/iso.segment");
  });
});

describe("storage route: outputs signed without a length", () => {
  const outputKey = () =>
    `videos/vid_${unique("n")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")}/hls/master.m3u8`;

  it("take the declared Content-Length (even zero bytes); a source URL never goes without one", async () => {
    const key = outputKey();
    const url = await signer.presign({ method: "PUT", key, expiresInSeconds: 60, contentType: "text/plain" });
    const text = new TextEncoder().encode("#EXTM3U\n");
    expect((await putBytes(url, text, { "content-type": "text/plain" })).status).toBe(200);
    expect((await env.MEDIA.head(key))?.size).toBe(text.length);
    const empty = outputKey();
    const emptyUrl = await signer.presign({ method: "PUT", key: empty, expiresInSeconds: 60 });
    expect((await putBytes(emptyUrl, new Uint8Array(0))).status).toBe(200);
    expect((await env.MEDIA.head(empty))?.size).toBe(0);

    const { video } = await singleUpload(10);
    const unsized = await signer.presign({ method: "PUT", key: sourceKey(video.id), expiresInSeconds: 60 });
    expect((await putBytes(unsized, testBytes(10))).status).toBe(403);
    expect(await env.MEDIA.head(sourceKey(video.id))).toBeNull();
  });
});

describe("storage route: signed GET and HEAD", () => {
  const key = `videos/vid_${unique("g")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}/thumbs/poster.jpg`;
  const body = testBytes(1000, 5);
  const signedGet = () => signer.presign({ method: "GET", key, expiresInSeconds: 60 });

  it("serves the object, ranges (206), HEAD, 416 past the end and 404 when missing", async () => {
    await env.MEDIA.put(key, body, { httpMetadata: { contentType: "image/jpeg" } });
    const url = await signedGet();

    const whole = await SELF.fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/jpeg");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe("1000");
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(body);

    const part = await SELF.fetch(url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(part.headers.get("content-length")).toBe("10");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(body.slice(10, 20));

    const tail = await SELF.fetch(url, { headers: { range: "bytes=-5" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe("bytes 995-999/1000");
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(body.slice(995));

    const open = await SELF.fetch(url, { headers: { range: "bytes=990-5000" } });
    expect(open.headers.get("content-range")).toBe("bytes 990-999/1000");
    await open.arrayBuffer();

    const past = await SELF.fetch(url, { headers: { range: "bytes=1000-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */1000");
    await problem(past);

    const head = await SELF.fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("1000");
    expect(await head.text()).toBe("");

    const missing = await SELF.fetch(
      await signer.presign({ method: "GET", key: `${key}.missing`, expiresInSeconds: 60 }),
    );
    expect(missing.status).toBe(404);
    await problem(missing);
  });

  it("refuses unsigned, expired and re-pointed GETs", async () => {
    await env.MEDIA.put(key, body);
    const url = new URL(await signedGet());
    expect((await SELF.fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
    const expired = await signer.presign({ method: "GET", key, expiresInSeconds: -1 });
    expect((await SELF.fetch(expired)).status).toBe(403);
    const elsewhere = `${url.origin}${url.pathname.replace("poster.jpg", "thumb_1.jpg")}${url.search}`;
    expect((await SELF.fetch(elsewhere)).status).toBe(403);
    expect((await SELF.fetch(`${url.origin}/storage/%E0%A4%A${url.search}`)).status).toBe(404);
  });

  it("answers 404 in r2 mode, where URLs point at R2 itself", async () => {
    const url = await signedGet();
    const r2Env = {
      ...env,
      STORAGE_MODE: "r2",
      R2_ACCOUNT_ID: "acct",
      R2_ACCESS_KEY_ID: "key",
      R2_SECRET_ACCESS_KEY: "secret",
    };
    const res = await createApp().request(url, {}, r2Env);
    expect(res.status).toBe(404);
  });
});
