/**
 * Production storage URLs: SigV4 presigned URLs for R2's S3-compatible endpoint, made with
 * @aws-sdk/s3-request-presigner. PUT URLs sign `content-length` (and `content-type` when given),
 * so a URL only accepts the exact number of bytes it was made for. R2 multipart uploads created
 * through the Worker binding are the same uploads the S3 API sees, so UploadPart URLs use the
 * binding's upload id.
 */
import {
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { PresignRequest, StorageSigner } from "./signer";

export interface R2PresignerOptions {
  /** e.g. https://{accountId}.r2.cloudflarestorage.com */
  endpoint: string;
  /** R2 signs for region "auto". */
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** R2: path-style (`endpoint/bucket/key`); AWS's examples use virtual hosts (`bucket.endpoint/key`). */
  forcePathStyle: boolean;
  /** The signing clock; tests pin it to reproduce published signatures. */
  now?: () => Date;
}

export interface ListedPart {
  partNumber: number;
  size: number;
  etag: string;
}

export class R2Presigner implements StorageSigner {
  private readonly client: S3Client;
  private readonly now: () => Date;

  constructor(private readonly options: R2PresignerOptions) {
    this.now = options.now ?? (() => new Date());
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Default checksums would add x-amz-checksum-* values computed over an empty body to PUT URLs,
      // which then refuse the real bytes.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    // The serializer tags requests with `?x-id=GetObject` etc. for its own telemetry; it has no
    // meaning to storage and would only make URLs differ from every other SigV4 implementation.
    this.client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { query?: Record<string, unknown> };
        if (request.query) delete request.query["x-id"];
        return next(args);
      },
      { step: "build", name: "dropXIdQuery" },
    );
  }

  static forR2(storage: { accountId: string; accessKeyId: string; secretAccessKey: string; bucket: string }) {
    return new R2Presigner({
      endpoint: `https://${storage.accountId}.r2.cloudflarestorage.com`,
      region: "auto",
      bucket: storage.bucket,
      accessKeyId: storage.accessKeyId,
      secretAccessKey: storage.secretAccessKey,
      forcePathStyle: true,
    });
  }

  async presign(r: PresignRequest): Promise<string> {
    const Bucket = this.options.bucket;
    const options = {
      expiresIn: r.expiresInSeconds,
      signingDate: this.now(),
      // The presigner never signs content-type unless asked; content-length it signs when present.
      signableHeaders: new Set(["content-type", "content-length", "if-match"]),
      // Query-signed requests carry UNSIGNED-PAYLOAD implicitly (as in AWS's own examples); the SDK
      // would otherwise also spell it out as an X-Amz-Content-Sha256 query parameter.
      unhoistableHeaders: new Set(["x-amz-content-sha256"]),
      unsignableHeaders: new Set(["x-amz-content-sha256"]),
    };
    if (r.method === "GET") {
      // A pinned GET signs If-Match: the reader must send it, and R2 answers 412 for any other version.
      const IfMatch = r.ifMatch === undefined ? undefined : `"${r.ifMatch}"`;
      return getSignedUrl(this.client, new GetObjectCommand({ Bucket, Key: r.key, IfMatch }), options);
    }
    if (r.uploadId !== undefined && r.partNumber !== undefined) {
      const part = new UploadPartCommand({
        Bucket,
        Key: r.key,
        UploadId: r.uploadId,
        PartNumber: r.partNumber,
        ContentLength: r.contentLength,
      });
      return getSignedUrl(this.client, part, options);
    }
    const put = new PutObjectCommand({
      Bucket,
      Key: r.key,
      ContentLength: r.contentLength,
      ContentType: r.contentType,
    });
    return getSignedUrl(this.client, put, options);
  }

  /**
   * The parts R2 holds for a multipart upload (S3 ListParts), for resuming and completing it. The
   * request is a presigned GET sent with fetch, and the small XML answer is read here: the SDK's
   * own response parsing needs DOMParser, which Workers do not have.
   */
  async listParts(key: string, uploadId: string): Promise<ListedPart[]> {
    const parts: ListedPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const command = new ListPartsCommand({
        Bucket: this.options.bucket,
        Key: key,
        UploadId: uploadId,
        ...(marker ? { PartNumberMarker: marker } : {}),
      });
      const url = await getSignedUrl(this.client, command, { expiresIn: 60, signingDate: this.now() });
      const res = await fetch(url);
      if (!res.ok)
        throw new Error(`R2 ListParts answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const page = parseListParts(await res.text());
      parts.push(...page.parts);
      if (!page.nextMarker) return parts;
      marker = page.nextMarker;
    }
  }
}

const XML_ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&apos;": "'",
};
const text = (xml: string, tag: string) =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`)
    .exec(xml)?.[1]
    ?.replace(/&(quot|amp|lt|gt|apos);/g, (e) => XML_ENTITIES[e] ?? e);

/** Reads a ListPartsResult document: its parts, and where the next page starts (if truncated). */
export function parseListParts(xml: string): { parts: ListedPart[]; nextMarker: string | null } {
  const parts: ListedPart[] = [];
  for (const [, body = ""] of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const partNumber = Number(text(body, "PartNumber"));
    const etag = text(body, "ETag")?.replaceAll('"', "");
    if (Number.isInteger(partNumber) && etag)
      parts.push({ partNumber, size: Number(text(body, "Size") ?? 0), etag });
  }
  const truncated = text(xml, "IsTruncated") === "true";
  return { parts, nextMarker: truncated ? (text(xml, "NextPartNumberMarker") ?? null) : null };
}
