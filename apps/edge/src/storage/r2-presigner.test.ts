import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config";
import { R2Presigner } from "./r2-presigner";
import { createStorageSigner, LocalStorageSigner, type PresignRequest } from "./signer";

/**
 * AWS's published example of a presigned S3 URL ("Authenticating Requests: Using Query
 * Parameters (AWS Signature Version 4)", Amazon S3 API Reference).
 */
const AWS_EXAMPLE = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  signingDate: new Date("2013-05-24T00:00:00Z"),
  url:
    "https://examplebucket.s3.amazonaws.com/test.txt" +
    "?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
};

const r2 = (now = () => new Date("2026-01-02T03:04:05Z")) =>
  new R2Presigner({
    endpoint: "https://0123456789abcdef.r2.cloudflarestorage.com",
    region: "auto",
    bucket: "marquee-media",
    accessKeyId: "test-access-key",
    secretAccessKey: "test-secret-key",
    forcePathStyle: true,
    now,
  });

/** A URL the test presigner signs for the source of vid_abc. */
const presigned = async (request: Omit<PresignRequest, "key">) =>
  new URL(await r2().presign({ key: "videos/vid_abc/source", ...request }));

describe("R2 presigner (SigV4 query signing)", () => {
  it("reproduces AWS's documented presigned GET example exactly", async () => {
    const signer = new R2Presigner({
      endpoint: "https://s3.amazonaws.com",
      region: "us-east-1",
      bucket: "examplebucket",
      accessKeyId: AWS_EXAMPLE.accessKeyId,
      secretAccessKey: AWS_EXAMPLE.secretAccessKey,
      forcePathStyle: false,
      now: () => AWS_EXAMPLE.signingDate,
    });
    const url = await signer.presign({ method: "GET", key: "test.txt", expiresInSeconds: 86400 });
    const got = new URL(url);
    const want = new URL(AWS_EXAMPLE.url);
    expect(got.origin + got.pathname).toBe(want.origin + want.pathname);
    expect(Object.fromEntries(got.searchParams)).toEqual(Object.fromEntries(want.searchParams));
    expect(got.searchParams.get("X-Amz-Signature")).toBe(
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
  });

  it("signs content-length (and content-type) into PUT URLs, path-style on the R2 endpoint", async () => {
    const url = await presigned({
      method: "PUT",
      expiresInSeconds: 3600,
      contentLength: 1234,
      contentType: "video/mp4",
    });
    expect(url.origin).toBe("https://0123456789abcdef.r2.cloudflarestorage.com");
    expect(url.pathname).toBe("/marquee-media/videos/vid_abc/source");
    const signed = url.searchParams.get("X-Amz-SignedHeaders")?.split(";") ?? [];
    expect(signed).toEqual(expect.arrayContaining(["host", "content-length", "content-type"]));
    expect(url.searchParams.get("X-Amz-Credential")).toBe("test-access-key/20260102/auto/s3/aws4_request");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("3600");
    // No checksum of an empty body may be baked into the URL, nor SDK telemetry.
    expect([...url.searchParams.keys()].filter((k) => /checksum|x-id/i.test(k))).toEqual([]);
    // A different length is a different signature.
    const other = await presigned({
      method: "PUT",
      expiresInSeconds: 3600,
      contentLength: 1235,
      contentType: "video/mp4",
    });
    expect(other.searchParams.get("X-Amz-Signature")).not.toBe(url.searchParams.get("X-Amz-Signature"));
  });

  it("signs If-Match into a pinned GET URL, so only that version of the object can be read", async () => {
    const pinned = await presigned({ method: "GET", expiresInSeconds: 600, ifMatch: "abc123" });
    expect(pinned.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual(["host", "if-match"]);
    const plain = await presigned({ method: "GET", expiresInSeconds: 600 });
    expect(plain.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
    const other = await presigned({ method: "GET", expiresInSeconds: 600, ifMatch: "abc124" });
    expect(other.searchParams.get("X-Amz-Signature")).not.toBe(pinned.searchParams.get("X-Amz-Signature"));
  });

  it("signs UploadPart URLs with the upload id and part number", async () => {
    const url = await presigned({
      method: "PUT",
      expiresInSeconds: 600,
      contentLength: 5 * 1024 * 1024,
      uploadId: "upload-123",
      partNumber: 7,
    });
    expect(url.searchParams.get("uploadId")).toBe("upload-123");
    expect(url.searchParams.get("partNumber")).toBe("7");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toContain("content-length");
  });
});

describe("R2 ListParts (resuming uploads whose parts went straight to R2)", () => {
  afterEach(() => vi.restoreAllMocks());

  const page = (parts: [number, number][], next: number | null) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>marquee-media</Bucket><Key>videos/vid_abc/source</Key><UploadId>up-1</UploadId>
  <IsTruncated>${next !== null}</IsTruncated>${next !== null ? `<NextPartNumberMarker>${next}</NextPartNumberMarker>` : ""}
  ${parts.map(([n, size]) => `<Part><PartNumber>${n}</PartNumber><ETag>&quot;etag-${n}&quot;</ETag><Size>${size}</Size></Part>`).join("")}
</ListPartsResult>`;

  it("pages through the parts with signed requests and strips the ETag quotes", async () => {
    const seen: URL[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const request = input instanceof Request ? input : new Request(input);
      const url = new URL(request.url);
      seen.push(url);
      expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^test-access-key\//);
      expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
      const body = url.searchParams.get("part-number-marker")
        ? page([[3, 1024]], null)
        : page(
            [
              [1, 5 * 1024 * 1024],
              [2, 5 * 1024 * 1024],
            ],
            2,
          );
      return new Response(body, { headers: { "content-type": "application/xml" } });
    });
    const parts = await r2(() => new Date()).listParts("videos/vid_abc/source", "up-1");
    expect(parts).toEqual([
      { partNumber: 1, size: 5 * 1024 * 1024, etag: "etag-1" },
      { partNumber: 2, size: 5 * 1024 * 1024, etag: "etag-2" },
      { partNumber: 3, size: 1024, etag: "etag-3" },
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.pathname).toBe("/marquee-media/videos/vid_abc/source");
    expect(seen[0]?.searchParams.get("uploadId")).toBe("up-1");
    expect(seen[1]?.searchParams.get("part-number-marker")).toBe("2");
  });
});

describe("createStorageSigner", () => {
  const base = {
    // Development: production also demands a real mailer and SMS sender, beside the point here.
    APP_ENV: "development",
    JWT_PRIVATE_JWK: JSON.stringify({ kty: "EC", kid: "k" }),
    ORIGIN_TOKEN: "origin-token-0123456789",
    PAYOUTS_TOKEN: "payouts-token-0123456789",
    MEDIA_SIGNING_KEY: "media-signing-key-0123456789",
    PUBLIC_URL: "https://marquee.example",
  };

  it("local mode signs URLs to this worker's /storage route", async () => {
    const signer = createStorageSigner(loadConfig({ ...base }));
    expect(signer).toBeInstanceOf(LocalStorageSigner);
    const url = new URL(
      await signer.presign({ method: "GET", key: "videos/vid_a/source", expiresInSeconds: 60 }),
    );
    expect(url.origin + url.pathname).toBe("https://marquee.example/storage/videos/vid_a/source");
  });

  it("r2 mode presigns for the account's R2 endpoint and bucket", async () => {
    const config = loadConfig({
      ...base,
      STORAGE_MODE: "r2",
      R2_ACCOUNT_ID: "acct123",
      R2_ACCESS_KEY_ID: "AKID",
      R2_SECRET_ACCESS_KEY: "SECRET",
      R2_BUCKET: "media-prod",
    });
    const signer = createStorageSigner(config);
    expect(createStorageSigner(config)).toBe(signer);
    const url = new URL(
      await signer.presign({ method: "GET", key: "videos/vid_a/source", expiresInSeconds: 60 }),
    );
    expect(url.origin + url.pathname).toBe(
      "https://acct123.r2.cloudflarestorage.com/media-prod/videos/vid_a/source",
    );
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^AKID\/\d{8}\/auto\/s3\/aws4_request$/);
  });
});
