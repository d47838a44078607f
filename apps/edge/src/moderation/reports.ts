/**
 * Reports and auto-hide (docs/moderation.md, "Reports", "Auto-hide"). A report joins its target's
 * case under review (one per target until decided; made by the first report). In the same D1 batch
 * as the report, the case's counts are recomputed and — when the weighted open reports filed within
 * `windowHours` reach `autoHideThreshold` — the case is marked hidden, the target held and an audit
 * row written. Every one of those statements is conditional, and D1 runs a batch as one transaction,
 * so any number of concurrent reports make one case and hide the target exactly once.
 */
import type { ReportTargetType } from "@marquee/shared";
import { and, desc, eq, exists, isNull, ne, notExists, type SQL, sql } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { gate } from "../auth/limits";
import { can, requireProfile } from "../auth/permissions";
import { auditLog, moderationCases, reports } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import { bumpGeneration } from "../playback/revocation";
import type { Services } from "../services";
import { flagOn, getSettings } from "../settings/store";
import { loadForAction } from "../social/comments/visibility";
import type { Actor } from "../types";
import { assertCanRead, loadVideo } from "../videos/access";
import type { Report, ReportCreate } from "./report-schemas";
import { revokeChannelMedia } from "./revoke";
import { holdTarget, resolveTarget, type TargetInfo } from "./targets";
import { reporterWeight } from "./weights";

type ReportRow = typeof reports.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function reportView(r: ReportRow): Report {
  return {
    id: r.id,
    targetType: r.targetType,
    targetId: r.targetId,
    reason: r.reason,
    text: r.text,
    atSeconds: r.atMs === null ? null : r.atMs / 1000,
    state: r.state,
    outcome: r.outcome ?? null,
    createdAt: new Date(r.createdAt).toISOString(),
    resolvedAt: iso(r.resolvedAt),
  };
}

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", { errors: [{ path, message }] });

const noSuchTarget = (type: ReportTargetType) => new AppError("not_found", `No such ${type}`);

/**
 * The target as the reporter may see it: 404 for one that does not exist or that they cannot see
 * (a private or held video, a comment hidden from them, a hidden channel), exactly as reading it would.
 */
async function targetFor(s: Services, actor: Actor, type: ReportTargetType, id: string): Promise<TargetInfo> {
  const target = await resolveTarget(s.db, type, id);
  if (!target) throw noSuchTarget(type);
  if (type === "video") {
    assertCanRead(actor, await loadVideo(s.db, id));
  } else if (type === "comment") {
    await loadForAction(s, actor, id);
  } else if (target.hidden && target.ownerAccountId !== actor.accountId && !can(actor, "moderation.queue")) {
    throw noSuchTarget(type);
  }
  return target;
}

/** The target's case still under review (open or claimed), as a one-row subquery's condition. */
const openCaseOf = (type: ReportTargetType, id: string): SQL =>
  and(
    eq(moderationCases.targetType, type),
    eq(moderationCases.targetId, id),
    ne(moderationCases.state, "decided"),
  ) as SQL;

