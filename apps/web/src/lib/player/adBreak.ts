/**
 * The stitched pre-roll's arithmetic. The edge puts the ad's segments at the start of every media
 * playlist (docs/ads.md), so the <video>'s own clock runs over the ad first: media time 0 … end is
 * the ad, media time end … is the content. Everything the viewer or the history API sees about the
 * content (its position, its duration, the scrubber, resume points, beacons) is content time:
 * media time minus the ad. Kept here, pure, so it is tested without a browser.
 */

/** The ad break on the media timeline, in seconds. */
export interface AdBreak {
  id: string;
  /** Where the ad starts on the media timeline (0 for a pre-roll). */
  start: number;
  duration: number;
  /** start + duration: where the content starts. */
  end: number;
  clickUrl: string | null;
  title: string | null;
}

/** The DATERANGE class the edge marks its ad breaks with. */
export const AD_DATERANGE_CLASS = "com.marquee.ad";

/** What we read of an hls.js DateRange (LevelDetails.dateRanges' values). */
export interface DateRangeLike {
  id: string;
  class: string;
  startTime: number;
  duration: number | null;
  attr: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * The ad break among a playlist's date ranges: the first of class com.marquee.ad with a positive
 * duration. Its start is hls.js' position of START-DATE on the media timeline (0 for our pre-roll;
 * NaN when hls.js could not anchor it, then 0 too, since the edge only stitches pre-rolls).
 */
export function adBreakFromDateRanges(
  ranges: Record<string, DateRangeLike | undefined> | null | undefined,
): AdBreak | null {
  const found = Object.values(ranges ?? {})
    .filter((r): r is DateRangeLike => Boolean(r && r.class === AD_DATERANGE_CLASS))
    .filter((r) => r.duration !== null && Number.isFinite(r.duration) && r.duration > 0)
    .sort((a, b) => (a.startTime || 0) - (b.startTime || 0));
  const range = found[0];
  if (!range || range.duration === null) return null;
  const start = Number.isFinite(range.startTime) && range.startTime > 0 ? range.startTime : 0;
  return {
    id: range.id,
    start,
    duration: range.duration,
    end: start + range.duration,
    clickUrl: text(range.attr["X-AD-CLICK"]),
    title: text(range.attr["X-AD-TITLE"]),
  };
}

/** The playback response's `ad` (no date range seen, e.g. the browser's own HLS): a pre-roll. */
export function adBreakFromPlayback(
  ad:
    | { sessionId?: string; durationMs: number; clickUrl?: string | null; title?: string | null }
    | null
    | undefined,
): AdBreak | null {
  if (!ad || !Number.isFinite(ad.durationMs) || ad.durationMs <= 0) return null;
  const duration = ad.durationMs / 1000;
  return {
    id: ad.sessionId ? `ad-${ad.sessionId}` : "ad",
    start: 0,
    duration,
    end: duration,
    clickUrl: text(ad.clickUrl),
    title: text(ad.title),
  };
}

/** Whether the media time is inside the ad break. */
export function inAd(mediaTime: number, ad: AdBreak | null): boolean {
  return ad !== null && mediaTime >= ad.start && mediaTime < ad.end;
}

/** The content's position for a media time: 0 during the ad, then media time − the ad. */
export function contentTime(mediaTime: number, ad: AdBreak | null): number {
  if (!Number.isFinite(mediaTime)) return 0;
  if (!ad) return Math.max(0, mediaTime);
  return Math.max(0, mediaTime - ad.end);
}

/** The media time of a content position (a seek on the content scrubber, a resume point). */
export function mediaTime(content: number, ad: AdBreak | null): number {
  const c = Number.isFinite(content) ? Math.max(0, content) : 0;
  return ad ? ad.end + c : c;
}

/** The content's duration for the media element's duration (which counts the ad too). */
export function contentDuration(mediaDuration: number, ad: AdBreak | null): number {
  if (!Number.isFinite(mediaDuration) || mediaDuration <= 0) return 0;
  return ad ? Math.max(0, mediaDuration - ad.end) : mediaDuration;
}

/** Whole seconds of ad left (rounded up: "0:01" until it is over, never "0:00" while it plays). */
export function adRemaining(mediaTime: number, ad: AdBreak): number {
  return Math.max(0, Math.ceil(ad.end - Math.max(mediaTime, ad.start) - 1e-6));
}

/** 75 → "1:15": the countdown beside "Ad ·" (the same digits in every language). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** How far the viewer may seek: the ad is watched through before the content can be reached. */
export interface AdSeekState {
  /** The ad has played to its end once (then the content is free to seek, the ad is not again). */
  done: boolean;
  /** The furthest media time reached by playing (not by seeking) during the ad. */
  furthest: number;
}

/** Seeks a little ahead of the furthest point are play-head jitter, not skipping. */
const SLACK = 0.5;

/**
 * Where a seek to `requested` (media time) should land, or null to let it be:
 * - the ad not yet watched through: nothing past the furthest point played (back within it is fine);
 * - the ad watched: nothing back into it (a loop, a seek to 0, lands on the content's first frame).
 */
export function seekTarget(requested: number, ad: AdBreak | null, state: AdSeekState): number | null {
  if (!ad || !Number.isFinite(requested)) return null;
  if (!state.done) return requested > Math.max(state.furthest, ad.start) + SLACK ? state.furthest : null;
  return requested < ad.end ? ad.end : null;
}

/**
 * Where a resumed video goes once its ad is over: the ad always plays first (it was stitched in
 * for this playback and is billed when served), then the player jumps to the content position the
 * profile stopped at. Null when there is nothing to jump to.
 */
export function resumeTarget(resumeMs: number, ad: AdBreak | null): number | null {
  if (!Number.isFinite(resumeMs) || resumeMs <= 0) return null;
  return mediaTime(resumeMs / 1000, ad);
}
