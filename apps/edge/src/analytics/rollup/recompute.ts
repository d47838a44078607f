/**
 * Recomputes rollup buckets from the raw beacons (docs/analytics.md, "How the rollups work").
 *
 * A video hour is the bucket of the sessions attributed to it (their earliest beacon is in it), so
 * recomputing a dirty (video, hour) reads every session with a beacon in that hour, whole, and
 * recomputes every hour those sessions are attributed to or have beacons in: a late beacon with an
 * earlier time moves its session out of the hour it was counted in, and that hour must lose it.
 * Then the video's days of those hours (merges of its hour rows) and months (merges of its day
 * rows), the channel's hours (merges of its videos' rows), days and months, and the platform's
 * (merges of the channel rows). Raw reads are bounded in time by MAX_SESSION_SPAN_MS.
 *
 * Every bucket is written wholesale, delete-then-insert, never incremented: recomputing twice
 * changes nothing, and a bucket that recomputes to nothing is deleted. Each group of buckets (a
 * video's hours, its days, the channels', the platform's) is one D1 batch, one transaction, so a
 * reader never sees half a bucket. Only the AnalyticsRollup object calls this in production (it is
 * the one writer; see object.ts): two interleaved recomputes could land an older snapshot last.
 */
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { createDb, type Db } from "../../db/client";
import { analyticsPeriods, playbackEvents, videos } from "../../db/schema";
import { type Bucket, type BucketKey, bucketFromSessions, mergeBuckets } from "./buckets";
import { chunks, groupBy } from "./lists";
import { hourRuns, readRun } from "./raw-sessions";
import { DAY_MS, dayOf, HOUR_MS, hourOf, monthOf, nextMonthOf, sessionsOf } from "./sessions";
import { type RollupTable, readBuckets, writeBuckets } from "./store";

export interface VideoHour {
  videoId: string;
  hour: number;
}

export interface RecomputeSummary {
  /** Video hours recomputed from raw beacons (the dirty ones and those their sessions touch). */
  videoHours: number;
  /** Buckets written or deleted, every scope and grain. */
  buckets: number;
}

// D1 binds at most 100 parameters per statement: IN lists are chunked.
const IN_CHUNK = 90;

/**
 * The video's hour buckets for `dirty` and every hour the sessions with beacons in them touch
 * (see the top of the file), keyed by hour. Each run of hours is read once, in a window bounded by
 * MAX_SESSION_SPAN_MS (raw-sessions.ts), and its hours are made from that read alone: a session
 * attributed to an hour of the run has all its counted beacons in the window.
 */
async function videoHourBuckets(
  db: Db,
  videoId: string,
  dirty: number[],
  durationMs: number | null,
): Promise<Map<number, Bucket>> {
  const buckets = new Map<number, Bucket>();
  const bucketsOfRun = async (run: [number, number]) => {
    const sessions = await readRun(db, videoId, run);
    const facts = sessionsOf(sessions.flat(), durationMs);
    for (let h = run[0]; h < run[1]; h += HOUR_MS)
      buckets.set(
        h,
        bucketFromSessions(
          facts.filter((s) => s.hour === h),
          durationMs,
        ),
      );
    return sessions;
  };
  const touched = new Set<number>();
  for (const run of hourRuns(dirty))
    for (const beacons of await bucketsOfRun(run)) for (const b of beacons) touched.add(hourOf(b.occurredAt));
  // The other hours are recomputed whole: every session attributed to them has a beacon in them.
  for (const run of hourRuns([...touched].filter((h) => !buckets.has(h)))) await bucketsOfRun(run);
  return buckets;
}

type Grain = BucketKey["grain"];

const channelKey = (channelId: string, grain: Grain, start: number): BucketKey => ({
  scope: "channel",
  scopeId: channelId,
  grain,
  start,
  channelId: null,
});
const platformKey = (grain: Grain, start: number): BucketKey => ({
  scope: "platform",
  scopeId: "",
  grain,
  start,
  channelId: null,
});

/** The hour rows of one scope's day: what its day row merges. */
const dayOfHours = (t: RollupTable, scope: BucketKey["scope"], scopeId: string, day: number) =>
  and(
    eq(t.scope, scope),
    eq(t.scopeId, scopeId),
    eq(t.grain, "hour"),
    gte(t.start, day),
    lt(t.start, day + DAY_MS),
  );

