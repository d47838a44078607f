/**
 * The scale seed's analytics (issue 16, docs/analytics.md): for some videos, a year of synthetic
 * viewing sessions made into rollup rows by the rollup's own pure functions (apps/edge/src/analytics/
 * rollup: `sessionsOf` over synthetic beacons, `bucketFromSessions`, `mergeBuckets`, `bucketRows`),
 * so seeded figures mean what live ones mean. Day rows for every day of the year; hour rows for the
 * last `hourlyDays` days (whose days are the merge of their hours, as the live rollup makes them);
 * month rows for every UTC month touched (the merge of its day rows, as the live rollup makes them);
 * the videos' channels' rows (the merge of their videos) and the platform's (the merge of every
 * channel's, including rows already in the database). No raw beacons are written: the rollup never
 * recomputes a seeded hour unless a real beacon lands in it.
 *
 * Also used by bench/analytics.ts for one video with a busy year.
 */
import type { AnalyticsStoredGrain } from "@marquee/shared";
import { and, eq, gte, lt, or } from "drizzle-orm";
import {
  type Bucket,
  bucketFromRows,
  bucketFromSessions,
  bucketRows,
  mergeBuckets,
} from "../../apps/edge/src/analytics/rollup/buckets";
import { type RawBeacon, sessionsOf } from "../../apps/edge/src/analytics/rollup/sessions";
import type { StoredQoe } from "../../apps/edge/src/analytics/stored-qoe";
import * as t from "../../apps/edge/src/db/schema";
import { type Counter, inSeedRange, insertRows, type SeedDb } from "./seed-db";
import { DAY, type Random } from "./seed-random";

const HOUR = 3_600_000;

export interface AnalyticsVideo {
  id: string;
  channelId: string;
  durationMs: number;
  /** Mean sessions a day. */
  sessionsPerDay: number;
}

export interface AnalyticsSeedOptions {
  r: Random;
  now: number;
  /** Days of day rows, ending with today (UTC). */
  days: number;
  /** The last days that also get hour rows. */
  hourlyDays: number;
  /** Distinct viewers sessions are drawn from (repeat viewers make unique viewers < views). */
  audience: number;
}

// Realistic spreads: ~8 sources, ~20 countries, 5 devices, 3 player versions, 4 renditions.
const SOURCES = {
  "feed:subscriptions": 20,
  "feed:trending": 14,
  "feed:because_watched": 12,
  "feed:category": 6,
  search: 18,
  channel: 10,
  external: 8,
  embed: 4,
  direct: 8,
};
const COUNTRIES = {
  US: 30,
  DE: 10,
  GB: 9,
  FR: 7,
  IN: 7,
  BR: 6,
  CA: 5,
  JP: 4,
  ES: 3,
  IT: 3,
  NL: 2,
  PL: 2,
  SE: 2,
  MX: 2,
  AU: 2,
  KR: 1,
  TR: 1,
  AR: 1,
  ZA: 1,
  XX: 2,
};
const DEVICES = { desktop: 45, mobile: 40, tablet: 8, tv: 5, other: 2 };
const PLAYERS = { "web-1.0.0+hls-1.7.4": 70, "web-0.9.2+hls-1.7.2": 25, unknown: 5 };
const RENDITIONS = { "1080p": 25, "720p": 45, "480p": 20, "360p": 10 };

/** A startup time (ms): log-normal around 600 ms, slower on mobile. */
function startupOf(r: Random, device: string): number {
  const normal = Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
  const base = device === "mobile" ? 800 : 550;
  return Math.max(50, Math.min(60_000, Math.round(base * Math.exp(0.6 * normal))));
}

