/**
 * The review queue (docs/moderation.md, "Queue"): staff list the cases, read one, claim it and
 * release it. A claim is a conditional UPDATE (the state and the claimant in its WHERE), so of two
 * moderators claiming at once exactly one gets the case; it lapses after
 * `settings.moderation.claimMinutes`, so a case someone walked away from returns to the queue.
 *
 * Audit rows of conditional actions are inserted with `auditIf`: INSERT … SELECT … WHERE the very
 * condition the action's UPDATE has, placed before it in the same batch (one transaction), so a
 * refused claim or a replayed decision leaves no row, and an applied one always has its row.
 */
import { type Maturity, REPORT_TARGET_TYPES, type ReportTargetType } from "@marquee/shared";
import { and, asc, desc, eq, exists, getTableColumns, gt, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { sealQuietly } from "../audit/chain";
import { type AuditActor, type AuditEntry, auditActorOf } from "../audit/log";
import { authorize } from "../auth/permissions";
import type { Db } from "../db/client";
import { auditLog, channels, comments, moderationCases, reports, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, keysetWhere, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import { getSettings } from "../settings/store";
import type { Actor } from "../types";
import type { CaseQuery } from "./schemas";
import { activeStrikesOfAccount, strikeViews } from "./strikes";

export type CaseRow = typeof moderationCases.$inferSelect;
const mc = moderationCases;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Reports shown with a case: the newest, plenty for a decision (the count is on the case). */
const CASE_REPORTS_SHOWN = 100;

/**
 * An INSERT of one row that happens only when `guard` holds (INSERT … SELECT … WHERE guard), for a
 * batch whose action is conditional: placed before the action's UPDATE, it sees the same state.
 * Raw `sql` because drizzle's insert-select wants a select of every column with a FROM; the values
 * go in the table's column order, mapped as drizzle maps them (JSON, booleans); absent → NULL (an
 * INTEGER PRIMARY KEY takes the next value), so callers pass every column that has a default.
 */
export function insertIf<T extends SQLiteTable>(
  db: Db,
  table: T,
  values: Partial<T["$inferInsert"]>,
  guard: SQL,
) {
  const given = values as Record<string, unknown>;
  const parts = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = given[key];
    return value === undefined || value === null ? sql`NULL` : sql`${column.mapToDriverValue(value)}`;
  });
  return db.insert(table).select(sql`SELECT ${sql.join(parts, sql`, `)} WHERE ${guard}`);
}

/** auditInsert's row, written only when `guard` holds (see insertIf). */
export function auditIf(
  s: Pick<Services, "db" | "requestId">,
  by: AuditActor,
  entry: AuditEntry,
  guard: SQL,
  at: number,
) {
  return insertIf(
    s.db,
    auditLog,
    {
      at,
      actorAccountId: by.accountId,
      actorRoles: by.roles,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      reason: entry.reason ?? null,
      requestId: s.requestId ?? null,
    },
    guard,
  );
}

/** `EXISTS (SELECT 1 FROM moderation_cases WHERE …)`: a guard on the case's state. */
export const caseWhere = (s: Pick<Services, "db">, where: SQL | undefined) =>
  exists(s.db.select({ one: sql`1` }).from(mc).where(where));

/** The case is claimed by `me` and the claim has not lapsed: the precondition of a decision. */
export const heldBy = (caseId: string, me: string, now: number) =>
  and(eq(mc.id, caseId), eq(mc.state, "claimed"), eq(mc.claimedBy, me), gt(mc.claimExpiresAt, now));

/** Open, or claimed with a lapsed claim, or already the caller's: what a claim may take. */
const claimable = (caseId: string, me: string, now: number) =>
  and(
    eq(mc.id, caseId),
    or(
      eq(mc.state, "open"),
      and(eq(mc.state, "claimed"), or(lte(mc.claimExpiresAt, now), eq(mc.claimedBy, me))),
    ),
  );

export function caseView(row: CaseRow) {
  return {
    id: row.id,
    targetType: row.targetType,
    targetId: row.targetId,
    ownerAccountId: row.ownerAccountId,
    state: row.state,
    openReports: row.openReports,
    weight: row.weight,
    firstReportedAt: row.firstReportedAt,
    lastReportedAt: row.lastReportedAt,
    hiddenAt: row.hiddenAt,
    claimedBy: row.claimedBy,
    claimExpiresAt: row.claimExpiresAt,
    decision: row.decision,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    note: row.note,
  };
}

