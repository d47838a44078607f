/**
 * The analytics pages' pure pieces (docs/analytics.md has every metric's definition): the range
 * and granularity a page asks for, the API calls, labels for buckets and breakdown values, and the
 * CSV of every chart's data (RFC 4180, formula-injection guarded). Unit-tested in analytics.test.ts.
 *
 * The wire types are the generated schema's (api/schema.d.ts, from apps/edge/src/analytics/schemas.ts).
 * @marquee/shared is imported for types only: its index also builds zod schemas, which would land
 * in these pages' chunks.
 */

import type { AnalyticsGrain, TrafficSource } from "@marquee/shared";
import { api, must } from "../api/client";
import type { components } from "../api/schema";
import type { CsvValue } from "./csv";

type Schemas = components["schemas"];
export type VideoAnalytics = Schemas["VideoAnalytics"];
export type ChannelAnalytics = Schemas["ChannelAnalytics"];
export type PlatformQoe = Schemas["PlatformQoe"];
export type QoeFigures = Schemas["QoeFigures"];
export type AudienceTotals = Schemas["AudienceTotals"];
export type AnalyticsPoint = Schemas["AnalyticsPoint"];
export type Breakdown = Schemas["AnalyticsBreakdown"];
export type QoeBreakdown = Schemas["QoeBreakdown"];
export type RetentionPoint = Schemas["RetentionPoint"];
export type TopVideo = Schemas["AnalyticsTopVideo"];
export type { AnalyticsGrain };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// ---- range and granularity ----

/** The ranges the pages offer (YouTube Studio's: a week, four weeks, a quarter, a year). */
export const RANGE_DAYS = [7, 28, 90, 365] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];
/** @marquee/shared's DEFAULT_RANGE_DAYS (the API's own default), written out (analytics.test.ts compares). */
export const DEFAULT_RANGE: RangeDays = 28;

/** `?range=90` → 90; anything that is not one of RANGE_DAYS → the default. */
export function parseRange(param: string | null | undefined): RangeDays {
  const n = Number(param);
  return (RANGE_DAYS as readonly number[]).includes(n) ? (n as RangeDays) : DEFAULT_RANGE;
}

/** Hourly buckets for a week or less (168 points), daily beyond (the API allows hours up to 31 days). */
export function granularityFor(days: number): AnalyticsGrain {
  return days <= 7 ? "hour" : "day";
}

export interface RangeQuery {
  from: string;
  to: string;
  granularity: AnalyticsGrain;
}

/**
 * The query for the last `days` days up to `now`, in whole UTC buckets (the rollups' own), so the
 * range holds exactly `days` days:
 * - daily: `to` is the end of today (UTC) and `from` `days` days earlier — `days` whole UTC days,
 *   today included (not `days` + 1 days' buckets, as a `from` in the middle of a day would ask for);
 * - hourly: `to` is the end of the current hour, `from` `days` × 24 whole hours earlier.
 * The same page asked twice within a bucket asks the same thing (the API may cache it).
 */
export function rangeQuery(days: RangeDays, now = Date.now()): RangeQuery {
  const granularity = granularityFor(days);
  // The hour that begins exactly now has nothing yet; the day that begins now is "today".
  const to =
    granularity === "day" ? (Math.floor(now / DAY_MS) + 1) * DAY_MS : Math.ceil(now / HOUR_MS) * HOUR_MS;
  return {
    from: new Date(to - days * DAY_MS).toISOString(),
    to: new Date(to).toISOString(),
    granularity,
  };
}

/** Beyond this many buckets something is wrong with the range (a year of hours is 8 784). */
const MAX_BUCKETS = 10_000;

/**
 * The series with a point for every bucket of the range. The API sends points only for buckets with
 * data; a bucket without views is drawn as zero (and its startup time as null: a gap in the QoE
 * line, not a zero). Steps UTC buckets of `granularity` from `from` (rounded down to a bucket)
 * while before `to` (exclusive, as the API's). A point of the API's off that grid is kept where it
 * sorts. Pure; an unreadable range gives the series as it is.
 */