/** One session's beacons (request, start, end; or an early exit; or a fatal error), from `at`. */
function sessionBeacons(
  r: Random,
  v: AnalyticsVideo,
  o: AnalyticsSeedOptions,
  at: number,
  n: number,
): RawBeacon[] {
  const profileId = `seedviewer${Math.floor(r.next() ** 2 * o.audience)}`;
  const base = { profileId, videoId: v.id, sessionId: `s${at.toString(36)}${n}`, positionMs: 0, playedMs: 0 };
  const country = r.weighted(COUNTRIES);
  const device = r.weighted(DEVICES);
  const player = r.weighted(PLAYERS);
  const request: StoredQoe = { source: r.weighted(SOURCES) };
  if (player !== "unknown") request.player = player;
  const beacon = (
    kind: string,
    offset: number,
    rest: Partial<RawBeacon>,
    qoe: StoredQoe | null,
  ): RawBeacon => ({
    ...base,
    kind,
    occurredAt: at + offset,
    qoe: qoe ? JSON.stringify(qoe) : null,
    country: country === "XX" ? null : country,
    device,
    ...rest,
  });
  const out = [beacon("request", 0, {}, request)];
  const fate = r.next();
  if (fate < 0.04) return out; // left before the first frame
  const startupMs = startupOf(r, device);
  if (fate < 0.06) return [...out, beacon("error", startupMs, {}, { error: "networkError:fragLoadError" })];
  out.push(beacon("start", startupMs, {}, { startupMs }));
  // Most leave early, some watch to the end: a retention curve that falls, then flattens.
  const watched = Math.max(1000, Math.round(v.durationMs * Math.min(1, r.next() ** 1.6 * 1.15)));
  const stalls = r.next() < 0.15 ? r.int(1, 3) : 0;
  const rebufferMs = stalls * r.int(200, 2500);
  const label = r.weighted(RENDITIONS);
  out.push(
    beacon(
      "end",
      startupMs + watched + rebufferMs,
      { positionMs: watched, playedMs: watched },
      {
        rebufferCount: stalls,
        rebufferMs,
        renditions: { [label]: [watched, rebufferMs] },
        switches: 0,
        ranges: [[0, watched]],
      },
    ),
  );
  return out;
}

/** The bucket of `count` sessions starting in [from, from + span). */
function bucketOfSessions(
  r: Random,
  v: AnalyticsVideo,
  o: AnalyticsSeedOptions,
  from: number,
  span: number,
  count: number,
): Bucket {
  const beacons: RawBeacon[] = [];
  for (let n = 0; n < count; n++)
    beacons.push(...sessionBeacons(r, v, o, from + Math.floor(r.next() * span), n));
  return bucketFromSessions(sessionsOf(beacons, v.durationMs), v.durationMs);
}

/** Sessions in one stretch: the video's mean, a weekly wave and noise. */
function sessionCount(r: Random, v: AnalyticsVideo, start: number, share: number): number {
  const weekday = new Date(start).getUTCDay();
  const wave = weekday === 0 || weekday === 6 ? 1.25 : 0.92;
  const mean = v.sessionsPerDay * share * wave * (0.6 + 0.8 * r.next());
  return Math.floor(mean) + (r.next() < mean - Math.floor(mean) ? 1 : 0);
}

type Key = `${AnalyticsStoredGrain}\t${number}`;
const keyOf = (grain: AnalyticsStoredGrain, start: number): Key => `${grain}\t${start}`;

/** The first ms of the UTC month holding `ms`. */
function monthOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

interface Rows {
  periods: (typeof t.analyticsPeriods.$inferInsert)[];
  dims: (typeof t.analyticsDims.$inferInsert)[];
  startup: (typeof t.analyticsStartup.$inferInsert)[];
}

function pushRows(rows: Rows, made: ReturnType<typeof bucketRows>): void {
  rows.periods.push(made.period);
  rows.dims.push(...made.dims);
  rows.startup.push(...made.startup);
}

function writeRows(db: SeedDb, rows: Rows, add: Counter): void {
  db.transaction(() => {
    add("analytics_periods", insertRows(db, t.analyticsPeriods, rows.periods));
    add("analytics_dims", insertRows(db, t.analyticsDims, rows.dims));
    add("analytics_startup", insertRows(db, t.analyticsStartup, rows.startup));
  });
}

/**
 * Writes the videos' rows (one video at a time, so memory stays flat), then their channels' and the
 * platform's. Returns the number of sessions generated.
 */
