/**
 * How much one report counts towards auto-hide (docs/moderation.md, "Weight"): 1, or
 * `reports.trustedWeight` for a trusted flagger — a moderator or admin, or an account whose past
 * reports were mostly upheld (at least `reputationMinDecided` decided, `reputationMinUpheldPct`% upheld).
 *
 * Some reports count 0: they are filed and join the case (a moderator still reviews them) but cannot
 * hide anything on their own. Auto-hide takes content down before anyone has looked at it, so it must
 * not be a lever a stranger can pull at will to lock an owner out:
 * - an account whose email is not verified (free to make by the dozen);
 * - an account that already has a dismissed report on this same target (a moderator cleared it; the
 *   same accounts reporting again must not hide it again — a new case still reaches the queue);
 * - an account with a poor record (at least `reputationMinDecided` decided reports, under
 *   UNRELIABLE_UPHELD_PCT % of them upheld): its reports are mostly wrong.
 */
import type { DynamicSettings, ReportTargetType, Role } from "@marquee/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { reports } from "../db/schema";

export interface Reputation {
  decided: number;
  upheld: number;
}

/** Under this share of upheld decided reports (with enough of them decided), a reporter counts 0. */
export const UNRELIABLE_UPHELD_PCT = 20;

interface ReporterRecord extends Reputation {
  /** Dismissed reports of this account on the target being reported. */
  dismissedOnTarget: number;
}

/** The account's decided reports, how many were upheld, and how many dismissed ones name `target`. */
async function recordOf(
  db: Db,
  accountId: string,
  target: { targetType: ReportTargetType; targetId: string },
): Promise<ReporterRecord> {
  // Aggregates over the account's decided reports in one read (sum of a boolean: drizzle has no
  // count-if, hence `sql`).
  const row = await db
    .select({
      decided: sql<number>`count(*)`,
      upheld: sql<number>`coalesce(sum(${reports.state} = 'upheld'), 0)`,
      dismissedOnTarget: sql<number>`coalesce(sum(${reports.state} = 'dismissed' AND ${reports.targetType} = ${target.targetType} AND ${reports.targetId} = ${target.targetId}), 0)`,
    })
    .from(reports)
    .where(and(eq(reports.reporterAccountId, accountId), inArray(reports.state, ["upheld", "dismissed"])))
    .get();
  return {
    decided: Number(row?.decided ?? 0),
    upheld: Number(row?.upheld ?? 0),
    dismissedOnTarget: Number(row?.dismissedOnTarget ?? 0),
  };
}

/** Whether a record of past reports makes a trusted flagger (integer arithmetic: no rounding at the edge). */
export function reputable(r: Reputation, settings: DynamicSettings["reports"]): boolean {
  return (
    r.decided >= settings.reputationMinDecided &&
    r.upheld * 100 >= settings.reputationMinUpheldPct * r.decided
  );
}

/** Whether a record of past reports is mostly wrong (enough decided, under UNRELIABLE_UPHELD_PCT % upheld). */
export function unreliable(r: Reputation, settings: DynamicSettings["reports"]): boolean {
  return r.decided >= settings.reputationMinDecided && r.upheld * 100 < UNRELIABLE_UPHELD_PCT * r.decided;
}

export const isStaff = (roles: readonly Role[]) => roles.includes("moderator") || roles.includes("admin");

/**
 * The weight of the report this account is filing on `target`. Staff count `trustedWeight` (roles
 * an admin granted); everyone else is read from their record, and counts 0 in the cases above.
 */
export async function reporterWeight(
  db: Db,
  reporter: { accountId: string; roles: readonly Role[]; emailVerified: boolean },
  target: { targetType: ReportTargetType; targetId: string },
  settings: DynamicSettings["reports"],
): Promise<number> {
  if (isStaff(reporter.roles)) return settings.trustedWeight;
  if (!reporter.emailVerified) return 0;
  const record = await recordOf(db, reporter.accountId, target);
  if (record.dismissedOnTarget > 0 || unreliable(record, settings)) return 0;
  return reputable(record, settings) ? settings.trustedWeight : 1;
}
