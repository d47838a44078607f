/** GET/HEAD through a signed local URL: the object from R2, with single-range support. */
import { AppError } from "../lib/errors";
import { parseRange } from "./range";

function objectHeaders(object: R2Object): Headers {
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/octet-stream");
  headers.set("etag", object.httpEtag);
  headers.set("last-modified", object.uploaded.toUTCString());
  headers.set("accept-ranges", "bytes");
  // Signed URLs are short-lived and personal: shared caches must not keep what they fetched.
  headers.set("cache-control", "private, no-store");
  return headers;
}

function rangeNotSatisfiable(size: number): never {
  throw new AppError("range_not_satisfiable", `The object has ${size} bytes`, {
    headers: { "content-range": `bytes */${size}` },
  });
}

/**
 * 412 as a problem document. Built here because the API's closed error codes have no 412 (this
 * route is storage, outside the JSON API; R2's presigned URLs answer 412 the same way).
 */
function preconditionFailed(head: R2Object): Response {
  const problem = {
    type: "about:blank",
    title: "Precondition failed",
    status: 412,
    detail: "The object is not the version this URL or request names (it was overwritten)",
  };
  return new Response(JSON.stringify(problem), {
    status: 412,
    headers: {
      "content-type": "application/problem+json",
      etag: head.httpEtag,
      "cache-control": "private, no-store",
    },
  });
}

/** `If-Match: "a", W/"b"` → ["a", "b"]; `*` stays `*`. */
function parseIfMatch(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((v) =>
      v
        .trim()
        .replace(/^W\//, "")
        .replace(/^"(.*)"$/, "$1"),
    )
    .filter(Boolean);
}

const hasBody = (o: R2Object | R2ObjectBody): o is R2ObjectBody => "body" in o;

/**
 * `ifMatch` (unquoted ETag) is the version the signed URL is good for; the request's own `If-Match`
 * is honoured too (R2's presigned GETs behave the same way). Any other version answers 412.
 */
export async function serveObject(
  bucket: R2Bucket,
  key: string,
  request: Request,
  ifMatch: string | null = null,
): Promise<Response> {
  const head = await bucket.head(key);
  if (!head) throw new AppError("not_found", "No such object");
  if (ifMatch !== null && ifMatch !== head.etag) return preconditionFailed(head);
  const listed = parseIfMatch(request.headers.get("if-match"));
  if (listed.length > 0 && !listed.some((etag) => etag === "*" || etag === head.etag)) {
    return preconditionFailed(head);
  }
  const headers = objectHeaders(head);
  const range = parseRange(request.headers.get("range"), head.size);
  if (range === "unsatisfiable") rangeNotSatisfiable(head.size);
  if (request.method === "HEAD") {
    headers.set("content-length", String(head.size));
    return new Response(null, { status: 200, headers });
  }
  // Only the version we just described: a concurrent overwrite answers 412 rather than mixed bytes.
  const onlyIf = { etagMatches: head.etag };
  const object = range ? await bucket.get(key, { range, onlyIf }) : await bucket.get(key, { onlyIf });
  if (!object) throw new AppError("not_found", "No such object");
  if (!hasBody(object))
    throw new AppError("conflict", "The object changed while it was being read; try again");
  if (!range) {
    headers.set("content-length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  }
  const last = range.offset + range.length - 1;
  headers.set("content-range", `bytes ${range.offset}-${last}/${head.size}`);
  headers.set("content-length", String(range.length));
  return new Response(object.body, { status: 206, headers });
}
