/**
 * Playback tokens: short-lived, scoped to one video, carrying the height cap of the viewer's plan.
 * They travel in the media path (`/media/{videoId}/{token}/hls/master.m3u8`), so playlists keep
 * their relative URIs untouched and every segment request carries the token without rewriting.
 * Stateless: checking one is an HMAC, no storage read, which keeps segment serving cheap.
 */
import { base64url } from "../lib/ids";

export interface PlaybackGrant {
  videoId: string;
  /** Unix seconds. */
  expires: number;
  /** Tallest rendition this viewer may get. */
  maxHeight: number;
}

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    // A distinct label keeps playback tokens and storage URL signatures from ever being interchangeable.
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(`playback:${secret}`),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    keyCache.set(secret, key);
  }
  return key;
}

async function signature(secret: string, grant: PlaybackGrant): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await keyFor(secret),
    encoder.encode(`${grant.videoId}.${grant.expires}.${grant.maxHeight}`),
  );
  return base64url(new Uint8Array(mac).slice(0, 16));
}

export async function issuePlaybackToken(secret: string, grant: PlaybackGrant): Promise<string> {
  return `${grant.expires.toString(36)}.${grant.maxHeight.toString(36)}.${await signature(secret, grant)}`;
}

const TOKEN = /^([0-9a-z]{1,10})\.([0-9a-z]{1,4})\.([A-Za-z0-9_-]{22})$/;

export async function verifyPlaybackToken(
  secret: string,
  videoId: string,
  token: string,
  nowSeconds: number,
): Promise<PlaybackGrant | null> {
  const m = TOKEN.exec(token);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const grant = { videoId, expires: Number.parseInt(m[1], 36), maxHeight: Number.parseInt(m[2], 36) };
  const expected = await signature(secret, grant);
  let diff = expected.length ^ m[3].length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (m[3].charCodeAt(i) || 0);
  if (diff !== 0 || grant.expires < nowSeconds) return null;
  return grant;
}