/** The day rows of one scope's month: what its month row merges. */
const monthOfDays = (t: RollupTable, scope: BucketKey["scope"], scopeId: string, month: number) =>
  and(
    eq(t.scope, scope),
    eq(t.scopeId, scopeId),
    eq(t.grain, "day"),
    gte(t.start, month),
    lt(t.start, nextMonthOf(month)),
  );

/**
 * Recomputes these video hours from the raw beacons, then the buckets built on them: the videos'
 * days, their channels' hours and days, the platform's hours and days. Idempotent.
 */
export async function recomputeVideoHours(
  env: Env,
  items: VideoHour[],
  now: number = Date.now(),
): Promise<RecomputeSummary> {
  const db = createDb(env.DB);
  const summary: RecomputeSummary = { videoHours: 0, buckets: 0 };
  const hoursOf = groupBy(items, (i) => i.videoId);
  const videoIds = [...hoursOf.keys()];
  const info = new Map<string, { channelId: string; durationMs: number | null }>();
  for (const ids of chunks(videoIds, IN_CHUNK)) {
    const rows = await db
      .select({ id: videos.id, channelId: videos.channelId, durationMs: videos.durationMs })
      .from(videos)
      .where(inArray(videos.id, ids));
    for (const r of rows) info.set(r.id, r);
  }
  // The channels' hours and days the videos' changes reach, keyed `${channelId}\t${start}`.
  const channelHours = new Map<string, { channelId: string; start: number }>();
  const channelDays = new Map<string, { channelId: string; start: number }>();
  const channelMonths = new Map<string, { channelId: string; start: number }>();
  for (const videoId of videoIds) {
    const video = info.get(videoId);
    // A video row gone (deleted) keeps no channel: its rows are written without one.
    const channelId = video?.channelId ?? null;
    const dirty = [...new Set((hoursOf.get(videoId) ?? []).map((i) => hourOf(i.hour)))];
    const hours = await videoHourBuckets(db, videoId, dirty, video?.durationMs ?? null);
    summary.videoHours += hours.size;
    const key = (grain: Grain, start: number): BucketKey => ({
      scope: "video",
      scopeId: videoId,
      grain,
      start,
      channelId,
    });
    summary.buckets += await writeBuckets(
      db,
      [...hours].map(([h, bucket]) => ({ key: key("hour", h), bucket })),
      now,
    );
    const days = [...new Set([...hours.keys()].map(dayOf))];
    const dayBuckets = [];
    for (const day of days) {
      const parts = await readBuckets(db, (t) => dayOfHours(t, "video", videoId, day));
      dayBuckets.push({ key: key("day", day), bucket: mergeBuckets(parts, true) });
    }
    summary.buckets += await writeBuckets(db, dayBuckets, now);
    // A month is the merge of its days (at most 31 rows), after the days are written.
    const months = [...new Set(days.map(monthOf))];
    const monthBuckets = [];
    for (const month of months) {
      const parts = await readBuckets(db, (t) => monthOfDays(t, "video", videoId, month));
      monthBuckets.push({ key: key("month", month), bucket: mergeBuckets(parts, true) });
    }
    summary.buckets += await writeBuckets(db, monthBuckets, now);
    if (channelId === null) continue;
    for (const h of hours.keys()) channelHours.set(`${channelId}\t${h}`, { channelId, start: h });
    for (const d of days) channelDays.set(`${channelId}\t${d}`, { channelId, start: d });
    for (const m of months) channelMonths.set(`${channelId}\t${m}`, { channelId, start: m });
  }

  // A channel's hour is the merge of its videos' rows of that hour (video rows carry channel_id).
  // Its day is the merge of its 24 hours: the same as the merge of its videos' days (every figure
  // merges associatively), and 24 rows to read rather than one per video.
  const channelHourWrites = [];
  for (const { channelId, start } of channelHours.values()) {
    const parts = await readBuckets(db, (t) =>
      and(eq(t.channelId, channelId), eq(t.scope, "video"), eq(t.grain, "hour"), eq(t.start, start)),
    );
    channelHourWrites.push({ key: channelKey(channelId, "hour", start), bucket: mergeBuckets(parts, false) });
  }
  summary.buckets += await writeBuckets(db, channelHourWrites, now);
  const channelDayWrites = [];
  for (const { channelId, start } of channelDays.values()) {
    const parts = await readBuckets(db, (t) => dayOfHours(t, "channel", channelId, start));
    channelDayWrites.push({ key: channelKey(channelId, "day", start), bucket: mergeBuckets(parts, false) });
  }
  summary.buckets += await writeBuckets(db, channelDayWrites, now);
  const channelMonthWrites = [];
  for (const { channelId, start } of channelMonths.values()) {
    const parts = await readBuckets(db, (t) => monthOfDays(t, "channel", channelId, start));
    channelMonthWrites.push({
      key: channelKey(channelId, "month", start),
      bucket: mergeBuckets(parts, false),
    });
  }
  summary.buckets += await writeBuckets(db, channelMonthWrites, now);

  // The platform's hour is the merge of every channel's row of that hour; its day, of its hours.
  const platformHourWrites = [];
  for (const start of new Set([...channelHours.values()].map((c) => c.start))) {
    const parts = await readBuckets(db, (t) =>
      and(eq(t.scope, "channel"), eq(t.grain, "hour"), eq(t.start, start)),
    );
    platformHourWrites.push({ key: platformKey("hour", start), bucket: mergeBuckets(parts, false) });
  }
  summary.buckets += await writeBuckets(db, platformHourWrites, now);
  const platformDayWrites = [];
  for (const start of new Set([...channelDays.values()].map((c) => c.start))) {
    const parts = await readBuckets(db, (t) => dayOfHours(t, "platform", "", start));
    platformDayWrites.push({ key: platformKey("day", start), bucket: mergeBuckets(parts, false) });
  }
  summary.buckets += await writeBuckets(db, platformDayWrites, now);
  const platformMonthWrites = [];
  for (const start of new Set([...channelMonths.values()].map((c) => c.start))) {
    const parts = await readBuckets(db, (t) => monthOfDays(t, "platform", "", start));
    platformMonthWrites.push({ key: platformKey("month", start), bucket: mergeBuckets(parts, false) });
  }
  summary.buckets += await writeBuckets(db, platformMonthWrites, now);
  return summary;
}

