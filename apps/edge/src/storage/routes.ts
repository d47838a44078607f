/**
 * The local signed-URL storage route, `/storage/{key}` (see signer.ts). Keys contain slashes, so
 * it is a wildcard route; it is not a JSON API and stays out of openapi.json. Only in local
 * storage mode: with R2, URLs point at R2 itself and this route answers 404.
 */
import type { Context } from "hono";
import { AppError } from "../lib/errors";
import { createRouter } from "../lib/openapi";
import type { AppEnv } from "../types";
import { receiveObject } from "./receive";
import { serveObject } from "./serve";
import { createStorageSigner, LocalStorageSigner, type SignedParams } from "./signer";

const PREFIX = "/storage/";

function keyOf(url: URL): string {
  try {
    const segments = url.pathname.slice(PREFIX.length).split("/").map(decodeURIComponent);
    if (segments.every((s) => s !== "" && s !== "." && s !== "..")) return segments.join("/");
  } catch {
    // A malformed escape names no object.
  }
  throw new AppError("not_found", "No such object");
}

async function verified(c: Context<AppEnv>, method: "GET" | "HEAD" | "PUT") {
  const signer = createStorageSigner(c.var.config);
  if (!(signer instanceof LocalStorageSigner)) throw new AppError("not_found", "Storage is served by R2");
  const url = new URL(c.req.url);
  const key = keyOf(url);
  const params: SignedParams | null = await signer.verify(method, key, url.searchParams);
  if (!params) {
    throw new AppError(
      "forbidden",
      "The signed URL is invalid or expired, or was made for another object, method or length",
    );
  }
  return { key, params };
}

export const storageRoutes = createRouter()
  .on(["GET", "HEAD"], `${PREFIX}*`, async (c) => {
    const { key, params } = await verified(c, c.req.method === "HEAD" ? "HEAD" : "GET");
    return serveObject(c.env.MEDIA, key, c.req.raw, params.ifMatch);
  })
  .put(`${PREFIX}*`, async (c) => {
    const { key, params } = await verified(c, "PUT");
    const { etag } = await receiveObject(c.env.MEDIA, c.var.db, key, params, c.req.raw);
    return c.body(null, 200, { etag });
  });