export function fillSeries(
  series: readonly AnalyticsPoint[],
  range: { from: string; to: string; granularity: AnalyticsGrain },
): AnalyticsPoint[] {
  const bucket = range.granularity === "day" ? DAY_MS : HOUR_MS;
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (!Number.isFinite(from) || !Number.isFinite(to) || (to - from) / bucket > MAX_BUCKETS)
    return [...series];
  const byStart = new Map<number, AnalyticsPoint>();
  for (const p of series) byStart.set(Date.parse(p.start), p);
  const out: AnalyticsPoint[] = [];
  for (let t = Math.floor(from / bucket) * bucket; t < to; t += bucket) {
    out.push(byStart.get(t) ?? emptyPoint(new Date(t).toISOString()));
    byStart.delete(t);
  }
  if (byStart.size === 0) return out;
  return [...out, ...byStart.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** The first and last buckets' starts (ISO) of a range whose `to` is exclusive; null when unreadable. */
export function rangeBuckets(range: {
  from: string;
  to: string;
  granularity: AnalyticsGrain;
}): { first: string; last: string } | null {
  const bucket = range.granularity === "day" ? DAY_MS : HOUR_MS;
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return null;
  return {
    first: new Date(Math.floor(from / bucket) * bucket).toISOString(),
    last: new Date(Math.floor((to - 1) / bucket) * bucket).toISOString(),
  };
}

function emptyPoint(start: string): AnalyticsPoint {
  return {
    start,
    views: 0,
    engagedViews: 0,
    uniqueViewers: 0,
    watchTimeMs: 0,
    averageViewDurationMs: 0,
    startupTimeMedianMs: null,
    rebufferPercentage: 0,
    playbackFailurePercentage: 0,
  };
}

// ---- API ----

export const analyticsApi = {
  video: (videoId: string, query: RangeQuery) =>
    must(api.GET("/api/v1/studio/videos/{videoId}/analytics", { params: { path: { videoId }, query } })),
  channel: (query: RangeQuery) => must(api.GET("/api/v1/studio/channel/analytics", { params: { query } })),
  platformQoe: (query: RangeQuery) => must(api.GET("/api/v1/admin/analytics/qoe", { params: { query } })),
};

/** Nothing to draw: no view in the range (the page shows "share your video" instead of empty charts). */
export function hasViews(totals: { views: number }): boolean {
  return totals.views > 0;
}

// ---- labels and formatting ----

/** A bucket's start as its axis label: "Dec 6, 14:00" for hours, "Dec 6" for days (UTC, as the rollups). */
export function bucketLabel(start: string, granularity: AnalyticsGrain, lang: string): string {
  const date = new Date(start);
  if (Number.isNaN(date.getTime())) return start;
  const options: Intl.DateTimeFormatOptions =
    granularity === "hour"
      ? {
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
          timeZone: "UTC",
        }
      : { month: "short", day: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang, options).format(date);
}

/** Milliseconds → hours with one decimal (watch time is read in hours): 5_400_000 → 1.5. */
export function msToHours(ms: number): number {
  return Math.round((ms / HOUR_MS) * 10) / 10;
}

/** A 0–100 percentage as text with at most one decimal: 12.345 → "12.3 %" / "12,3 %". */
export function formatPct(pct: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(pct / 100);
}

/**
 * Watch time as "1,234.5 hr" (en) / "1.234,5 Std." (de); below an hour in whole minutes ("25 min"),
 * where hours with one decimal would say "0 hr" for anything under three minutes.
 */
export function formatHours(ms: number, lang: string): string {
  if (ms < HOUR_MS)
    return new Intl.NumberFormat(lang, {
      style: "unit",
      unit: "minute",
      unitDisplay: "short",
      maximumFractionDigits: 0,
    }).format(Math.max(0, ms) / 60_000);
  return new Intl.NumberFormat(lang, {
    style: "unit",
    unit: "hour",
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(ms / HOUR_MS);
}

/** Startup time and other short durations: 850 → "850 ms", 2400 → "2.4 s"; null → "–". */
export function formatMs(ms: number | null, lang: string): string {
  if (ms === null || !Number.isFinite(ms)) return "–";
  if (ms < 1000)
    return new Intl.NumberFormat(lang, { style: "unit", unit: "millisecond", unitDisplay: "short" }).format(
      Math.round(ms),
    );
  return new Intl.NumberFormat(lang, {
    style: "unit",
    unit: "second",
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(ms / 1000);
}

/**
 * @marquee/shared's TRAFFIC_SOURCES written out as a record (one added there is a type error here),
 * so a known source is translated and an unknown one shown as it came.
 */
const SOURCES: Record<TrafficSource, true> = {
  feed: true,
  search: true,
  channel: true,
  external: true,
  embed: true,
  direct: true,
  other: true,
};
export const TRAFFIC_SOURCE_NAMES = Object.keys(SOURCES) as TrafficSource[];

/** A traffic source value → what to say: `feed:trending` → the feed with its row; unknown → as is. */
export function sourceParts(value: string): { source: TrafficSource | null; row: string | null } {
  const [head = "", row = null] = value.split(":", 2) as [string?, string?];
  const source = Object.hasOwn(SOURCES, head) ? (head as TrafficSource) : null;
  return { source, row: source === "feed" ? row : null };
}

/** An ISO country code as its name in `lang` ("DE" → "Germany" / "Deutschland"); `XX` → null (unknown). */
export function countryName(code: string, lang: string): string | null {
  if (code === "XX") return null;
  try {
    return new Intl.DisplayNames([lang], { type: "region", fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}

// ---- storyboard under the retention curve ----

/**
 * The storyboard (WebVTT) beside a studio video's poster. A studio video carries only its poster;
 * the card's storyboard sits beside it on the same grant (apps/edge/src/catalog/cards.ts,
 * `cardImageUrls`): …/thumbs/poster.jpg → …/storyboard/storyboard.vtt. The media route serves it
 * only for a video that is neither premium nor private; otherwise the fetch fails and the strip is
 * left out.
 */
export function storyboardUrlFromPoster(posterUrl: string | null | undefined): string | null {
  if (!posterUrl) return null;
  const match = /^(.*)\/thumbs\/poster\.jpg(\?.*)?$/.exec(posterUrl);
  return match ? `${match[1]}/storyboard/storyboard.vtt${match[2] ?? ""}` : null;
}

/**
 * Where the video's storyboard is: the analytics answer's own `storyboardUrl` when the API gives one
 * (a grant the owner can use for private videos too), else (null, or an older edge without the
 * field) beside the poster of the video's row in the creator's newest 100 videos. Null when neither
 * has it (the strip is left out).
 */
export async function storyboardUrlOf(analytics: VideoAnalytics): Promise<string | null> {
  // Read loosely: the field is new in the API (an older answer has none).
  const own = (analytics as { storyboardUrl?: unknown }).storyboardUrl;
  if (typeof own === "string" && own !== "") return own;
  try {
    const page = await must(api.GET("/api/v1/me/videos", { params: { query: { limit: 100 } } }));
    const row = page.items.find((v) => v.id === analytics.videoId);
    return storyboardUrlFromPoster(row?.posterUrl);
  } catch {
    return null;
  }
}

/** The content times (ms) of `count` thumbnails spread evenly under a retention curve of `durationMs`. */
export function stripTimes(durationMs: number, count: number): number[] {
  if (!(durationMs > 0) || count < 1) return [];
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * durationMs) / count));
}

// ---- CSV (RFC 4180, lib/csv.ts) ----

export { type CsvValue, csvField, downloadCsv, toCsv } from "./csv";

/** A chart's data as a table: the CSV's header (stable machine names, not translated) and rows. */
export interface ChartData {
  header: string[];
  rows: CsvValue[][];
}

/** Views, engaged views, viewers, watch time and QoE per bucket; `start` is the bucket's ISO start (UTC). */
export function seriesData(series: readonly AnalyticsPoint[]): ChartData {
  return {
    header: [
      "start",
      "views",
      "engaged_views",
      "unique_viewers",
      "watch_time_ms",
      "average_view_duration_ms",
      "startup_time_median_ms",
      "rebuffer_percentage",
      "playback_failure_percentage",
    ],
    rows: series.map((p) => [
      isoOf(p.start),
      p.views,
      p.engagedViews,
      p.uniqueViewers,
      p.watchTimeMs,
      p.averageViewDurationMs,
      p.startupTimeMedianMs,
      p.rebufferPercentage,
      p.playbackFailurePercentage,
    ]),
  };
}

/** A breakdown (traffic source, country, device): its values as they come from the API. */
export function breakdownData(dimension: string, rows: readonly Breakdown[]): ChartData {
  return {
    header: [dimension, "views", "watch_time_ms", "share_percentage"],
    rows: rows.map((r) => [r.value, r.views, r.watchTimeMs, r.share]),
  };
}

/** Quality by rendition, country, device or player version. */
export function qoeBreakdownData(dimension: string, rows: readonly QoeBreakdown[]): ChartData {
  return {
    header: [dimension, ...QOE_HEADER],
    rows: rows.map((r) => [r.value, ...qoeRow(r)]),
  };
}

/** The QoE totals as one row. */
export function qoeTotalsData(figures: QoeFigures): ChartData {
  return { header: [...QOE_HEADER], rows: [qoeRow(figures)] };
}

const QOE_HEADER = [
  "views",
  "watch_time_ms",
  "startup_time_median_ms",
  "startup_time_p90_ms",
  "rebuffer_percentage",
  "rebuffer_count",
  "playback_failure_percentage",
  "exits_before_start_percentage",
] as const;

function qoeRow(q: QoeFigures): CsvValue[] {
  return [
    q.views,
    q.watchTimeMs,
    q.startupTimeMedianMs,
    q.startupTimeP90Ms,
    q.rebufferPercentage,
    q.rebufferCount,
    q.playbackFailurePercentage,
    q.exitsBeforeStartPercentage,
  ];
}

/** The retention curve: each point's share of the duration, position and audience. */
export function retentionData(points: readonly RetentionPoint[]): ChartData {
  return {
    header: ["percent_of_duration", "position_ms", "audience_percentage"],
    rows: points.map((p) => [p.percent, p.positionMs, p.audiencePercentage]),
  };
}

/** The channel's top videos. */
export function topVideosData(videos: readonly TopVideo[]): ChartData {
  return {
    header: ["video_id", "title", "views", "watch_time_ms", "average_view_duration_ms"],
    rows: videos.map((v) => [v.videoId, v.title, v.views, v.watchTimeMs, v.averageViewDurationMs]),
  };
}

/** An ISO time as the API gave it, normalised to `…Z` (a spreadsheet reads one form). */
function isoOf(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/**
 * "marquee-analytics-channel-views-2026-11-08-2026-12-06.csv": whose, which chart, and the range's
 * UTC days. Parts are reduced to safe file-name characters.
 */
export function csvFileName(scope: string, chart: string, range: { from: string; to: string }): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "data";
  return `marquee-analytics-${safe(scope)}-${safe(chart)}-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv`;
}
