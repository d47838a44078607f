/**
 * PUT through a signed local URL: the body streams into R2 with its length fixed in advance, so
 * nothing is buffered and a body that is not exactly the signed length is never stored.
 */
import type { Db } from "../db/client";
import { storeUnavailable } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { assertAcceptsSource, recordStoredPart } from "../videos/parts";
import { videoIdOfSourceKey } from "../videos/view";
import type { SignedParams } from "./signer";

const DECIMAL = /^\d{1,16}$/;

/** R2's limit for one PUT (multipart parts too). */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

/**
 * Checks the request's declared length and type against what the URL was signed for. Source
 * uploads are always signed with their exact length; a transcoder output may be signed without
 * one (its size is optional in OutputsRequest), and then the declared Content-Length is used.
 */
export function checkUploadHeaders(params: SignedParams, headers: Headers, isSource: boolean): number {
  const signed = params.length;
  if (signed === null && isSource) throw new AppError("forbidden", "This URL was not signed for uploads");
  const declared = headers.get("content-length");
  if (declared === null || !DECIMAL.test(declared)) {
    const exactly = signed === null ? "" : `: this URL takes exactly ${signed} bytes`;
    throw new AppError("bad_request", `Send a Content-Length header${exactly}`);
  }
  const length = Number(declared);
  if (signed === null) {
    if (length > MAX_PUT_BYTES)
      throw new AppError("payload_too_large", `At most ${MAX_PUT_BYTES} bytes per PUT`);
  } else if (length > signed) {
    throw new AppError(
      "payload_too_large",
      `This URL takes exactly ${signed} bytes; the request declares ${length}`,
    );
  } else if (length < signed) {
    throw new AppError(
      "bad_request",
      `This URL takes exactly ${signed} bytes; the request declares ${length}`,
    );
  }
  const type = headers.get("content-type");
  if (params.contentType !== null && type !== null && type.toLowerCase() !== params.contentType) {
    throw new AppError("bad_request", `This URL was signed for Content-Type ${params.contentType}`);
  }
  return length;
}

/**
 * Pipes `body` through a FixedLengthStream into `store`. A body shorter than `length` errors the
 * stream, so storage aborts the write; the runtime never lets more than Content-Length through.
 */
async function storeExactly<T>(
  body: ReadableStream<Uint8Array>,
  length: number,
  store: (stream: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<T> {
  const fixed = new FixedLengthStream(length);
  const [piped, stored] = await Promise.allSettled([body.pipeTo(fixed.writable), store(fixed.readable)]);
  if (piped.status === "rejected") {
    throw new AppError("bad_request", `The body ended before the declared ${length} bytes`, {
      cause: piped.reason,
    });
  }
  if (stored.status === "rejected") throw stored.reason;
  return stored.value;
}

export async function receiveObject(
  bucket: R2Bucket,
  db: Db,
  key: string,
  params: SignedParams,
  request: Request,
): Promise<{ etag: string }> {
  const videoId = videoIdOfSourceKey(key);
  const length = checkUploadHeaders(params, request.headers, videoId !== null);
  const body = request.body;
  if (!body && length > 0) throw new AppError("bad_request", "The request has no body");
  if (videoId) await assertAcceptsSource(db, videoId, params.uploadId);

  if (params.uploadId !== null || params.partNumber !== null) {
    const { uploadId, partNumber } = params;
    if (uploadId === null || partNumber === null || partNumber < 1 || !videoId || !body) {
      throw new AppError("forbidden", "This URL does not name a valid part of a source upload");
    }
    const upload = bucket.resumeMultipartUpload(key, uploadId);
    const part = await storeExactly(body, length, async (stream) => {
      try {
        return await upload.uploadPart(partNumber, stream);
      } catch (cause) {
        // R2 failing for its own reasons is the 503 `unavailable` (middleware/errors.ts), not "gone".
        if (storeUnavailable(cause)) throw cause;
        throw new AppError("conflict", "The multipart upload no longer exists (completed or aborted)", {
          cause,
        });
      }
    });
    await recordStoredPart(db, videoId, { partNumber, size: length, etag: part.etag });
    return { etag: part.etag };
  }

  const httpMetadata = { contentType: params.contentType ?? "application/octet-stream" };
  const object = body
    ? await storeExactly(body, length, (stream) => bucket.put(key, stream, { httpMetadata }))
    : await bucket.put(key, new Uint8Array(0), { httpMetadata });
  return { etag: object.httpEtag };
}
