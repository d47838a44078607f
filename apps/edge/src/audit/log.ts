/**
 * Writing the audit log (docs/moderation.md, "Audit log"). An action and its audit row go in one D1
 * batch (`auditInsert` returns a batchable statement), so there is never an action without its row
 * nor a row without its action. Rows are inserted unsealed; `sealAudit` (audit/chain.ts) chains them.
 */
import type { AuditAction, Role } from "@marquee/shared";
import { getTableColumns, type SQLWrapper, sql } from "drizzle-orm";
import { auditLog } from "../db/schema";
import type { Services } from "../services";
import type { Actor } from "../types";

/** Who acted: an account in its roles, or the platform itself. */
export type AuditActor =
  | { accountId: string; roles: Role[] }
  | { accountId: null; roles: ["system"] | ["origin"] };

export const SYSTEM: AuditActor = { accountId: null, roles: ["system"] };
export const ORIGIN: AuditActor = { accountId: null, roles: ["origin"] };

export const auditActorOf = (actor: Actor): AuditActor => ({
  accountId: actor.accountId,
  roles: actor.roles,
});

export interface AuditEntry {
  action: AuditAction;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** The insert of one audit row, to put in the batch of the action it records. */
export function auditInsert(
  s: Pick<Services, "db" | "requestId">,
  by: AuditActor,
  entry: AuditEntry,
  at = Date.now(),
) {
  return s.db.insert(auditLog).values({
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
  });
}

/** A JSON column's value as drizzle writes it (`mode: "json"`): null stays NULL, the rest JSON text. */
const jsonText = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * The insert of one audit row that happens only if `when` (a drizzle select) finds a row when the
 * batch runs (or finds none, for `{ notExists }`): for actions that may turn out to change nothing (an UPDATE or DELETE whose row is gone,
 * a conditional state change another request won). Put it in the batch BEFORE the action's own
 * statement, with `when` selecting what that statement will change, so both see the same state
 * (a batch is one transaction) and the log never records an action that did not happen.
 */
export function auditInsertIf(
  s: Pick<Services, "db" | "requestId">,
  by: AuditActor,
  entry: AuditEntry,
  /**
   * A drizzle select (`db.select(…).from(…).where(…)`; not a bare `sql`, it brings its parentheses)
   * that must find a row, or `{ notExists: select }` that must find none.
   */
  when: SQLWrapper | { notExists: SQLWrapper },
  at = Date.now(),
) {
  const row: Record<keyof typeof auditLog.$inferInsert, unknown> = {
    seq: null, // INTEGER PRIMARY KEY: NULL takes the next AUTOINCREMENT value
    at,
    actorAccountId: by.accountId,
    actorRoles: jsonText(by.roles),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: jsonText(entry.before),
    after: jsonText(entry.after),
    reason: entry.reason ?? null,
    requestId: s.requestId ?? null,
    prevHash: null,
    hash: null,
  };
  // drizzle's INSERT … SELECT lists every column of the table in definition order; the SELECT gives
  // constants in that order, kept only WHERE EXISTS (drizzle has no builder for a constant select).
  // A drizzle select embedded in `sql` brings its own parentheses.
  const columns = Object.keys(getTableColumns(auditLog)) as (keyof typeof row)[];
  return s.db.insert(auditLog).select(
    sql`SELECT ${sql.join(
      columns.map((c) => sql`${row[c]}`),
      sql`, `,
    )} WHERE ${"notExists" in when ? sql`NOT EXISTS ${when.notExists}` : sql`EXISTS ${when}`}`,
  );
}
