/**
 * The one way a domain erases what a deleted account or profile left in it: register an `erase`
 * function with `onErasure` (it answers both `account.deleted` and `profile.deleted`), and delete
 * large sets with `deleteInBatches`, which stops after a bounded amount of work per delivery and
 * fails the run on purpose so the queue redelivers and the next run carries on (a Worker invocation
 * has a time and subrequest budget; a profile with a million beacons must not blow it).
 *
 * Erasure must be idempotent: a delivery can run again after it partly or wholly succeeded.
 * Example: history/events.ts.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import type { EventHandlers } from "./handlers";

/** Who is being erased: a whole account (all its profiles) or one profile of it. */
export interface ErasureSubject {
  accountId: string;
  profileIds: readonly string[];
  /** true for `account.deleted`, false for `profile.deleted`. */
  wholeAccount: boolean;
}

export type Erase = (env: Env, subject: ErasureSubject) => Promise<void>;

/** Event handlers that run `erase` for a deleted account and for a deleted profile. */
export function onErasure(erase: Erase): EventHandlers {
  return {
    "account.deleted": [
      async (event, env) =>
        erase(env, {
          accountId: event.payload.accountId,
          profileIds: event.payload.profileIds,
          wholeAccount: true,
        }),
    ],
    "profile.deleted": [
      async (event, env) =>
        erase(env, {
          accountId: event.payload.accountId,
          profileIds: [event.payload.profileId],
          wholeAccount: false,
        }),
    ],
  };
}

export interface BatchLimits {
  /** Rows one statement deletes at most. */
  batchRows: number;
  /** Statements one delivery runs at most before handing over to the redelivery. */
  maxBatches: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { batchRows: 1_000, maxBatches: 50 };

/**
 * Runs `deleteBatch(batchRows)` (which deletes at most that many rows and says how many it
 * deleted) until a batch comes back short. Past `maxBatches` it throws, so the queue redelivers
 * the event and the next delivery continues where this one stopped.
 */
export async function deleteInBatches(
  what: string,
  deleteBatch: (batchRows: number) => Promise<number>,
  { batchRows, maxBatches }: BatchLimits = DEFAULT_BATCH_LIMITS,
): Promise<void> {
  for (let batch = 1; ; batch++) {
    const deleted = await deleteBatch(batchRows);
    if (deleted < batchRows) return;
    if (batch >= maxBatches) {
      throw new Error(`${what}: more rows than one run erases; continuing on redelivery`);
    }
  }
}

/** Splits ids into chunks that fit one D1 statement (D1 allows 100 bound parameters). */
export function chunksOf<T>(items: readonly T[], size = 90): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** A per-profile table: the column naming the profile and the column that tells its rows apart. */
export interface ProfileRows {
  table: SQLiteTable;
  profile: SQLiteColumn;
  key: SQLiteColumn;
}

/**
 * Deletes every row of `rows.table` belonging to `profileIds`, one profile at a time in bounded
 * batches (`deleteInBatches`): each statement deletes at most `batchRows` keys picked by a subquery.
 */
export async function deleteProfileRows(
  db: Db,
  what: string,
  { table, profile, key }: ProfileRows,
  profileIds: readonly string[],
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): Promise<void> {
  for (const profileId of profileIds) {
    await deleteInBatches(
      `profile ${profileId}'s ${what}`,
      async (batchRows) => {
        const batch = db.select({ key }).from(table).where(eq(profile, profileId)).limit(batchRows);
        const { meta } = await db.delete(table).where(and(eq(profile, profileId), inArray(key, batch)));
        return meta.changes;
      },
      limits,
    );
  }
}
