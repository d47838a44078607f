/**
 * Playback tokens: short-lived, scoped to one video, carrying the height cap of the viewer's plan.
 * They travel in the media path (`/media/{videoId}/{token}/hls/master.m3u8`), so playlists keep
 * their relative URIs untouched and every segment request carries the token without rewriting.
 * Checking one is an HMAC; the media route then compares its `generation` with the video's current
 * one (playback/revocation.ts), so a link stops working once the video's audience narrows.
 *
 * Three shapes, told apart by their number of fields (ids never contain a dot), each signed with a
 * kind tag so one can never pass for another:
 * - plain        `{exp}.{maxHeight}.{gen}.{sig}`
 * - with an ad   `{exp}.{maxHeight}.{gen}.{sessionId}.{campaignId}.{creativeVideoId}.{creativeGen}.{sig}`
 *   (content whose media playlists are served with the ad stitched in front; docs/ads.md)
 * - ad session   `{exp}.{maxHeight}.{gen}.{sessionId}.{campaignId}.{sig}` (on the creative video:
 *   serving its video segments reports the session's tracking)
 * Numbers are base 36; the signature is 16 bytes of HMAC-SHA-256, base64url (22 characters).
 */
import { base64url } from "../lib/ids";

/** The ad stitched into a content playback (ads/stitch.ts). */
export interface AdGrant {
  sessionId: string;
  campaignId: string;
  creativeVideoId: string;
  /**
   * The creative's media generation when the grant was made, so the stitched playlist can sign the
   * creative's own segment links without a second KV read per playlist (the bench budget).
   */
  creativeGeneration: number;
}

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
  /** Content with a pre-roll: its media playlists are served stitched. */
  ad?: AdGrant;
  /** A grant on an ad creative for one ad session: its video segments fire the session's tracking. */
  adSession?: { sessionId: string; campaignId: string };
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

/** What is signed. The plain form is unchanged from before ads, so links already out keep working. */
function message(grant: PlaybackGrant): string {
  const base = `${grant.videoId}.${grant.expires}.${grant.maxHeight}.${grant.generation}`;
  if (grant.ad) {
    const a = grant.ad;
    return `${base}|ad.${a.sessionId}.${a.campaignId}.${a.creativeVideoId}.${a.creativeGeneration}`;
  }
  if (grant.adSession) return `${base}|adsession.${grant.adSession.sessionId}.${grant.adSession.campaignId}`;
  return base;
}

async function signature(secret: string, grant: PlaybackGrant): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(message(grant)));
  return base64url(new Uint8Array(mac).slice(0, 16));
}

const b36 = (n: number) => n.toString(36);

export async function issuePlaybackToken(secret: string, grant: PlaybackGrant): Promise<string> {
  if (grant.ad && grant.adSession)
    throw new Error("A grant is content with an ad or an ad session, not both");
  const fields = [grant.expires, grant.maxHeight, grant.generation].map(b36);
  for (const id of ids(grant)) {
    if (!ID.test(id)) throw new Error(`Not a token-safe id: ${id}`);
  }
  if (grant.ad) fields.push(grant.ad.sessionId, grant.ad.campaignId, grant.ad.creativeVideoId);
  if (grant.ad) fields.push(b36(grant.ad.creativeGeneration));
  if (grant.adSession) fields.push(grant.adSession.sessionId, grant.adSession.campaignId);
  return `${fields.join(".")}.${await signature(secret, grant)}`;
}

function ids(grant: PlaybackGrant): string[] {
  if (grant.ad) return [grant.ad.sessionId, grant.ad.campaignId, grant.ad.creativeVideoId];
  if (grant.adSession) return [grant.adSession.sessionId, grant.adSession.campaignId];
  return [];
}

/** Ids as newId makes them (`prefix_base32`); no dot, so the fields split unambiguously. */
const ID = /^[a-z]+_[a-z0-9]{1,40}$/;
const NUMBER = /^[0-9a-z]{1,11}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{22}$/;

/** A base-36 field in its one spelling (no leading zeros), or null. */
function number(field: string | undefined, maxLength: number): number | null {
  if (field === undefined || field.length > maxLength || !NUMBER.test(field)) return null;
  const n = Number.parseInt(field, 36);
  return Number.isSafeInteger(n) && b36(n) === field ? n : null;
}

function parse(videoId: string, token: string): { grant: PlaybackGrant; sig: string } | null {
  if (token.length > 300) return null;
  const parts = token.split(".");
  if (parts.length !== 4 && parts.length !== 6 && parts.length !== 8) return null;
  const sig = parts[parts.length - 1] ?? "";
  const expires = number(parts[0], 10);
  const maxHeight = number(parts[1], 4);
  const generation = number(parts[2], 11);
  if (!SIGNATURE.test(sig) || expires === null || maxHeight === null || generation === null) return null;
  const grant: PlaybackGrant = { videoId, expires, maxHeight, generation };
  const named = parts.slice(3, parts.length === 8 ? 6 : -1);
  // One spelling per grant: ids exactly as issued (no case or padding variants).
  if (!named.every((id) => ID.test(id))) return null;
  const [sessionId = "", campaignId = "", creativeVideoId = ""] = named;
  if (parts.length === 8) {
    const creativeGeneration = number(parts[6], 11);
    if (creativeGeneration === null) return null;
    grant.ad = { sessionId, campaignId, creativeVideoId, creativeGeneration };
  } else if (parts.length === 6) {
    grant.adSession = { sessionId, campaignId };
  }
  return { grant, sig };
}

/** Constant-time comparison of two signatures (the length is public). */
export function sameSignature(expected: string, given: string): boolean {
  let diff = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return diff === 0;
}

export async function verifyPlaybackToken(
  secret: string,
  videoId: string,
  token: string,
  nowSeconds: number,
): Promise<PlaybackGrant | null> {
  const parsed = parse(videoId, token);
  if (!parsed) return null;
  const expected = await signature(secret, parsed.grant);
  if (!sameSignature(expected, parsed.sig) || parsed.grant.expires < nowSeconds) return null;
  return parsed.grant;
}
