/**
 * Absolute URLs the API hands out are built on the configured PUBLIC_URL, never on the request's
 * Host (or X-Forwarded-Host): whoever sends the request must not decide where links point.
 */
import type { Config } from "../config";

/** PUBLIC_URL without a trailing slash, ready for `${base}/path`. */
export function publicBaseUrl(config: Pick<Config, "publicUrl">): string {
  return config.publicUrl.replace(/\/+$/, "");
}

/** `/media/{videoId}/{token}/{path}` on PUBLIC_URL. */
export function mediaUrl(config: Pick<Config, "publicUrl">, videoId: string, token: string, path: string) {
  return `${publicBaseUrl(config)}/media/${videoId}/${token}/${path}`;
}
