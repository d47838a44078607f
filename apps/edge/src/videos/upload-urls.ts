/** Signed URLs for a video's source upload (one PUT, or one per multipart part). */
import type { Config } from "../config";
import { createStorageSigner } from "../storage/signer";
import { partLength, type UploadShape } from "./plan";
import type { VideoRow } from "./view";

export interface SignedPartUrl {
  partNumber: number;
  url: string;
  size: number;
}

export const uploadExpiry = (config: Config, now = Date.now()) =>
  new Date(now + config.uploads.urlTtlSeconds * 1000).toISOString();

export function signSinglePut(config: Config, v: VideoRow): Promise<string> {
  return createStorageSigner(config).presign({
    method: "PUT",
    key: v.sourceKey,
    expiresInSeconds: config.uploads.urlTtlSeconds,
    contentLength: v.sourceSize,
    contentType: v.sourceType,
  });
}

/** Headers a single PUT must carry: its content type is part of the signature. */
export const singlePutHeaders = (v: VideoRow) => ({ "content-type": v.sourceType });

export function signParts(config: Config, v: VideoRow, partNumbers: number[]): Promise<SignedPartUrl[]> {
  const signer = createStorageSigner(config);
  const partSize = v.uploadPartSize ?? v.sourceSize;
  const uploadId = v.uploadId ?? "";
  return Promise.all(
    partNumbers.map(async (partNumber) => {
      const size = partLength(partNumber, v.sourceSize, partSize);
      const url = await signer.presign({
        method: "PUT",
        key: v.sourceKey,
        expiresInSeconds: config.uploads.urlTtlSeconds,
        contentLength: size,
        uploadId,
        partNumber,
      });
      return { partNumber, url, size };
    }),
  );
}

/** What a create answers about its upload: one signed PUT, or the multipart plan with a URL per part. */
export async function uploadPlan(config: Config, row: VideoRow, shape: UploadShape) {
  const expiresAt = uploadExpiry(config);
  if (shape.kind === "single") {
    return {
      kind: "single" as const,
      url: await signSinglePut(config, row),
      method: "PUT" as const,
      headers: singlePutHeaders(row),
      expiresAt,
    };
  }
  const numbers = Array.from({ length: shape.partCount }, (_, i) => i + 1);
  return {
    kind: "multipart" as const,
    uploadId: row.uploadId ?? "",
    partSize: shape.partSize,
    partCount: shape.partCount,
    parts: await signParts(config, row, numbers),
    expiresAt,
  };
}
