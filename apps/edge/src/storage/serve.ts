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

const hasBody = (o: R2Object | R2ObjectBody): o is R2ObjectBody => "body" in o;

export async function serveObject(bucket: R2Bucket, key: string, request: Request): Promise<Response> {
  const head = await bucket.head(key);
  if (!head) throw new AppError("not_found", "No such object");
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
