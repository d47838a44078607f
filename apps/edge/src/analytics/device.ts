/**
 * The device class of a beacon batch's request, from its User-Agent (DEVICE_CLASSES), for the
 * analytics `device` dimension. A User-Agent is the client's word: good enough to split an audience,
 * never used for a decision. Stricter than the ads' `deviceClass` (ads/context.ts), which serves
 * anything unknown as desktop: here crawlers and tools are `bot` and the unrecognised `other`.
 */
import type { DeviceClass } from "@marquee/shared";

/**
 * First match wins, so the order matters: a crawler may claim any platform ("Googlebot … Android …
 * Mobile"), a TV or console runs Android or Linux, and a tablet's Android lacks "Mobile". Every
 * pattern is a plain alternation (no nested quantifiers): linear on any header.
 */
const CLASSES: [RegExp, DeviceClass][] = [
  [
    /\bbot\b|bot[/;-]|crawl|spider|slurp|headless|lighthouse|facebookexternalhit|embedly|preview|curl\/|wget\/|python|httpclient|okhttp|go-http-client|java\/|axios\/|node-fetch|undici|postman/i,
    "bot",
  ],
  [
    /SMART-TV|SmartTV|Tizen|Web0S|webOS|BRAVIA|HbbTV|NetCast|\bAFT[A-Z]|CrKey|Roku|AppleTV|tvOS|GoogleTV|Android TV|AndroidTV|\bTV\b|PlayStation|Xbox|Nintendo/i,
    "tv",
  ],
  [/iPad|Tablet|PlayBook|Silk\/|Kindle/i, "tablet"],
  [/Mobi|iPhone|iPod|Windows Phone|BlackBerry|BB10|Opera Mini|KaiOS/i, "mobile"],
];

/** Real User-Agents are a few hundred characters; a longer one is cut, so a crafted header costs nothing more. */
const MAX_USER_AGENT = 512;

/** The device class of a User-Agent: `other` when there is none or it names no known platform. */
export function deviceOf(userAgent: string | null | undefined): DeviceClass {
  const ua = (userAgent ?? "").slice(0, MAX_USER_AGENT);
  if (!ua.trim()) return "other";
  const match = CLASSES.find(([pattern]) => pattern.test(ua))?.[1];
  if (match) return match;
  // An Android without "Mobile" (the mobile case above) is a tablet: Chrome's convention.
  if (/Android/i.test(ua)) return "tablet";
  if (/Windows NT|Macintosh|Mac OS X|X11|Linux|CrOS/i.test(ua)) return "desktop";
  return "other";
}
