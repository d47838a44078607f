/**
 * The statements that store one beacon batch (history/beacons.ts): the fence against a concurrent
 * batch of the same profile, the playback_events inserts and the analytics_dirty marks. Split from
 * beacons.ts (which reads, checks and budgets the batch) to keep each file small; the caller runs
 * these with the videos' effects (beacon-effects.ts) in its one D1 batch.
 */
import type { DeviceClass } from "@marquee/shared";
import { and, eq, gt, ne, notExists, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { analyticsDirty, playbackEvents } from "../db/schema";
import type { NewBeacon } from "./beacon-effects";

/**
 * Bound parameters of one INSERT (D1 allows 100 per statement): 8 per row (id, video, session, kind,
 * position, played, occurred_at, qoe; premium is a literal), 5 for the statement (profile, account,
 * received_at, country, device), 3 for the fence (profile, last receipt, received_at) and the ids of
 * the batch's earlier rows (≤ 50 beacons a batch). The largest is the last full statement, 5 rows
 * after 45: 40 + 5 + 3 + 45 = 93.
 */
const BEACONS_PER_INSERT = 5;
/** (video, hour) marks per analytics_dirty INSERT: 2 parameters each, plus 3 (profile, received_at, the hour's length): 83. */
const DIRTY_PER_INSERT = 40;
export const HOUR_MS = 3_600_000;

/**
 * The fence: no beacon of the profile received since `last` was read, other than this batch's
 * own rows stored by its earlier statements (`own`: received at `now` with its ids). Otherwise a
 * concurrent batch spent the same budget and committed first. Every statement of the batch sees
 * the same other batches, so the fence holds for all of them or for none.
 */
export function batchFence(db: Db, profileId: string, last: number | null, now: number) {
  return (own: string[]): SQL =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(playbackEvents)
        .where(
          and(
            eq(playbackEvents.profileId, profileId),
            last === null ? undefined : gt(playbackEvents.receivedAt, last),
            own.length === 0
              ? undefined
              : or(ne(playbackEvents.receivedAt, now), notInArray(playbackEvents.beaconId, own)),
          ),
        ),
    );
}

export interface InsertFacts {
  profileId: string;
  accountId: string;
  /** The receipt time (the Worker's clock), stored as received_at. */
  now: number;
  country: string | null;
  device: DeviceClass | null;
  /** Whether the beacon's played time counts toward the premium pool (playback_events.premium). */
  earnsPremium: (b: NewBeacon) => boolean;
  fence: (own: string[]) => SQL;
}

/** The playback_events inserts of `rows`, BEACONS_PER_INSERT a statement, each returning the ids it stored. */
export function beaconInserts(db: Db, rows: NewBeacon[], f: InsertFacts) {
  const inserts = [];
  for (let i = 0; i < rows.length; i += BEACONS_PER_INSERT) {
    const values = sql.join(
      rows.slice(i, i + BEACONS_PER_INSERT).map(
        (b) =>
          // column8 (premium) is a literal 0/1, not a bound parameter: the statement stays under D1's 100.
          sql`(${b.id}, ${b.videoId}, ${b.sessionId}, ${b.kind}, ${b.positionMs}, ${b.played}, ${b.at}, ${sql.raw(f.earnsPremium(b) ? "1" : "0")}, ${b.storedQoe === null ? null : JSON.stringify(b.storedQoe)})`,
      ),
      sql`, `,
    );
    // INSERT … SELECT … FROM (VALUES …) WHERE fence, in the table's column order (drizzle's select
    // builder cannot select from VALUES). received_at is the Worker's clock, not D1's: playedBudget
    // measures gaps with this same `now`; the payouts close delay covers Worker/D1 clock skew.
    // country and device are the request's: one parameter each per statement, not per row.
    inserts.push(
      db
        .insert(playbackEvents)
        .select(
          sql`SELECT ${f.profileId}, column1, ${f.accountId}, column2, column3, column4, column5, column6, column7, ${f.now}, column8, column9, ${f.country}, ${f.device} FROM (VALUES ${values}) WHERE ${f.fence(rows.slice(0, i).map((b) => b.id))}`,
        )
        .onConflictDoNothing({ target: [playbackEvents.profileId, playbackEvents.beaconId] })
        .returning({ beaconId: playbackEvents.beaconId }),
    );
  }
  return inserts;
}

/**
 * Marks analytics_dirty for each (video, UTC hour of occurredAt) of the batch's new beacons, bumping
 * the version of an existing mark (the rollup deletes only the version it computed). A mark is made
 * only where this batch's inserts stored a row (received at `now`, by this profile, of that video in
 * that hour): a fenced or fully duplicate delivery stores nothing and so marks nothing.
 */
export function dirtyMarks(db: Db, profileId: string, rows: { videoId: string; at: number }[], now: number) {
  const pairs = new Map<string, [string, number]>();
  for (const b of rows) {
    const hour = Math.floor(b.at / HOUR_MS) * HOUR_MS;
    pairs.set(`${b.videoId}|${hour}`, [b.videoId, hour]);
  }
  const all = [...pairs.values()];
  const out = [];
  for (let i = 0; i < all.length; i += DIRTY_PER_INSERT) {
    const values = sql.join(
      all.slice(i, i + DIRTY_PER_INSERT).map(([videoId, hour]) => sql`(${videoId}, ${hour})`),
      sql`, `,
    );
    // INSERT … SELECT FROM (VALUES …) WHERE EXISTS: drizzle's select builder cannot select from VALUES.
    // The upsert's SELECT needs its WHERE anyway (SQLite's parsing rule for INSERT … SELECT … ON CONFLICT).
    // Columns: video_id, hour, version, attempts, retry_at (a new mark: version 1, no failed recompute).
    out.push(
      db
        .insert(analyticsDirty)
        .select(
          sql`SELECT v.column1, v.column2, 1, 0, 0 FROM (VALUES ${values}) AS v WHERE EXISTS (SELECT 1 FROM ${playbackEvents} WHERE ${playbackEvents.profileId} = ${profileId} AND ${playbackEvents.receivedAt} = ${now} AND ${playbackEvents.videoId} = v.column1 AND ${playbackEvents.occurredAt} >= v.column2 AND ${playbackEvents.occurredAt} < v.column2 + ${HOUR_MS})`,
        )
        .onConflictDoUpdate({
          target: [analyticsDirty.videoId, analyticsDirty.hour],
          set: { version: sql`${analyticsDirty.version} + 1` },
        }),
    );
  }
  return out;
}