/** GET /moderation/cases: oldest first (the longest waiting on top), filtered, keyset-paginated. */
export async function listCases(s: Services, actor: Actor, query: CaseQuery, now = Date.now()) {
  authorize(actor, "moderation.queue");
  const after = query.cursor ? decodeCursor(query.cursor, "moderation-cases", TimeKey) : null;
  const rows = await s.db
    .select()
    .from(mc)
    .where(
      and(
        query.state ? eq(mc.state, query.state) : ne(mc.state, "decided"),
        query.targetType ? eq(mc.targetType, query.targetType) : undefined,
        query.reason
          ? exists(
              s.db
                .select({ one: sql`1` })
                .from(reports)
                .where(and(eq(reports.caseId, mc.id), eq(reports.reason, query.reason))),
            )
          : undefined,
        query.olderThanHours !== undefined
          ? lte(mc.firstReportedAt, now - query.olderThanHours * HOUR_MS)
          : undefined,
        after
          ? keysetWhere([
              { column: mc.firstReportedAt, value: after.t, order: "asc" },
              { column: mc.id, value: after.i, order: "asc" },
            ])
          : undefined,
      ),
    )
    .orderBy(asc(mc.firstReportedAt), asc(mc.id))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "moderation-cases", (last) => ({
    t: last.firstReportedAt,
    i: last.id,
  }));
  return { items: page.items.map(caseView), nextCursor: page.nextCursor };
}

/** The case or 404 (staff only: a caller without the queue permission gets 403 first). */
export async function loadCase(s: Services, caseId: string): Promise<CaseRow> {
  const row = await s.db.select().from(mc).where(eq(mc.id, caseId)).get();
  if (!row) throw new AppError("not_found", "No such case");
  return row;
}

/** What a moderator sees of a case's target (read-only; a target gone since is `exists: false`). */
export async function targetSummary(s: Services, type: ReportTargetType, id: string) {
  const none = {
    title: null,
    state: null,
    videoId: null,
    channelId: null,
    maturity: null,
    demonetised: null,
  };
  if (type === "video") {
    const v = await s.db.select().from(videos).where(eq(videos.id, id)).get();
    if (!v) return { type, id, exists: false, ...none };
    return {
      type,
      id,
      exists: v.status !== "deleted",
      title: v.title,
      state: v.moderationState,
      videoId: v.id,
      channelId: v.channelId,
      maturity: v.maturity as Maturity,
      demonetised: v.demonetised,
    };
  }
  if (type === "comment") {
    const c = await s.db.select().from(comments).where(eq(comments.id, id)).get();
    if (!c) return { type, id, exists: false, ...none };
    return {
      type,
      id,
      exists: c.status !== "deleted",
      ...none,
      title: c.body,
      state: c.status,
      videoId: c.videoId,
    };
  }
  const ch = await s.db.select().from(channels).where(eq(channels.id, id)).get();
  if (!ch) return { type, id, exists: false, ...none };
  return {
    type,
    id,
    exists: true,
    ...none,
    title: ch.name,
    state: ch.moderationState,
    channelId: ch.id,
    demonetised: ch.demonetised,
  };
}

/**
 * GET /moderation/cases/{caseId}: the case, its reports (newest first), its target, the owner's
 * strikes. Never a case about the caller's own content (403).
 */