/** Files a report as the actor's account and active profile (201), hiding the target at the threshold. */
export async function fileReport(s: Services, actor: Actor, input: ReportCreate): Promise<Report> {
  const profileId = requireProfile(actor, "report.create");
  const settings = await getSettings(s);
  if (!(await flagOn(settings, "reports", actor.accountId))) {
    throw new AppError("forbidden", "Reporting is not available for this account yet");
  }
  const { targetType, targetId } = input;
  if (input.atSeconds !== undefined && targetType !== "video") {
    throw invalid("json.atSeconds", "Only a video report has a position");
  }
  const target = await targetFor(s, actor, targetType, targetId);
  if (target.ownerAccountId === actor.accountId) {
    throw new AppError("forbidden", `You cannot report your own ${targetType}`);
  }
  const atMs = input.atSeconds === undefined ? null : Math.round(input.atSeconds * 1000);
  if (atMs !== null && target.durationMs !== null && atMs > target.durationMs) {
    throw invalid("json.atSeconds", `The video is ${Math.floor(target.durationMs / 1000)} seconds long`);
  }
  const already = await s.db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        eq(reports.reporterAccountId, actor.accountId),
        eq(reports.targetType, targetType),
        eq(reports.targetId, targetId),
        eq(reports.state, "open"),
      ),
    )
    .get();
  if (already) throw alreadyReported(targetType);

  const cfg = settings.reports;
  // Counted per account, whatever profile files; a report refused after this point is forgiven.
  const limit = await gate(
    s.env,
    [[`reports:${actor.accountId}`, { limit: cfg.perAccountPerHour, windowSeconds: 3600 }]],
    "reports",
  );
  try {
    const weight = await reporterWeight(s.db, actor, { targetType, targetId }, cfg);
    const { row, hidden } = await insertReport(s, {
      target,
      reporter: { accountId: actor.accountId, profileId },
      reason: input.reason,
      text: input.text ?? "",
      atMs,
      weight,
      threshold: cfg.autoHideThreshold,
      windowHours: cfg.windowHours,
    });
    if (hidden) {
      // Links already handed out (playback, posters) stop working: the media generation moves — the
      // video's, or every video's of a held channel. The report and the hide are stored either way,
      // so a failure here is logged, not a 500 (old links then lapse within the token lifetime).
      if (targetType === "video") {
        await bumpGeneration(s.env.SETTINGS, targetId).catch((error) =>
          s.log("error", { event: "media-revoke-failed", videoId: targetId, error: String(error) }),
        );
      } else if (targetType === "channel") {
        await revokeChannelMedia(s, { channelId: targetId });
      }
      await sealQuietly(s, "auto-hide");
    }
    return reportView(row);
  } catch (error) {
    await limit.forgive();
    if (uniqueViolation(error) !== null) throw alreadyReported(targetType);
    throw error;
  }
}

const alreadyReported = (type: ReportTargetType) =>
  new AppError("conflict", `You have already reported this ${type}; it is under review`);

interface NewReport {
  target: TargetInfo;
  reporter: { accountId: string; profileId: string };
  reason: ReportCreate["reason"];
  text: string;
  atMs: number | null;
  weight: number;
  threshold: number;
  windowHours: number;
}

/** The one batch: case (if none), report, case counts, the conditional hide, the hold and its audit row. */
async function insertReport(s: Services, r: NewReport) {
  const { db } = s;
  const { targetType, targetId } = r.target;
  const now = Date.now();
  const windowStart = now - r.windowHours * 3_600_000;
  const open = openCaseOf(targetType, targetId);
  const caseId = db.select({ id: moderationCases.id }).from(moderationCases).where(open);
  const reportId = newId("rpt");
  // The open reports of the case being written, summed (a correlated subquery: drizzle has no
  // update-from-aggregate, hence `sql`).
  const openOfCase = sql`FROM ${reports} WHERE ${reports.caseId} = ${moderationCases.id} AND ${reports.state} = 'open'`;
  // The hold runs only when this batch's threshold statement matched: never for a case hidden
  // earlier (its target may have been released since; one more report must not hold it again).
  const hidByThisBatch = exists(
    db
      .select({ id: moderationCases.id })
      .from(moderationCases)
      .where(hiddenNow(s, r.target, now)),
  );
  const [, [inserted], , hid] = await db.batch([
    // The first report of a target under review makes its case; later ones find it (the partial
    // unique index on open cases makes a concurrent second insert a no-op).
    db
      .insert(moderationCases)
      .values({
        id: newId("case"),
        targetType,
        targetId,
        ownerAccountId: r.target.ownerAccountId,
        state: "open",
        firstReportedAt: now,
        lastReportedAt: now,
      })
      .onConflictDoNothing(),
    db
      .insert(reports)
      .values({
        id: reportId,
        caseId: sql`(${caseId})`,
        reporterAccountId: r.reporter.accountId,
        reporterProfileId: r.reporter.profileId,
        targetType,
        targetId,
        reason: r.reason,
        text: r.text,
        atMs: r.atMs,
        weight: r.weight,
        state: "open",
        createdAt: now,
      })
      .returning(),
    db
      .update(moderationCases)
      .set({
        openReports: sql`(SELECT count(*) ${openOfCase})`,
        weight: sql`(SELECT coalesce(sum(${reports.weight}), 0) ${openOfCase})`,
        lastReportedAt: now,
        updatedAt: now,
      })
      .where(open),
    // The threshold, counted inside the statement: only the batch that crosses it sets hidden_at.
    db
      .update(moderationCases)
      .set({ hiddenAt: now, updatedAt: now })
      .where(
        and(
          open,
          isNull(moderationCases.hiddenAt),
          sql`(SELECT coalesce(sum(${reports.weight}), 0) ${openOfCase} AND ${reports.createdAt} >= ${windowStart}) >= ${r.threshold}`,
        ),
      )
      .returning({ id: moderationCases.id }),
    // Each hold statement is guarded by its target's state too, so repeating it is a no-op.
    ...holdTarget(db, targetType, targetId, hidByThisBatch),
    autoHideAudit(s, r, now),
  ]);
  if (!inserted) throw new Error("report insert returned no row");
  return { row: inserted, hidden: hid.length > 0 };
}