export function seedAnalytics(
  db: SeedDb,
  videos: AnalyticsVideo[],
  o: AnalyticsSeedOptions,
  add: Counter,
): number {
  const today = Math.floor(o.now / DAY) * DAY;
  const firstDay = today - (o.days - 1) * DAY;
  const firstHourly = today - (o.hourlyDays - 1) * DAY;
  const computedAt = o.now;
  /** Per channel, per bucket: the merge of its videos' buckets so far (without retention). */
  const channels = new Map<string, Map<Key, Bucket>>();
  let sessions = 0;

  for (const v of videos) {
    const rows: Rows = { periods: [], dims: [], startup: [] };
    const perChannel = channels.get(v.channelId) ?? new Map<Key, Bucket>();
    channels.set(v.channelId, perChannel);
    const keep = (grain: AnalyticsStoredGrain, start: number, b: Bucket) => {
      if (b.views === 0) return; // an empty bucket has no rows (the rollup deletes them)
      pushRows(
        rows,
        bucketRows(b, { scope: "video", scopeId: v.id, grain, start, channelId: v.channelId }, computedAt),
      );
      const key = keyOf(grain, start);
      const prior = perChannel.get(key);
      perChannel.set(key, prior ? mergeBuckets([prior, b], false) : mergeBuckets([b], false));
    };
    // The month's day buckets so far: its month row is their merge, written when the month ends.
    let month: Bucket[] = [];
    const keepDay = (day: number, b: Bucket) => {
      keep("day", day, b);
      if (b.views > 0) month.push(b);
      if (monthOf(day + DAY) !== monthOf(day) || day === today) {
        if (month.length > 0) keep("month", monthOf(day), mergeBuckets(month, true));
        month = [];
      }
    };
    for (let day = firstDay; day <= today; day += DAY) {
      if (day < firstHourly) {
        const b = bucketOfSessions(o.r, v, o, day, DAY, sessionCount(o.r, v, day, 1));
        sessions += b.views;
        keepDay(day, b);
        continue;
      }
      // Recent days: hours first; the day is their merge (as the rollup makes it). No future hours.
      const hours: Bucket[] = [];
      for (let hour = day; hour < day + DAY && hour <= o.now; hour += HOUR) {
        const b = bucketOfSessions(
          o.r,
          v,
          o,
          hour,
          Math.min(HOUR, o.now - hour + 1),
          sessionCount(o.r, v, hour, 1 / 24),
        );
        sessions += b.views;
        keep("hour", hour, b);
        hours.push(b);
      }
      keepDay(day, mergeBuckets(hours, true));
    }
    writeRows(db, rows, add);
  }

  // Channels: the merge of their videos; the platform: of every channel, the seeded and any already there.
  const platform = new Map<Key, Bucket[]>();
  const channelRows: Rows = { periods: [], dims: [], startup: [] };
  for (const [channelId, buckets] of channels) {
    for (const [key, b] of buckets) {
      const [grain, start] = key.split("\t") as [AnalyticsStoredGrain, string];
      pushRows(
        channelRows,
        bucketRows(
          b,
          { scope: "channel", scopeId: channelId, grain, start: Number(start), channelId: null },
          computedAt,
        ),
      );
      const list = platform.get(key) ?? [];
      list.push(b);
      platform.set(key, list);
    }
  }
  writeRows(db, channelRows, add);
  const platformRows: Rows = { periods: [], dims: [], startup: [] };
  // From the first month's start: its month row sums days before the seeded ones.
  const existing = storedPlatform(db, monthOf(firstDay), today + DAY);
  db.transaction(() => {
    for (const [key, list] of platform) {
      const [grain, start] = key.split("\t") as [AnalyticsStoredGrain, string];
      const prior = existing.get(key);
      if (prior) list.push(prior);
      deletePlatformBucket(db, grain, Number(start));
      pushRows(
        platformRows,
        bucketRows(
          mergeBuckets(list, false),
          { scope: "platform", scopeId: "", grain, start: Number(start), channelId: null },
          computedAt,
        ),
      );
    }
  });
  writeRows(db, platformRows, add);
  return sessions;
}