export async function getCase(s: Services, actor: Actor, caseId: string, now = Date.now()) {
  authorize(actor, "moderation.queue");
  const row = await loadCase(s, caseId);
  // Who reported a moderator, and what they wrote, is not theirs to read: as for claiming it, 403.
  assertNotOwn(actor, row);
  if (!REPORT_TARGET_TYPES.includes(row.targetType)) throw new AppError("not_found", "No such case");
  const [reportRows, target, strikes] = await Promise.all([
    s.db
      .select()
      .from(reports)
      .where(eq(reports.caseId, caseId))
      .orderBy(desc(reports.createdAt), desc(reports.id))
      .limit(CASE_REPORTS_SHOWN),
    targetSummary(s, row.targetType, row.targetId),
    activeStrikesOfAccount(s, row.ownerAccountId, now),
  ]);
  return {
    case: caseView(row),
    reports: reportRows.map((r) => ({
      id: r.id,
      reporterAccountId: r.reporterAccountId,
      reason: r.reason,
      text: r.text,
      atSeconds: r.atMs === null ? null : r.atMs / 1000,
      weight: r.weight,
      state: r.state,
      outcome: r.outcome,
      createdAt: r.createdAt,
    })),
    target,
    ownerStrikes: await strikeViews(s, strikes, now),
  };
}

/** Nobody reviews their own content: a moderator's own video, comment or channel goes to another. */
export function assertNotOwn(actor: Actor, row: CaseRow): void {
  if (row.ownerAccountId === actor.accountId) {
    throw new AppError("forbidden", "This case is about your own content: another moderator decides it");
  }
}

/** The 409 for a case someone else holds (or that is decided): says until when. */
function notYours(row: CaseRow): AppError {
  if (row.state === "decided") return new AppError("conflict", "This case is already decided");
  const until = row.claimExpiresAt === null ? "" : ` until ${new Date(row.claimExpiresAt).toISOString()}`;
  return new AppError("conflict", `Another moderator holds this case${until}`, {
    extensions: { claimExpiresAt: row.claimExpiresAt },
  });
}

/**
 * POST …/claim: open, a lapsed claim, or already the caller's (which extends it) → the case, claimed
 * for `claimMinutes`. Anything else → 409 naming the claim's expiry. Audited in the same batch.
 */
export async function claimCase(s: Services, actor: Actor, caseId: string, now = Date.now()) {
  authorize(actor, "moderation.queue");
  assertNotOwn(actor, await loadCase(s, caseId));
  const settings = await getSettings(s);
  const me = actor.accountId;
  const where = claimable(caseId, me, now);
  const expires = now + settings.moderation.claimMinutes * MINUTE_MS;
  const [, claimed] = await s.db.batch([
    auditIf(
      s,
      auditActorOf(actor),
      {
        action: "moderation.case.claim",
        targetType: "case",
        targetId: caseId,
        after: { claimExpiresAt: expires },
      },
      caseWhere(s, where),
      now,
    ),
    s.db
      .update(mc)
      .set({ state: "claimed", claimedBy: me, claimedAt: now, claimExpiresAt: expires, updatedAt: now })
      .where(where)
      .returning(),
  ]);
  const row = claimed[0];
  if (!row) throw notYours(await loadCase(s, caseId));
  await sealQuietly(s, "moderation.case.claim");
  return caseView(row);
}

/** POST …/release: the claimant gives the case back to the queue (409 when the caller does not hold it). */
export async function releaseCase(s: Services, actor: Actor, caseId: string, now = Date.now()) {
  authorize(actor, "moderation.queue");
  const me = actor.accountId;
  const where = and(eq(mc.id, caseId), eq(mc.state, "claimed"), eq(mc.claimedBy, me));
  const [, released] = await s.db.batch([
    auditIf(
      s,
      auditActorOf(actor),
      { action: "moderation.case.release", targetType: "case", targetId: caseId },
      caseWhere(s, where),
      now,
    ),
    s.db
      .update(mc)
      .set({ state: "open", claimedBy: null, claimedAt: null, claimExpiresAt: null, updatedAt: now })
      .where(where)
      .returning(),
  ]);
  const row = released[0];
  if (!row) {
    const current = await loadCase(s, caseId);
    throw current.state === "claimed" && current.claimedBy !== me
      ? notYours(current)
      : new AppError(
          "conflict",
          current.state === "decided" ? "This case is already decided" : "You do not hold this case",
        );
  }
  await sealQuietly(s, "moderation.case.release");
  return caseView(row);
}

/** The open reports of a case (to decide and notify). */
export const openReportsOf = (s: Services, caseId: string) =>
  s.db
    .select({ id: reports.id, profileId: reports.reporterProfileId, reason: reports.reason })
    .from(reports)
    .where(and(eq(reports.caseId, caseId), eq(reports.state, "open")));
