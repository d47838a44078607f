/**
 * Reading the audit log (docs/moderation.md, "Audit log"): admins list it with filters and verify
 * its hash chain. Nothing here writes a row's content: the log is append-only (audit/log.ts inserts,
 * audit/chain.ts seals, and D1 triggers refuse every other change).
 */
import { z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { auditLog } from "../db/schema";
import { decodeCursor, keysetPage, keysetWhere } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { sealAudit, verifyAudit } from "./chain";
import type { AuditQuery } from "./schemas";

const CURSOR_KIND = "admin-audit";
/** The last served row's seq: seq is unique and follows time, so it alone orders the list. */
const SeqKey = z.strictObject({ s: z.number().int().min(0) });

export async function listAudit(s: Services, actor: Actor, query: AuditQuery) {
  authorize(actor, "admin.audit.read");
  const after = query.cursor ? decodeCursor(query.cursor, CURSOR_KIND, SeqKey) : null;
  const t = auditLog;
  const rows = await s.db
    .select()
    .from(t)
    .where(
      and(
        query.action ? eq(t.action, query.action) : undefined,
        query.actorAccountId ? eq(t.actorAccountId, query.actorAccountId) : undefined,
        query.targetType ? eq(t.targetType, query.targetType) : undefined,
        query.targetId ? eq(t.targetId, query.targetId) : undefined,
        query.from ? gte(t.at, Date.parse(query.from)) : undefined,
        query.to ? lt(t.at, Date.parse(query.to)) : undefined,
        after ? keysetWhere([{ column: t.seq, value: after.s, order: "desc" }]) : undefined,
      ),
    )
    .orderBy(desc(t.seq))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, CURSOR_KIND, (last) => ({ s: last.seq }));
  return {
    items: page.items.map((r) => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      actor: { accountId: r.actorAccountId, roles: r.actorRoles as string[] },
      action: r.action,
      target: { type: r.targetType, id: r.targetId },
      before: r.before ?? null,
      after: r.after ?? null,
      reason: r.reason,
      requestId: r.requestId,
      prevHash: r.prevHash,
      hash: r.hash,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Seals what is pending (so the answer covers every row written so far), then recomputes the chain. */
export async function verifyAuditLog(s: Services, actor: Actor) {
  authorize(actor, "admin.audit.read");
  const sealedNow = await sealAudit(s.db);
  return { ...(await verifyAudit(s.db)), sealedNow };
}