/** How many video hours one recomputeVideoHours call of recomputeRange takes. */
const RANGE_SLICE = 100;

/**
 * Rebuilds every video hour in [from, to) (of one video, or all) from the raw beacons: the hours
 * with beacons, and the hours with rows but no beacons any more (erased), which are deleted. For an
 * operator (run it while the rollup object is idle: it is a second writer) and for tests.
 */
export async function recomputeRange(
  env: Env,
  range: { videoId?: string; from: number; to: number },
  now: number = Date.now(),
): Promise<RecomputeSummary> {
  const db = createDb(env.DB);
  const from = hourOf(range.from);
  const to = range.to;
  // Raw SQL because drizzle has no integer division: the hour of each beacon, grouped in D1.
  const hourExpr = sql<number>`(${playbackEvents.occurredAt} / ${HOUR_MS}) * ${HOUR_MS}`.mapWith(Number);
  const withBeacons = await db
    .selectDistinct({ videoId: playbackEvents.videoId, hour: hourExpr })
    .from(playbackEvents)
    .where(
      and(
        range.videoId ? eq(playbackEvents.videoId, range.videoId) : undefined,
        gte(playbackEvents.occurredAt, from),
        lt(playbackEvents.occurredAt, to),
      ),
    );
  const withRows = await db
    .select({ videoId: analyticsPeriods.scopeId, hour: analyticsPeriods.start })
    .from(analyticsPeriods)
    .where(
      and(
        eq(analyticsPeriods.scope, "video"),
        range.videoId ? eq(analyticsPeriods.scopeId, range.videoId) : undefined,
        eq(analyticsPeriods.grain, "hour"),
        gte(analyticsPeriods.start, from),
        lt(analyticsPeriods.start, to),
      ),
    );
  const items = new Map<string, VideoHour>();
  for (const i of [...withBeacons, ...withRows]) items.set(`${i.videoId}\t${i.hour}`, i);
  const summary: RecomputeSummary = { videoHours: 0, buckets: 0 };
  for (const slice of chunks([...items.values()], RANGE_SLICE)) {
    const done = await recomputeVideoHours(env, slice, now);
    summary.videoHours += done.videoHours;
    summary.buckets += done.buckets;
  }
  return summary;
}
