/**
 * Playback tokens: short-lived, scoped to one video, carrying the height cap of the viewer's plan.
 * They travel in the media path (`/media/{videoId}/{token}/hls/master.m3u8`), so playlists keep
 * their relative URIs untouched and every segment request carries the token without rewriting.
 * Checking one is an HMAC; the media route then compares its `generation` with the video's current
 * one (playback/revocation.ts), so a link stops working once the video's audience narrows.
 */
import { base64url } from "../lib/ids";

export interface PlaybackGrant {
  videoId: string;
  /** Unix seconds. */
  expires: number;
  /** Tallest rendition this viewer may get. */
  maxHeight: number;
  /**
   * The video's media generation when the grant was made (0 before any revocation). Signed, so a
   * holder cannot move it forward past a revocation.
   */
  generation: number;
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
    encoder.encode(`${grant.videoId}.${grant.expires}.${grant.maxHeight}.${grant.generation}`),
  );
  return base64url(new Uint8Array(mac).slice(0, 16));
}

export async function issuePlaybackToken(secret: string, grant: PlaybackGrant): Promise<string> {
  const fields = [grant.expires, grant.maxHeight, grant.generation].map((n) => n.toString(36));
  return `${fields.join(".")}.${await signature(secret, grant)}`;
}

const TOKEN = /^([0-9a-z]{1,10})\.([0-9a-z]{1,4})\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/;

export async function verifyPlaybackToken(
  secret: string,
  videoId: string,
  token: string,
  nowSeconds: number,
): Promise<PlaybackGrant | null> {
  const m = TOKEN.exec(token);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  const grant = {
    videoId,
    expires: Number.parseInt(m[1], 36),
    maxHeight: Number.parseInt(m[2], 36),
    generation: Number.parseInt(m[3], 36),
  };
  // One spelling per grant (no leading zeros), so a link cannot be varied without re-signing.
  if ([grant.expires, grant.maxHeight, grant.generation].some((n, i) => n.toString(36) !== m[i + 1])) {
    return null;
  }
  const expected = await signature(secret, grant);
  const given = m[4];
  let diff = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  if (diff !== 0 || grant.expires < nowSeconds) return null;
  return grant;
}