/**
 * The condition (on a `moderation_cases` row) that the batch at `now` is the one that hid the case:
 * the threshold statement set hidden_at to this batch's time, and no auto-hide audit row names the
 * case yet (the batch writes it last, so a second batch in the same millisecond finds it). The holds
 * and the audit row are guarded by it.
 */
function hiddenNow(s: Services, target: TargetInfo, now: number): SQL {
  const { db } = s;
  const { targetType, targetId } = target;
  // The audit row's case id is inside its JSON `after` (audit rows have no case column), hence `sql`.
  const auditedCase = sql`json_extract(${auditLog.after}, '$.caseId') = ${moderationCases.id}`;
  return and(
    openCaseOf(targetType, targetId),
    eq(moderationCases.hiddenAt, now),
    notExists(
      db
        .select({ seq: auditLog.seq })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.targetType, targetType),
            eq(auditLog.targetId, targetId),
            eq(auditLog.action, "moderation.auto_hide"),
            auditedCase,
          ),
        ),
    ),
  ) as SQL;
}

/**
 * The audit row of an auto-hide, written only by the batch whose hide matched (hiddenNow) and so
 * only once per case. auditInsert cannot be conditional, so this is drizzle's INSERT … SELECT, with
 * the row shaped as auditInsert shapes it.
 */
function autoHideAudit(s: Services, r: NewReport, now: number) {
  const { db } = s;
  const { targetType, targetId } = r.target;
  return db.insert(auditLog).select(
    db
      .select({
        // Every column, in the table's order (drizzle's INSERT … SELECT requires it); seq NULL = next.
        seq: sql<number>`NULL`.as("seq"),
        at: sql<number>`${now}`.as("at"),
        actorAccountId: sql<null>`NULL`.as("actor_account_id"),
        actorRoles: sql<string>`${JSON.stringify(["system"])}`.as("actor_roles"),
        action: sql<string>`'moderation.auto_hide'`.as("action"),
        targetType: sql<string>`${targetType}`.as("target_type"),
        targetId: sql<string>`${targetId}`.as("target_id"),
        before: sql<string>`${JSON.stringify({ state: r.target.state })}`.as("before"),
        after:
          sql<string>`json_object('caseId', ${moderationCases.id}, 'state', 'held', 'weight', ${moderationCases.weight}, 'threshold', ${r.threshold}, 'windowHours', ${r.windowHours})`.as(
            "after",
          ),
        reason:
          sql<string>`${`Reports reached the auto-hide threshold (${r.threshold} within ${r.windowHours} h)`}`.as(
            "reason",
          ),
        requestId: sql<string | null>`${s.requestId ?? null}`.as("request_id"),
        prevHash: sql<null>`NULL`.as("prev_hash"),
        hash: sql<null>`NULL`.as("hash"),
      })
      .from(moderationCases)
      .where(hiddenNow(s, r.target, now)),
  );
}

/**
 * The caller's account's reports, newest first, with their state and outcome. A kids profile sees
 * only the reports it filed itself: the others carry the grown-ups' words about what they reported.
 */
export async function listMyReports(s: Services, actor: Actor, query: ListQuery) {
  const profileId = requireProfile(actor, "reports.own.read");
  const after = query.cursor ? decodeCursor(query.cursor, "my-reports", TimeKey) : null;
  const rows = await s.db
    .select()
    .from(reports)
    .where(
      and(
        eq(reports.reporterAccountId, actor.accountId),
        actor.profileMaturity === "kids" ? eq(reports.reporterProfileId, profileId) : undefined,
        after ? newestAfter(reports.createdAt, reports.id, after) : undefined,
      ),
    )
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(query.limit + 1)
    .all();
  const page = keysetPage(
    rows,
    query.limit,
    "my-reports",
    (last): TimeKey => ({ t: last.createdAt, i: last.id }),
  );
  return { items: page.items.map(reportView), nextCursor: page.nextCursor };
}
