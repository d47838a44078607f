/**
 * The context of one ad request (AdContext): what the decision may target. Everything here is
 * contextual or declared (targeting.ts): the content, the request's country as Cloudflare resolved
 * it (`request.cf.country`: a header could be forged by the client, so none is read), the language
 * the profile chose (or, signed out, the browser's first Accept-Language tag), and the device class
 * read from the User-Agent. Nothing about what the viewer watched before.
 */
import { eq } from "drizzle-orm";
import { type DeviceClass, profiles, type videos } from "../db/schema";
import { sha256Hex } from "../lib/ids";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { AdContext } from "./types";

/** The content video's fields the context needs (a full videos row has them). */
export type AdContentVideo = Pick<typeof videos.$inferSelect, "id" | "channelId" | "categoryId" | "maturity">;

const DEVICES: [RegExp, DeviceClass][] = [
  [
    /SMART-TV|SmartTV|Tizen|Web0S|webOS|BRAVIA|HbbTV|\bAFT[A-Z]|CrKey|Roku|AppleTV|GoogleTV|Android TV|\bTV\b/i,
    "tv",
  ],
  // An Android without "Mobile" is a tablet; tested apart (see deviceClass), not as a lookahead
  // that rescans the rest of the string at every "Android".
  [/iPad|Tablet|PlayBook|Silk\/|Kindle/i, "tablet"],
  [/Mobi|iPhone|iPod|Windows Phone|BlackBerry|Opera Mini/i, "mobile"],
];

/** The device class of a User-Agent; desktop when nothing says otherwise (or no header). */
export function deviceClass(userAgent: string | null): DeviceClass {
  // Real User-Agents are a few hundred characters; a longer one is cut, so a crafted header
  // costs nothing more to classify.
  const ua = (userAgent ?? "").slice(0, MAX_USER_AGENT);
  const match = DEVICES.find(([pattern]) => pattern.test(ua))?.[1];
  if (match === "tv") return match;
  if (match === "tablet" || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return "tablet";
  return match ?? "desktop";
}

const MAX_USER_AGENT = 512;

/** Accept-Language's first tag's primary subtag, lower case ("de-CH,de;q=0.9" → "de"); null if none. */
export function acceptLanguage(header: string | null): string | null {
  const first = header?.split(",")[0]?.split(";")[0]?.trim().split("-")[0]?.toLowerCase() ?? "";
  return /^[a-z]{2,3}$/.test(first) ? first : null;
}

/** request.cf.country, upper case, when Cloudflare resolved one (never locally). */
export function requestCountry(request: Request): string | null {
  const country = (request.cf as { country?: unknown } | undefined)?.country;
  return typeof country === "string" && /^[A-Za-z0-9]{2}$/.test(country) ? country.toUpperCase() : null;
}

/**
 * The client's address as limits count it: an IPv4 address as is, an IPv6 address cut to its /64
 * (one subscriber's prefix: a client picks any address inside it at will). Null when Cloudflare
 * named none (never in production, where cf-connecting-ip is always set and cannot be forged).
 */
export function clientNetwork(request: Request): string | null {
  const ip = request.headers.get("cf-connecting-ip")?.trim().toLowerCase();
  if (!ip) return null;
  if (!ip.includes(":")) return ip;
  // An IPv4 address written as IPv6 (::ffff:203.0.113.9) is that IPv4 client, not a /64 of them all.
  if (ip.includes(".")) return ip.slice(ip.lastIndexOf(":") + 1);
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // Expands "::" to the missing groups, so two spellings of one prefix are one key.
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** The hashed client key (the raw address is never stored in an object's name). */
export async function clientKeyFor(request: Request): Promise<string> {
  return (await sha256Hex(clientNetwork(request) ?? "unknown")).slice(0, 32);
}

/**
 * Whose frequency cap a request counts against: the signed-in profile, else the client's address
 * (its /64 for IPv6), hashed. Not the User-Agent: a client could mint a fresh cap (and fresh
 * reservations) per request by changing it.
 */
export async function viewerKeyFor(actor: Actor | null, request: Request): Promise<string> {
  if (actor?.profileId) return `profile:${actor.profileId}`;
  return `anon:${await clientKeyFor(request)}`;
}

/** The ad context of a request for `video` (null: a VAST request without content). */
export async function adContextFor(
  s: Pick<Services, "db">,
  actor: Actor | null,
  video: AdContentVideo | null,
  request: Request,
): Promise<AdContext & { clientKey: string }> {
  const [language, viewerKey, clientKey] = await Promise.all([
    actor?.profileId
      ? // Read with the session when the actor came from a request (no second D1 read per decision).
        actor.profileLanguage !== undefined
        ? primaryTag(actor.profileLanguage)
        : profileLanguage(s, actor.profileId)
      : acceptLanguage(request.headers.get("accept-language")),
    viewerKeyFor(actor, request),
    clientKeyFor(request),
  ]);
  return {
    videoId: video?.id ?? null,
    channelId: video?.channelId ?? null,
    categoryId: video?.categoryId ?? null,
    maturity: video?.maturity ?? null,
    country: requestCountry(request),
    language,
    device: deviceClass(request.headers.get("user-agent")),
    viewerKey,
    kids: actor?.profileMaturity === "kids",
    // The address decisions are rate-limited by (decision.ts), whoever is signed in.
    clientKey,
  };
}

async function profileLanguage(s: Pick<Services, "db">, profileId: string): Promise<string | null> {
  const [row] = await s.db
    .select({ language: profiles.language })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .limit(1);
  return row ? primaryTag(row.language) : null;
}

const primaryTag = (language: string | null) => language?.split("-")[0]?.toLowerCase() || null;
