/**
 * Reporting's part in erasure (docs/events.md).
 *
 * A deleted profile's reports stay (the case still counts them) but forget which profile filed them:
 * `reporter_profile_id` becomes null, so no outcome notice goes to a profile that is gone. Bounded by
 * the profile's reports (at most `perAccountPerHour` an hour, so a small set).
 *
 * A deleted account's reports go with its row (ON DELETE CASCADE), before `account.deleted` is
 * delivered: the open cases they belonged to then count reports that no longer exist. The event
 * cannot name those cases any more (the rows are gone), so the handler recomputes `open_reports`
 * and `weight` of every case under review whose stored counts disagree with its report rows — the
 * same subqueries as the report insert. Bounded: it looks only at cases under review (the queue,
 * by its state index), fixes at most RECOUNT_ROWS per statement and RECOUNT_BATCHES statements per
 * delivery (past that it throws, so the queue redelivers and the next run carries on).
 * A case already hidden stays hidden: a moderator decides it. Both reactions are idempotent.
 */
import { and, inArray, ne, or, sql } from "drizzle-orm";
import { createDb, type Db } from "../db/client";
import { moderationCases, reports } from "../db/schema";
import { chunksOf, deleteInBatches, onErasure } from "../events/erasure";

export async function forgetReportingProfiles(env: Env, profileIds: readonly string[]): Promise<void> {
  const db = createDb(env.DB);
  for (const ids of chunksOf(profileIds)) {
    await db.update(reports).set({ reporterProfileId: null }).where(inArray(reports.reporterProfileId, ids));
  }
}

const RECOUNT_ROWS = 200;
const RECOUNT_BATCHES = 50;

/**
 * Recomputes the counts of up to `limit` cases under review whose counts drifted from their open
 * report rows; how many it fixed. Correlated subqueries (drizzle has no update-from-aggregate,
 * hence `sql`), the same as reports.ts `insertReport`.
 */
export async function recountDriftedCases(db: Db, limit: number): Promise<number> {
  const openOfCase = sql`FROM ${reports} WHERE ${reports.caseId} = ${moderationCases.id} AND ${reports.state} = 'open'`;
  const count = sql`(SELECT count(*) ${openOfCase})`;
  const weight = sql`(SELECT coalesce(sum(${reports.weight}), 0) ${openOfCase})`;
  const drifted = db
    .select({ id: moderationCases.id })
    .from(moderationCases)
    .where(
      and(
        ne(moderationCases.state, "decided"),
        or(sql`${moderationCases.openReports} != ${count}`, sql`${moderationCases.weight} != ${weight}`),
      ),
    )
    .limit(limit);
  const fixed = await db
    .update(moderationCases)
    .set({ openReports: count, weight, updatedAt: Date.now() })
    .where(inArray(moderationCases.id, drifted))
    .returning({ id: moderationCases.id });
  return fixed.length;
}

/** Reporting's reactions to other domains' events (registered in events/consumer.ts). */
export const reportsEventHandlers = onErasure(async (env, { profileIds, wholeAccount }) => {
  await forgetReportingProfiles(env, profileIds);
  if (wholeAccount) {
    const db = createDb(env.DB);
    await deleteInBatches("moderation case recount", (rows) => recountDriftedCases(db, rows), {
      batchRows: RECOUNT_ROWS,
      maxBatches: RECOUNT_BATCHES,
    });
  }
});
