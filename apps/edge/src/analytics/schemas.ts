/**
 * The analytics API's query and response shapes (docs/analytics.md has every metric's definition).
 * Percentages are 0–100 floats; durations are integer ms; times are ISO 8601 (UTC bucket starts).
 */
import { z } from "@hono/zod-openapi";
import { ANALYTICS_GRAINS } from "@marquee/shared";

export const AnalyticsQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        "Start of the range, inclusive (ISO 8601). Default: 28 days before `to`. Rounded down to the grain.",
    }),
    to: z.iso.datetime({ offset: true }).optional().openapi({
      description: "End of the range, exclusive (ISO 8601). Default: now. Rounded up to the grain.",
    }),
    granularity: z.enum(ANALYTICS_GRAINS).default("day").openapi({
      description: "Bucket size of the series: `hour` (ranges up to 31 days) or `day` (up to 400 days)",
    }),
  })
  .openapi("AnalyticsQuery");
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

const Pct = z.number().min(0).openapi({ description: "Percent, 0–100" });
const NullableMs = z.number().int().nullable();

/** Quality of experience of a set of views (Mux Data's definitions). */
export const QoeFigures = z
  .object({
    views: z.number().int(),
    watchTimeMs: z.number().int(),
    startupTimeMedianMs: NullableMs.openapi({
      description: "Video startup time, median (null: no view started)",
    }),
    startupTimeP90Ms: NullableMs.openapi({ description: "Video startup time, 90th percentile" }),
    rebufferPercentage: Pct.openapi({ description: "Rebuffering time ÷ watch time × 100" }),
    rebufferCount: z.number().int(),
    playbackFailurePercentage: Pct.openapi({ description: "Views with a fatal error ÷ views × 100" }),
    exitsBeforeStartPercentage: Pct.openapi({
      description: "Views left before the first frame, without an error ÷ views × 100",
    }),
  })
  .openapi("QoeFigures");

export const AudienceTotals = z
  .object({
    views: z.number().int().openapi({ description: "Play attempts (Mux's definition of a view)" }),
    engagedViews: z.number().int().openapi({ description: "Views with at least 30 s played" }),
    uniqueViewers: z
      .number()
      .int()
      .openapi({ description: "Distinct profiles (HyperLogLog estimate, ±3 %)" }),
    watchTimeMs: z.number().int(),
    averageViewDurationMs: z.number().int().openapi({ description: "Watch time ÷ views" }),
  })
  .openapi("AudienceTotals");

export const AnalyticsPoint = AudienceTotals.extend({
  start: z.string().openapi({ description: "The bucket's first instant (UTC)" }),
  startupTimeMedianMs: NullableMs,
  rebufferPercentage: Pct,
  playbackFailurePercentage: Pct,
}).openapi("AnalyticsPoint");

export const Breakdown = z
  .object({
    value: z.string().openapi({
      description:
        "The dimension's value: a traffic source (`feed:<row reason>`, `search`, …), an ISO country code " +
        "(`XX` unknown; `other`: the countries past the top 10, summed), a device class, a player version " +
        "or a rendition",
    }),
    views: z.number().int(),
    watchTimeMs: z.number().int(),
    share: Pct.openapi({ description: "Share of the scope's views (renditions: of watch time)" }),
  })
  .openapi("AnalyticsBreakdown");

export const QoeBreakdown = QoeFigures.extend({ value: z.string() }).openapi("QoeBreakdown");

export const RetentionPoint = z
  .object({
    percent: z.number().int().min(0).max(99),
    positionMs: z.number().int(),
    audiencePercentage: Pct.openapi({
      description:
        "Views that watched this point ÷ all the range's views × 100 (views are play attempts, those that never " +
        "started included). A view counts at most once per point (rewatching adds nothing), so this never " +
        "exceeds 100",
    }),
  })
  .openapi("RetentionPoint");

const RangeFields = {
  from: z.string(),
  to: z.string(),
  granularity: z.enum(ANALYTICS_GRAINS),
  /** When the newest rollup in the range was computed: figures lag the beacons by up to a minute. */
  computedAt: z.string().nullable(),
};

/** Only buckets with data: a chart fills the gaps with zeros itself (an idle year is not 8,760 points). */
const Series = z.array(AnalyticsPoint).openapi({
  description:
    "One point per bucket of the range that has data, oldest first; buckets without views have no point " +
    "(draw them as zero)",
});

const AudienceFields = {
  totals: AudienceTotals,
  qoe: QoeFigures,
  series: Series,
  trafficSources: z.array(Breakdown),
  countries: z.array(Breakdown),
  devices: z.array(Breakdown),
};

export const VideoAnalytics = z
  .object({
    videoId: z.string(),
    durationMs: NullableMs,
    storyboardUrl: z
      .string()
      .nullable()
      .openapi({
        description:
          "The video's storyboard: a WebVTT index whose cues point into a sprite (`sprite.jpg#xywh=…`) beside it, " +
          "to show frames along the retention curve. Signed for the owner (any visibility), valid as long as a " +
          "playback link; null while the video is processing",
      }),
    ...RangeFields,
    ...AudienceFields,
    retention: z.array(RetentionPoint).openapi({ description: "100 points, 0 % … 99 % of the duration" }),
    renditions: z.array(QoeBreakdown).openapi({
      description:
        "Per rendition played: its views, watch time and rebuffering (startup times are per view, not per rendition)",
    }),
  })
  .openapi("VideoAnalytics");

export const TopVideo = z
  .object({
    videoId: z.string(),
    title: z.string(),
    views: z.number().int(),
    watchTimeMs: z.number().int(),
    averageViewDurationMs: z.number().int(),
  })
  .openapi("AnalyticsTopVideo");

export const ChannelAnalytics = z
  .object({
    channelId: z.string(),
    ...RangeFields,
    ...AudienceFields,
    topVideos: z.array(TopVideo).openapi({ description: "The channel's 10 most viewed videos in the range" }),
  })
  .openapi("ChannelAnalytics");

export const PlatformQoe = z
  .object({
    ...RangeFields,
    totals: QoeFigures,
    series: Series,
    byRendition: z.array(QoeBreakdown),
    byCountry: z.array(QoeBreakdown),
    byDevice: z.array(QoeBreakdown),
    byPlayerVersion: z.array(QoeBreakdown),
  })
  .openapi("PlatformQoe");
