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

/** 416 as a problem document (the error-code table has no entry for it). */
function rangeNotSatisfiable(size: number): Response {
  const problem = {
    type: "https://marquee.dev/problems/range-not-satisfiable",
    title: "Range not satisfiable",
    status: 416,
    detail: `The object has ${size} bytes`,
    code: "range_not_satisfiable",
  };
  return new Response(JSON.stringify(problem), {
    status: 416,
    headers: { "content-type": "application/problem+json", "content-range": `bytes */${size}` },
  });
}

const hasBody = (o: R2Object | R2ObjectBody): o is R2ObjectBody => "body" in o;

export async function serveObject(bucket: R2Bucket, key: string, request: Request): Promise<Response> {
  const head = await bucket.head(key);
  if (!head) throw new AppError("not_found", "No such object");
  const headers = objectHeaders(head);
  const range = parseRange(request.headers.get("range"), head.size);
  if (range === "unsatisfiable") return rangeNotSatisfiable(head.size);
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
