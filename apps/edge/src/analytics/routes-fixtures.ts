/** Shared by the analytics route tests: rows, requests and the response shapes they read. */
import { insertVideo, testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { analyticsDims, analyticsPeriods, analyticsStartup } from "../db/schema";
import { type TestBucket, testRows, withMonths } from "./test-rows";
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Days of this file's own (platform rows are shared by every test file: nobody else writes 2003). */
export const D0 = Date.UTC(2003, 2, 10);
export const day = (i: number) => D0 + i * DAY;
export const isoAt = (ms: number) => new Date(ms).toISOString();

/** D1 takes at most 100 bound parameters per statement: 5 rows of at most 16 columns each. */
export async function insertChunked(
  table: Parameters<ReturnType<typeof testDb>["insert"]>[0],
  rows: unknown[],
) {
  for (let i = 0; i < rows.length; i += 5)
    await testDb()
      .insert(table)
      .values(rows.slice(i, i + 5) as never);
}

/** The buckets, and the month rows the rollup writes from their days (the reads take whole months from those). */
export async function insertBuckets(buckets: TestBucket[]) {
  await insertRows(withMonths(buckets).map(testRows));
}

export async function insertRows(rows: ReturnType<typeof testRows>[]) {
  await insertChunked(
    analyticsPeriods,
    rows.map((r) => r.period),
  );
  await insertChunked(
    analyticsDims,
    rows.flatMap((r) => r.dims),
  );
  await insertChunked(
    analyticsStartup,
    rows.flatMap((r) => r.startup),
  );
}

export interface Figures {
  from: string;
  to: string;
  granularity: string;
  computedAt: string | null;
  totals: Record<string, number>;
  qoe: Record<string, number | null>;
  series: ({ start: string } & Record<string, number | null>)[];
  trafficSources: { value: string; views: number; watchTimeMs: number; share: number }[];
  countries: { value: string; views: number; share: number }[];
  devices: { value: string; views: number; share: number }[];
}
export interface VideoFigures extends Figures {
  videoId: string;
  durationMs: number | null;
  retention: { percent: number; positionMs: number; audiencePercentage: number }[];
  renditions: ({ value: string } & Record<string, number | null>)[];
}

export const videoPath = (id: string, query = "") => `/api/v1/studio/videos/${id}/analytics${query}`;
export const yearOf2003 = `?granularity=day&from=${isoAt(day(-60))}&to=${isoAt(day(60))}`;

export async function creatorWithVideo(tag: string, durationMs: number | null = 100_000) {
  const creator = await seedAccount({ tag, channel: true, profiles: [{ name: "Kid", maturity: "kids" }] });
  const videoId = await insertVideo(creator, { durationMs, title: `Analytics ${tag}` });
  return { creator, videoId };
}

export function pct(part: number, whole: number) {
  return Math.round((part / whole) * 10_000) / 100;
}