/** The platform's rows already in [from, to), as buckets. */
function storedPlatform(db: SeedDb, from: number, to: number): Map<Key, Bucket> {
  const where = <T extends typeof t.analyticsPeriods | typeof t.analyticsDims | typeof t.analyticsStartup>(
    x: T,
  ) => and(eq(x.scope, "platform"), gte(x.start, from), lt(x.start, to));
  const periods = db.select().from(t.analyticsPeriods).where(where(t.analyticsPeriods)).all();
  const dims = db.select().from(t.analyticsDims).where(where(t.analyticsDims)).all();
  const startup = db.select().from(t.analyticsStartup).where(where(t.analyticsStartup)).all();
  const out = new Map<Key, Bucket>();
  for (const p of periods) {
    const same = (x: { grain: string; start: number }) => x.grain === p.grain && x.start === p.start;
    out.set(keyOf(p.grain, p.start), bucketFromRows(p, dims.filter(same), startup.filter(same)));
  }
  return out;
}

function deletePlatformBucket(db: SeedDb, grain: AnalyticsStoredGrain, start: number): void {
  for (const x of [t.analyticsPeriods, t.analyticsDims, t.analyticsStartup])
    db.delete(x)
      .where(and(eq(x.scope, "platform"), eq(x.grain, grain), eq(x.start, start)))
      .run();
}

/**
 * `--reset-seeded`: removes the seeded videos' and channels' rows, and rebuilds the platform's
 * buckets they were part of from the channels' rows that remain (deleting a bucket left empty).
 */
export function resetSeededAnalytics(db: SeedDb): void {
  const seeded = (x: typeof t.analyticsPeriods | typeof t.analyticsDims | typeof t.analyticsStartup) =>
    or(
      and(eq(x.scope, "video"), inSeedRange(x.scopeId, "vid")),
      and(eq(x.scope, "channel"), inSeedRange(x.scopeId, "chn")),
    );
  const p = t.analyticsPeriods;
  const touched = db
    .selectDistinct({ grain: p.grain, start: p.start })
    .from(p)
    .where(and(eq(p.scope, "channel"), inSeedRange(p.scopeId, "chn")))
    .all();
  db.transaction(() => {
    for (const x of [t.analyticsPeriods, t.analyticsDims, t.analyticsStartup])
      db.delete(x).where(seeded(x)).run();
    for (const { grain, start } of touched) {
      deletePlatformBucket(db, grain, start);
      const at = <T extends typeof t.analyticsPeriods | typeof t.analyticsDims | typeof t.analyticsStartup>(
        x: T,
      ) => and(eq(x.scope, "channel"), eq(x.grain, grain), eq(x.start, start));
      const periods = db.select().from(p).where(at(p)).all();
      if (periods.length === 0) continue;
      const dims = db.select().from(t.analyticsDims).where(at(t.analyticsDims)).all();
      const startup = db.select().from(t.analyticsStartup).where(at(t.analyticsStartup)).all();
      const merged = mergeBuckets(
        periods.map((c) =>
          bucketFromRows(
            c,
            dims.filter((d) => d.scopeId === c.scopeId),
            startup.filter((s) => s.scopeId === c.scopeId),
          ),
        ),
        false,
      );
      const made = bucketRows(
        merged,
        { scope: "platform", scopeId: "", grain, start, channelId: null },
        Date.now(),
      );
      insertRows(db, t.analyticsPeriods, [made.period]);
      insertRows(db, t.analyticsDims, made.dims);
      insertRows(db, t.analyticsStartup, made.startup);
    }
  });
}

/** Which videos get analytics: the first `count` listed ones, busiest first (a long tail after). */
export function analyticsVideosOf(
  listed: { id: string; channelId: string; durationMs: number }[],
  count: number,
  r: Random,
): AnalyticsVideo[] {
  return listed.slice(0, count).map((v, rank) => ({
    ...v,
    // Zipf-like: the first video ~12 sessions a day, the 50th ~0.4, the rest a few a week. Kept small:
    // every session adds dimension and startup-histogram rows to its video, channel and platform buckets.
    sessionsPerDay: Math.max(0.15, (12 / (1 + rank) ** 0.9) * (0.7 + 0.6 * r.next())),
  }));
}
