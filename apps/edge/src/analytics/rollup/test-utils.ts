/** Helpers for the rollup tests: raw beacons straight into D1, dirty marks, and reading the rows. */
import { and, eq, sql } from "drizzle-orm";
import { testDb } from "../../../test/fixtures";
import { unique } from "../../../test/harness";
import {
  analyticsDims,
  analyticsDirty,
  analyticsPeriods,
  analyticsStartup,
  playbackEvents,
} from "../../db/schema";
import { HOUR_MS, hourOf } from "./sessions";

/** A distinct hour per call, far from every other test's (platform buckets are shared by all). */
let nextHour = 0;
const BASE = Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 8_000) * HOUR_MS * 24;
export function freshHour(): number {
  nextHour += 48;
  return BASE + nextHour * HOUR_MS;
}

export type EventRow = typeof playbackEvents.$inferInsert;

export interface RawInput {
  profileId: string;
  videoId: string;
  sessionId: string;
  kind: "request" | "start" | "heartbeat" | "end" | "error";
  occurredAt: number;
  positionMs?: number;
  playedMs?: number;
  qoe?: object | null;
  country?: string | null;
  device?: string | null;
  beaconId?: string;
}

export const rawRow = (b: RawInput): EventRow => ({
  profileId: b.profileId,
  beaconId: b.beaconId ?? unique("b").replace(/[^A-Za-z0-9_-]/g, ""),
  accountId: `acc-${b.profileId}`,
  videoId: b.videoId,
  sessionId: b.sessionId,
  kind: b.kind,
  positionMs: b.positionMs ?? 0,
  playedMs: b.playedMs ?? 0,
  occurredAt: b.occurredAt,
  receivedAt: Date.now(),
  qoe: b.qoe ? JSON.stringify(b.qoe) : null,
  country: b.country ?? null,
  device: b.device ?? null,
});

/**
 * Stores beacons as the ingest does: a retried beacon id is a no-op, and every (video, hour) of
 * the batch is marked dirty (its version bumped when marked already).
 */
export async function storeRaw(rows: EventRow[]): Promise<void> {
  const db = testDb();
  for (let i = 0; i < rows.length; i += 7)
    await db
      .insert(playbackEvents)
      .values(rows.slice(i, i + 7))
      .onConflictDoNothing();
  const marks = new Map(
    rows.map((r) => [
      `${r.videoId}\t${hourOf(r.occurredAt)}`,
      { videoId: r.videoId, hour: hourOf(r.occurredAt) },
    ]),
  );
  for (const mark of marks.values())
    await db
      .insert(analyticsDirty)
      .values(mark)
      .onConflictDoUpdate({
        target: [analyticsDirty.videoId, analyticsDirty.hour],
        // Raw SQL because drizzle has no "column + 1" expression: the same upsert the ingest sends.
        set: { version: sql`${analyticsDirty.version} + 1` },
      });
}

/**
 * A viewer's session as the web player sends it: a request, a start after `startupMs`, then a
 * heartbeat every 10 s of content with its range, up to `untilMs`.
 */
export function watchRows(
  videoId: string,
  profileId: string,
  untilMs: number,
  at: number,
  extra: { startupMs?: number; country?: string; device?: string; source?: string } = {},
): EventRow[] {
  const sessionId = unique("s").replace(/[^A-Za-z0-9_-]/g, "");
  const startupMs = extra.startupMs ?? 400;
  const common = {
    profileId,
    videoId,
    sessionId,
    country: extra.country ?? null,
    device: extra.device ?? null,
  };
  const out = [
    rawRow({
      ...common,
      kind: "request",
      occurredAt: at,
      qoe: { source: extra.source ?? "search", player: "web-1" },
    }),
    rawRow({ ...common, kind: "start", occurredAt: at + startupMs, qoe: { startupMs } }),
  ];
  for (let prev = 0; prev < untilMs; prev += 10_000) {
    const to = Math.min(prev + 10_000, untilMs);
    out.push(
      rawRow({
        ...common,
        kind: "heartbeat",
        occurredAt: at + startupMs + to,
        positionMs: to,
        playedMs: to - prev,
        qoe: { ranges: [[prev, to]] },
      }),
    );
  }
  return out;
}

/** Every rollup row of one bucket (computedAt left out: it is when, not what). */
export async function bucketRowsStored(
  scope: "video" | "channel" | "platform",
  scopeId: string,
  grain: "hour" | "day" | "month",
  start: number,
) {
  const db = testDb();
  const where = <T extends typeof analyticsPeriods | typeof analyticsDims | typeof analyticsStartup>(t: T) =>
    and(eq(t.scope, scope), eq(t.scopeId, scopeId), eq(t.grain, grain), eq(t.start, start));
  const [period] = await db.select().from(analyticsPeriods).where(where(analyticsPeriods));
  const dims = await db
    .select()
    .from(analyticsDims)
    .where(where(analyticsDims))
    .orderBy(analyticsDims.dim, analyticsDims.value);
  const startup = await db
    .select()
    .from(analyticsStartup)
    .where(where(analyticsStartup))
    .orderBy(analyticsStartup.dim, analyticsStartup.value, analyticsStartup.bucket);
  if (!period) return { period: undefined, dims, startup };
  const { computedAt: _, ...figures } = period;
  return { period: figures, dims, startup };
}

/** The dirty marks of a video. */
export const marksOf = (videoId: string) =>
  testDb().select().from(analyticsDirty).where(eq(analyticsDirty.videoId, videoId));
