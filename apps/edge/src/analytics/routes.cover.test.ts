import { env } from "cloudflare:test";
import { and, eq, gte, lt } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, seedAccount } from "../../test/harness";
import { analyticsPeriods } from "../db/schema";
import { bucketFromRows, bucketRows, mergeBuckets } from "./rollup/buckets";
import { addSample, quantileOf } from "./rollup/histogram";
import {
  creatorWithVideo,
  day,
  HOUR,
  insertBuckets,
  insertRows,
  isoAt,
  pct,
  type VideoFigures,
  videoPath,
} from "./routes-fixtures";
import { monthOf, type TestBucket, testRows } from "./test-rows";

describe("reading a range's cover (whole months, days, hours)", () => {
  const sources = ["search", "feed:trending", "channel"];
  const countries = ["DE", "FR", "US"];
  /** Day i's bucket of a video: its figures vary by day, so a wrong or missing row shows. */
  const dayBucket = (videoId: string, channelId: string, i: number): TestBucket => {
    const j = i + 100; // non-negative, for the figures below
    const views = 3 + (j % 5);
    return {
      scope: "video",
      scopeId: videoId,
      grain: "day",
      start: day(i),
      channelId,
      views,
      engagedViews: views - 1,
      watchMs: views * 1000 + j,
      startedViews: views - 1,
      exitsBeforeStart: 1,
      failedViews: j % 3 === 0 ? 1 : 0,
      rebufferCount: j % 4,
      rebufferMs: 10 * j,
      viewers: [`u${j % 40}`, `u${(j * 7) % 53}`, "regular"],
      retention: Array.from({ length: 100 }, (_, n) => (n < 30 + (j % 60) ? views : 0)),
      durationMs: 200_000,
      dims: [
        ...sources.map((value, n) => ({
          dim: "source" as const,
          value,
          views: n + (j % 3),
          watchMs: 100 * n + j,
        })),
        ...countries.map((value, n) => ({
          dim: "country" as const,
          value,
          views: 1 + ((j + n) % 4),
          watchMs: n,
        })),
        { dim: "rendition", value: "720p", views, watchMs: views * 1000 + j, rebufferMs: 10 * j },
      ],
      startups: { "\t": [200 + 13 * (j % 17), 900 + 41 * (j % 11)] },
    };
  };

  it("answers a range spanning whole months from month rows exactly as from its day rows", async () => {
    const { creator, videoId } = await creatorWithVideo("anvmonth", 200_000);
    const channelId = creator.channelId as string;
    // 2003-01-27 … 2003-05-06: days, then February, March and April as months, then days.
    const first = -42;
    const last = 57;
    const days: TestBucket[] = [];
    for (let i = first; i <= last; i++) days.push(dayBucket(videoId, channelId, i));
    const dayRows = days.map(testRows);
    // The month rows as the rollup makes them: its own merge of the month's stored day rows.
    const byMonth = new Map<number, ReturnType<typeof testRows>[]>();
    for (const r of dayRows)
      byMonth.set(monthOf(r.period.start), [...(byMonth.get(monthOf(r.period.start)) ?? []), r]);
    const monthRows = [...byMonth].map(([start, rows]) =>
      bucketRows(
        mergeBuckets(
          rows.map((r) => bucketFromRows(r.period as never, r.dims as never, r.startup as never)),
          true,
        ),
        { scope: "video", scopeId: videoId, grain: "month", start, channelId },
        day(last) + 3_600_000,
      ),
    );
    await insertRows([...dayRows, ...monthRows]);

    const body = await apiJson<VideoFigures>(
      videoPath(videoId, `?granularity=day&from=${isoAt(day(first))}&to=${isoAt(day(last + 1))}`),
      200,
      { token: creator.accessToken },
    );
    // What summing the day buckets themselves answers.
    const sum = (f: (b: TestBucket) => number) => days.reduce((n, b) => n + f(b), 0);
    const views = sum((b) => b.views);
    const watch = sum((b) => b.watchMs);
    expect(body.totals).toEqual({
      views,
      engagedViews: sum((b) => b.engagedViews ?? 0),
      uniqueViewers: new Set(days.flatMap((b) => b.viewers ?? [])).size,
      watchTimeMs: watch,
      averageViewDurationMs: Math.round(watch / views),
    });
    const startups = new Map<number, number>();
    for (const b of days) for (const ms of b.startups?.["\t"] ?? []) addSample(startups, ms);
    expect(body.qoe).toEqual({
      views,
      watchTimeMs: watch,
      startupTimeMedianMs: quantileOf(startups, 0.5),
      startupTimeP90Ms: quantileOf(startups, 0.9),
      rebufferPercentage: pct(
        sum((b) => b.rebufferMs ?? 0),
        watch,
      ),
      rebufferCount: sum((b) => b.rebufferCount ?? 0),
      playbackFailurePercentage: pct(
        sum((b) => b.failedViews ?? 0),
        views,
      ),
      exitsBeforeStartPercentage: pct(
        sum((b) => b.exitsBeforeStart ?? 0),
        views,
      ),
    });
    const dimSum = (dim: string, value: string) =>
      sum((b) => b.dims?.find((d) => d.dim === dim && d.value === value)?.views ?? 0);
    expect(Object.fromEntries(body.trafficSources.map((d) => [d.value, d.views]))).toEqual(
      Object.fromEntries(sources.map((v) => [v, dimSum("source", v)])),
    );
    expect(Object.fromEntries(body.countries.map((d) => [d.value, d.views]))).toEqual(
      Object.fromEntries(countries.map((v) => [v, dimSum("country", v)])),
    );
    expect(body.renditions.map((r) => [r.value, r.views, r.rebufferPercentage])).toEqual([
      [
        "720p",
        views,
        pct(
          sum((b) => b.rebufferMs ?? 0),
          watch,
        ),
      ],
    ]);
    const watchedAt = (n: number) => sum((b) => b.retention?.[n] ?? 0);
    expect(body.retention.map((r) => r.audiencePercentage)).toEqual(
      Array.from({ length: 100 }, (_, n) => pct(watchedAt(n), views)),
    );
    // The series stays per day: one point per day row, scalars as stored.
    expect(body.series).toHaveLength(days.length);
    expect(body.series[0]).toMatchObject({
      start: isoAt(day(first)),
      views: days[0]?.views,
      uniqueViewers: 3,
    });
    expect(body.computedAt).toBe(isoAt(day(last) + 3_600_000));

    // The whole months come from month rows: without March's day rows the totals stay, the series loses March.
    const march = and(
      eq(analyticsPeriods.scopeId, videoId),
      eq(analyticsPeriods.grain, "day"),
      gte(analyticsPeriods.start, Date.UTC(2003, 2, 1)),
      lt(analyticsPeriods.start, Date.UTC(2003, 3, 1)),
    );
    await testDb().delete(analyticsPeriods).where(march);
    const again = await apiJson<VideoFigures>(
      videoPath(videoId, `?granularity=day&from=${isoAt(day(first))}&to=${isoAt(day(last + 1))}`),
      200,
      { token: creator.accessToken },
    );
    expect(again.totals).toEqual(body.totals);
    expect(again.series).toHaveLength(days.length - 31);
  });

  it("answers an hour range from hour rows at its ends and day rows between", async () => {
    const { creator, videoId } = await creatorWithVideo("anvcover");
    const v = { scope: "video", scopeId: videoId, grain: "hour" } as const;
    // Hours from day 0, 20:00 to day 3, 05:00; days 1 and 2 also as day rows (the merge of their hours).
    const hours: TestBucket[] = [];
    for (let h = 20; h < 3 * 24 + 5; h++)
      hours.push({ ...v, start: day(0) + h * HOUR, views: 1 + (h % 3), watchMs: h, viewers: [`p${h % 9}`] });
    const daysOf = [1, 2].map((i) => {
      const of = hours.filter((b) => b.start >= day(i) && b.start < day(i + 1));
      return {
        ...v,
        grain: "day" as const,
        start: day(i),
        views: of.reduce((n, b) => n + b.views, 0),
        watchMs: of.reduce((n, b) => n + b.watchMs, 0),
        viewers: of.flatMap((b) => b.viewers ?? []),
      };
    });
    await insertBuckets([...hours, ...daysOf]);
    const body = await apiJson<VideoFigures>(
      videoPath(
        videoId,
        `?granularity=hour&from=${isoAt(day(0) + 20 * HOUR)}&to=${isoAt(day(3) + 5 * HOUR)}`,
      ),
      200,
      { token: creator.accessToken },
    );
    expect(body.series).toHaveLength(hours.length);
    expect(body.totals).toMatchObject({
      views: hours.reduce((n, b) => n + b.views, 0),
      watchTimeMs: hours.reduce((n, b) => n + b.watchMs, 0),
      uniqueViewers: 9,
    });
  });

  it("links the owner's storyboard for any of their videos, and none while processing", async () => {
    const creator = await seedAccount({ tag: "anvstory", channel: true });
    const vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nsprite.jpg#xywh=0,0,160,90\n";
    for (const visibility of ["public", "private", "premium"] as const) {
      const id = await insertVideo(creator, { visibility, durationMs: 60_000 });
      await env.MEDIA.put(`videos/${id}/storyboard/storyboard.vtt`, vtt);
      const body = await apiJson<VideoFigures & { storyboardUrl: string | null }>(videoPath(id), 200, {
        token: creator.accessToken,
      });
      const url = new URL(body.storyboardUrl ?? "");
      expect(url.pathname, visibility).toMatch(
        new RegExp(`^/media/${id}/[^/]+/storyboard/storyboard\\.vtt$`),
      );
      const res = await api(url.pathname);
      expect(res.status, visibility).toBe(200);
      expect(await res.text()).toBe(vtt);
    }
    const processing = await insertVideo(creator, { status: "processing", playable: false });
    const body = await apiJson<{ storyboardUrl: string | null }>(videoPath(processing), 200, {
      token: creator.accessToken,
    });
    expect(body.storyboardUrl).toBeNull();
  });
});
