/**
 * Ad tracking (docs/ads.md). Two ways in, one counter:
 * - server-side: serving the ad's video segments with an ad-session grant (playback/media.ts) reports
 *   the events those segments stand for (`segmentEvents`);
 * - VAST beacons: `GET /api/v1/ads/track/{token}` and the click redirect `GET /api/v1/ads/click/{token}`,
 *   whose tokens are signed here per session and event.
 * Both end in the campaign object's `track(sessionId, events)`, which counts each event once per
 * session and bills the impression once; a replayed beacon or a re-fetched segment counts nothing.
 *
 * Beacon tokens (one path segment): `{sessionId}.{campaignId}.{event}.{expires36}.{sig}`; click tokens
 * `{sessionId}.{campaignId}.{expires36}.{sig}`. The signature is 16 bytes of HMAC-SHA-256 (base64url)
 * with a key derived from MEDIA_SIGNING_KEY under its own label, so neither is ever a playback token
 * or the other kind.
 */
import type { Config } from "../config";
import { AD_EVENT_TYPES } from "../db/schema";
import { base64url } from "../lib/ids";
import { sameSignature } from "../playback/token";
import { publicBaseUrl } from "../playback/urls";
import type { TrackEvent } from "./types";

/** Beacon and click links stay valid this long after the ad was decided. */
export const BEACON_TTL_SECONDS = 24 * 3600;

export const TRACK_EVENTS: readonly TrackEvent[] = ["impression", ...AD_EVENT_TYPES];

const QUARTILES = [
  [1, 4, "firstQuartile"],
  [1, 2, "midpoint"],
  [3, 4, "thirdQuartile"],
] as const;

/**
 * The events serving segment `index` (0-based) of an ad rendition reports, from its segments'
 * durations (ms): the first → impression and start; the one containing 25/50/75 % of the total
 * (start inclusive, end exclusive) → the quartile; the last → complete. A one-segment ad reports
 * them all at once.
 */
export function segmentEvents(durationsMs: readonly number[], index: number): TrackEvent[] {
  if (!Number.isInteger(index) || index < 0 || index >= durationsMs.length) return [];
  const total = durationsMs.reduce((a, b) => a + b, 0);
  const start = durationsMs.slice(0, index).reduce((a, b) => a + b, 0);
  const end = start + (durationsMs[index] ?? 0);
  const last = index === durationsMs.length - 1;
  const events: TrackEvent[] = index === 0 ? ["impression", "start"] : [];
  for (const [num, den, event] of QUARTILES) {
    // start·den ≤ total·num < end·den: integer arithmetic, so a quartile on a boundary belongs to
    // exactly one segment (the one it opens).
    const at = total * num;
    if (start * den <= at && (at < end * den || last)) events.push(event);
  }
  if (last) events.push("complete");
  return events;
}

/** Reports events of a session to its campaign's object (which dedupes them). */
export function trackSession(env: Env, campaignId: string, sessionId: string, events: TrackEvent[]) {
  const stub = env.AD_CAMPAIGNS.get(env.AD_CAMPAIGNS.idFromName(campaignId));
  return stub.track(sessionId, events);
}

// ---- signed beacon and click tokens ----

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

type Label = "ads-beacon" | "ads-click";

function keyFor(label: Label, secret: string): Promise<CryptoKey> {
  const name = `${label}:${secret}`;
  let key = keys.get(name);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(name), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    keys.set(name, key);
  }
  return key;
}

async function sign(label: Label, secret: string, fields: string[]): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyFor(label, secret), encoder.encode(fields.join(".")));
  return base64url(new Uint8Array(mac).slice(0, 16));
}

const ID = /^[a-z]+_[a-z0-9]{1,40}$/;
const SIG = /^[A-Za-z0-9_-]{22}$/;
const EXPIRES = /^[1-9a-z][0-9a-z]{0,9}$/;

export interface Beacon {
  sessionId: string;
  campaignId: string;
  event: TrackEvent;
  /** Unix seconds. */
  expires: number;
}

export interface ClickGrant {
  sessionId: string;
  campaignId: string;
  expires: number;
}

export async function issueBeaconToken(secret: string, b: Beacon): Promise<string> {
  const fields = [b.sessionId, b.campaignId, b.event, b.expires.toString(36)];
  return `${fields.join(".")}.${await sign("ads-beacon", secret, fields)}`;
}

export async function issueClickToken(secret: string, g: ClickGrant): Promise<string> {
  const fields = [g.sessionId, g.campaignId, g.expires.toString(36)];
  return `${fields.join(".")}.${await sign("ads-click", secret, fields)}`;
}

/** A checked, unexpired beacon, or null (forged, altered, another spelling, expired). */
export async function verifyBeaconToken(secret: string, token: string, nowSeconds: number) {
  const parts = token.length <= 200 ? token.split(".") : [];
  if (parts.length !== 5) return null;
  const [sessionId = "", campaignId = "", event = "", exp = "", sig = ""] = parts;
  if (!ID.test(sessionId) || !ID.test(campaignId) || !EXPIRES.test(exp) || !SIG.test(sig)) return null;
  if (!(TRACK_EVENTS as readonly string[]).includes(event)) return null;
  const expected = await sign("ads-beacon", secret, parts.slice(0, 4));
  const expires = Number.parseInt(exp, 36);
  if (!sameSignature(expected, sig) || expires < nowSeconds) return null;
  return { sessionId, campaignId, event: event as TrackEvent, expires } satisfies Beacon;
}

export async function verifyClickToken(secret: string, token: string, nowSeconds: number) {
  const parts = token.length <= 200 ? token.split(".") : [];
  if (parts.length !== 4) return null;
  const [sessionId = "", campaignId = "", exp = "", sig = ""] = parts;
  if (!ID.test(sessionId) || !ID.test(campaignId) || !EXPIRES.test(exp) || !SIG.test(sig)) return null;
  const expected = await sign("ads-click", secret, parts.slice(0, 3));
  const expires = Number.parseInt(exp, 36);
  if (!sameSignature(expected, sig) || expires < nowSeconds) return null;
  return { sessionId, campaignId, expires } satisfies ClickGrant;
}

type UrlConfig = Pick<Config, "publicUrl" | "mediaSigningKey">;

/** `{PUBLIC_URL}/api/v1/ads/click/{token}`: records the click, then redirects to the registered URL. */
export async function clickUrl(config: UrlConfig, g: ClickGrant): Promise<string> {
  return `${publicBaseUrl(config)}/api/v1/ads/click/${await issueClickToken(config.mediaSigningKey, g)}`;
}

/** `{PUBLIC_URL}/api/v1/ads/track/{token}`: a VAST beacon (always 204). */
export async function trackUrl(config: UrlConfig, b: Beacon): Promise<string> {
  return `${publicBaseUrl(config)}/api/v1/ads/track/${await issueBeaconToken(config.mediaSigningKey, b)}`;
}

/**
 * When an ad session's beacons and click link expire: a day after the playback grant was issued,
 * derived from the grant so the playback response and every stitched playlist spell the same URL.
 */
export const beaconExpiry = (issuedAtSeconds: number) => issuedAtSeconds + BEACON_TTL_SECONDS;
