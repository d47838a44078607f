/**
 * verifyAudit against a sealer working at the same time (audit/chain.ts): rows a page saw unsealed and
 * a sealer sealed before the next page was read are not "broken"; a sealed row after an unsealed one
 * that stays unsealed still is. This file has a database (and so a log) of its own.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { auditLog } from "../db/schema";
import { lastAuditSeq, sealAudit, verifyAudit } from "./chain";
import { type AuditEntry, auditInsert, SYSTEM } from "./log";

async function insertRows(n: number, from = 0): Promise<void> {
  const db = testDb();
  const entries: AuditEntry[] = Array.from({ length: n }, (_, i) => ({
    action: "moderation.auto_hide",
    targetType: "video",
    targetId: `vid_verify${from + i}`,
    after: { moderationState: "held", n: from + i },
  }));
  const inserts = entries.map((e) => auditInsert({ db, requestId: "req-verify" }, SYSTEM, e));
  await db.batch(inserts as [(typeof inserts)[0], ...typeof inserts]);
}

describe("verifying while rows are sealed", () => {
  it("a row sealed concurrently on a page boundary is not broken; rows appended meanwhile wait", async () => {
    const db = testDb();
    await insertRows(6);
    await sealAudit(db);
    await insertRows(4, 6); // seqs 7..10 unsealed: pages of 4 end on seq 8 (unsealed), then 9..10.
    let paused = 0;
    const check = await verifyAudit(db, {
      pageSize: 4,
      afterPage: async () => {
        paused += 1;
        if (paused !== 2) return;
        // Between pages: a request appends rows and seals the whole log.
        await insertRows(3, 10);
        await sealAudit(db);
      },
    });
    expect(paused).toBeGreaterThanOrEqual(2);
    expect(check).toMatchObject({ ok: true, firstBrokenSeq: null, rows: 10, sealed: 10, pending: 0 });
    expect(await verifyAudit(db)).toMatchObject({ ok: true, rows: 13, sealed: 13, pending: 0 });
  });

  it("a sealed row after a row that stays unsealed is still broken", async () => {
    const db = testDb();
    await insertRows(3, 100);
    await sealAudit(db);
    const last = await lastAuditSeq(db);
    // Unseal the row before the last (trigger dropped, as an attacker with D1 access could).
    const triggers = await db.all<{ name: string; sql: string }>(
      sql`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`,
    );
    for (const t of triggers) await db.run(sql.raw(`DROP TRIGGER ${t.name}`));
    try {
      await db
        .update(auditLog)
        .set({ hash: null, prevHash: null })
        .where(eq(auditLog.seq, last - 1));
      for (const pageSize of [2, 500]) {
        expect(await verifyAudit(db, { pageSize })).toMatchObject({ ok: false, firstBrokenSeq: last });
      }
    } finally {
      for (const t of triggers) await db.run(sql.raw(t.sql));
    }
  });
});
