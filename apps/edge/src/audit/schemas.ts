import { z } from "@hono/zod-openapi";
import { AUDIT_ACTIONS } from "@marquee/shared";
import { ListQuery, pageOf } from "../lib/pagination";

const Iso = z.iso.datetime({ offset: true });
const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** GET /admin/audit's filters, all optional and combined with AND; `from` ≤ at < `to`. */
export const AuditQuery = ListQuery.extend({
  action: z.enum(AUDIT_ACTIONS).optional(),
  actorAccountId: z.string().min(1).max(64).optional(),
  targetType: z.string().min(1).max(32).optional(),
  targetId: z.string().min(1).max(128).optional(),
  from: Iso.optional().openapi({ description: "Rows at or after this instant (ISO 8601)" }),
  to: Iso.optional().openapi({ description: "Rows before this instant (ISO 8601)" }),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z
  .object({
    /** Position in the log (and in the hash chain). */
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({
      /** Null for the platform itself (a cron, the origin's payout run). */
      accountId: z.string().nullable(),
      /** The roles the actor held when acting; ["system"] or ["origin"] for the platform. */
      roles: z.array(z.string()),
    }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown().openapi({ description: "The target's relevant state before (any JSON)" }),
    after: z.unknown().openapi({ description: "The target's relevant state after (any JSON)" }),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    /** Null until the row is sealed (shortly after it is written). */
    prevHash: Hash.nullable(),
    hash: Hash.nullable(),
  })
  .openapi("AuditEntry");

export const AuditPage = pageOf("AuditPage", AuditEntry);

export const AuditVerification = z
  .object({
    /** Every sealed row recomputes and links to the one before it. */
    ok: z.boolean(),
    rows: z.number().int(),
    sealed: z.number().int(),
    /** Rows still unsealed after this call sealed what it could. */
    pending: z.number().int(),
    /** The first row whose content or link does not match its stored hashes (changed, or a row before it deleted). */
    firstBrokenSeq: z.number().int().nullable(),
    /** The newest sealed row's hash: keep it elsewhere and a truncated tail shows too. */
    headHash: Hash.nullable(),
    /** Rows this call sealed before verifying. */
    sealedNow: z.number().int(),
  })
  .openapi("AuditVerification");
