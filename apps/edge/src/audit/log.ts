/**
 * Writing the audit log (docs/moderation.md, "Audit log"). An action and its audit row go in one D1
 * batch (`auditInsert` returns a batchable statement), so there is never an action without its row
 * nor a row without its action. Rows are inserted unsealed; `sealAudit` (audit/chain.ts) chains them.
 */
import type { AuditAction, Role } from "@marquee/shared";
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
