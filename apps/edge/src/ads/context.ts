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
  [/iPad|Tablet|PlayBook|Silk\/|Kindle|Android(?!.*Mobile)/i, "tablet"],
  [/Mobi|iPhone|iPod|Windows Phone|BlackBerry|Opera Mini/i, "mobile"],
];

/** The device class of a User-Agent; desktop when nothing says otherwise (or no header). */
export function deviceClass(userAgent: string | null): DeviceClass {
  const ua = userAgent ?? "";
  return DEVICES.find(([pattern]) => pattern.test(ua))?.[1] ?? "desktop";
}

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
 * Whose frequency cap a request counts against: the signed-in profile, else a hash of the client's
 * address and User-Agent (the raw address is never stored in an object's name).
 */
export async function viewerKeyFor(actor: Actor | null, request: Request): Promise<string> {
  if (actor?.profileId) return `profile:${actor.profileId}`;
  const ip = request.headers.get("cf-connecting-ip") ?? "unknown";
  const ua = request.headers.get("user-agent") ?? "";
  return `anon:${(await sha256Hex(`${ip}\n${ua}`)).slice(0, 32)}`;
}

/** The ad context of a request for `video` (null: a VAST request without content). */
export async function adContextFor(
  s: Pick<Services, "db">,
  actor: Actor | null,
  video: AdContentVideo | null,
  request: Request,
): Promise<AdContext> {
  const [language, viewerKey] = await Promise.all([
    actor?.profileId
      ? profileLanguage(s, actor.profileId)
      : acceptLanguage(request.headers.get("accept-language")),
    viewerKeyFor(actor, request),
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
  };
}

async function profileLanguage(s: Pick<Services, "db">, profileId: string): Promise<string | null> {
  const [row] = await s.db
    .select({ language: profiles.language })
    .from(profiles)
    .where(eq(profiles.id, profileId))
    .limit(1);
  return row ? (row.language.split("-")[0]?.toLowerCase() ?? null) : null;
}
