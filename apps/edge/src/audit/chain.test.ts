/**
 * The audit log's hash chain (audit/chain.ts) and its append-only triggers (migration 0015), on the
 * real D1. Every test file has a database of its own, so this file's log holds only its own rows;
 * the tests run in order and the tampering ones come last (they drop triggers, as an attacker with
 * database access could, and leave the log as they found it).
 */
import { env } from "cloudflare:test";
import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { apiJson, seedAccount } from "../../test/harness";
import { createDb } from "../db/client";
import { auditLog } from "../db/schema";
import { GENESIS_HASH, sealAudit, sealPendingAudit, verifyAudit } from "./chain";
import { type AuditEntry, auditInsert, ORIGIN, SYSTEM } from "./log";

type Row = typeof auditLog.$inferSelect;

const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");

/** Inserts `entries` unsealed (one batch, as an action would), answering their seqs. */
async function insertRows(entries: AuditEntry[], requestId = "req-chain-test"): Promise<number[]> {
  const db = testDb();
  const inserts = entries.map((e) =>
    auditInsert({ db, requestId }, SYSTEM, e).returning({ seq: auditLog.seq }),
  );
  const results = await db.batch(inserts as [(typeof inserts)[0], ...typeof inserts]);
  return results.map((r) => (r[0] as { seq: number }).seq);
}

const entry = (n: number): AuditEntry => ({
  action: "moderation.auto_hide",
  targetType: "video",
  targetId: `vid_chain${n}`,
  before: { moderationState: "visible", n },
  after: { moderationState: "held", n },
  reason: `row ${n}`,
});

/** The database's own refusal (drizzle wraps it as the error's cause). */
async function refusal(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return String(cause instanceof Error ? cause.message : error);
  }
  return "not refused";
}

const allRows = (): Promise<Row[]> => testDb().select().from(auditLog).orderBy(asc(auditLog.seq));

describe("sealing", () => {
  it("chains rows from the genesis hash: SHA-256 of the previous hash and the row's canonical JSON", async () => {
    const [seq] = await insertRows([
      {
        action: "admin.roles.set",
        targetType: "account",
        targetId: "acc_chain",
        // Keys out of order on purpose: the hash is of the canonical (sorted) form.
        before: { roles: ["viewer"], b: { z: 1, a: [2, { y: true, x: null }] } },
        after: { roles: ["viewer", "moderator"] },
        reason: "promoted",
      },
    ]);
    const [row] = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.seq, seq as number));
    expect(row?.hash).toBeNull();
    expect(await sealAudit(testDb())).toBe(1);

    const [sealed] = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.seq, seq as number));
    const canonical =
      `{"action":"admin.roles.set","actorAccountId":null,"actorRoles":["system"],` +
      `"after":{"roles":["viewer","moderator"]},"at":${row?.at},` +
      `"before":{"b":{"a":[2,{"x":null,"y":true}],"z":1},"roles":["viewer"]},"reason":"promoted",` +
      `"requestId":"req-chain-test","seq":${seq},"targetId":"acc_chain","targetType":"account"}`;
    expect(sealed?.prevHash).toBe(GENESIS_HASH);
    expect(sealed?.hash).toBe(await sha256(`${GENESIS_HASH}\n${canonical}`));
    // Sealing again changes nothing.
    expect(await sealAudit(testDb())).toBe(0);
  });

  it("links each row to the one before it, over more rows than one page", async () => {
    await insertRows(Array.from({ length: 70 }, (_, n) => entry(n)));
    await insertRows([{ ...entry(999), before: null, after: null, reason: null }], "req-other");
    expect(await sealAudit(testDb())).toBe(71);
    const rows = await allRows();
    expect(rows).toHaveLength(72);
    for (const [i, row] of rows.entries()) {
      expect(row.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]?.hash);
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await verifyAudit(testDb())).toEqual({
      ok: true,
      rows: 72,
      sealed: 72,
      pending: 0,
      firstBrokenSeq: null,
      headHash: rows[71]?.hash,
    });
  });

  it("concurrent sealers write one chain: every row sealed exactly once, the same hashes", async () => {
    await insertRows(Array.from({ length: 130 }, (_, n) => entry(1000 + n)));
    // Another action commits while the sealers run.
    const late = insertRows([entry(5000)]);
    // Separate clients, as separate requests (and the cron) would have.
    const counts = await Promise.all(Array.from({ length: 6 }, () => sealAudit(createDb(env.DB))));
    await late;
    const rest = await sealAudit(testDb());
    expect(counts.reduce((a, b) => a + b, 0) + rest).toBe(131);

    const rows = await allRows();
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prevHash).toBe(prev);
      prev = row.hash as string;
    }
    const check = await verifyAudit(testDb());
    expect(check).toMatchObject({ ok: true, rows: 203, sealed: 203, pending: 0, firstBrokenSeq: null });
  });

  it("verify counts unsealed rows as pending, not broken; the cron's hook seals them", async () => {
    await insertRows([entry(6000), entry(6001)]);
    expect(await verifyAudit(testDb())).toMatchObject({ ok: true, rows: 205, sealed: 203, pending: 2 });
    expect(await sealPendingAudit(env)).toBe(2);
    expect(await verifyAudit(testDb())).toMatchObject({ ok: true, rows: 205, sealed: 205, pending: 0 });
  });
});

describe("append-only triggers", () => {
  it("refuse an UPDATE of a sealed row, an UPDATE of an unsealed row's content, and any DELETE", async () => {
    const db = testDb();
    const [sealedRow] = await allRows();
    const sealedSeq = sealedRow?.seq as number;
    expect(
      await refusal(db.update(auditLog).set({ reason: "edited" }).where(eq(auditLog.seq, sealedSeq))),
    ).toMatch(/immutable/);
    expect(
      await refusal(
        db
          .update(auditLog)
          .set({ hash: "f".repeat(64) })
          .where(eq(auditLog.seq, sealedSeq)),
      ),
    ).toMatch(/immutable/);

    const [fresh] = await insertRows([entry(7000)]);
    expect(
      await refusal(
        db
          .update(auditLog)
          .set({ action: "payouts.run" })
          .where(eq(auditLog.seq, fresh as number)),
      ),
    ).toMatch(/immutable/);
    expect(await refusal(db.delete(auditLog).where(eq(auditLog.seq, fresh as number)))).toMatch(
      /append-only/,
    );
    expect(await refusal(db.delete(auditLog).where(eq(auditLog.seq, sealedSeq)))).toMatch(/append-only/);
    await sealAudit(db);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it("an ORIGIN row records no account and the origin's role", async () => {
    const db = testDb();
    const [seq] = await db
      .batch([
        auditInsert({ db }, ORIGIN, {
          action: "payouts.run",
          targetType: "payout_run",
          targetId: "run_x",
        }).returning({
          seq: auditLog.seq,
        }),
      ])
      .then(([r]) => r.map((x) => x.seq));
    const [row] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.seq, seq as number));
    expect(row).toMatchObject({ actorAccountId: null, actorRoles: ["origin"], requestId: null });
    await sealAudit(db);
  });
});

describe("tampering in D1 shows in GET /admin/audit/verify", () => {
  let admin: string;
  beforeAll(async () => {
    admin = (await seedAccount({ tag: "auditv", roles: ["admin"] })).accessToken;
  });

  interface Verification {
    ok: boolean;
    rows: number;
    pending: number;
    firstBrokenSeq: number | null;
    sealedNow: number;
  }
  const verify = () => apiJson<Verification>("/api/v1/admin/audit/verify", 200, { token: admin });

  it("seals pending rows before verifying", async () => {
    await insertRows([entry(8000), entry(8001), entry(8002)]);
    const check = await verify();
    expect(check).toMatchObject({ ok: true, pending: 0, firstBrokenSeq: null, sealedNow: 3 });
  });

  it("names the seq of a row changed directly in D1 (trigger dropped first), and of the row after a deleted one", async () => {
    const db = testDb();
    const rows = await allRows();
    const victim = rows[40] as Row;
    const deleted = rows[100] as Row;
    const afterDeleted = rows[101] as Row;

    // The attacker drops the trigger (only SQL can; drizzle has no DDL for triggers), then edits a row.
    await db.run(sql`DROP TRIGGER audit_log_sealed_immutable`);
    try {
      await db.update(auditLog).set({ reason: "nothing happened" }).where(eq(auditLog.seq, victim.seq));
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: victim.seq });

      // Editing the JSON after too, or recomputing its own hash, still breaks the link to the next row.
      await db.update(auditLog).set({ reason: victim.reason }).where(eq(auditLog.seq, victim.seq));
      expect(await verify()).toMatchObject({ ok: true, firstBrokenSeq: null });
      await db
        .update(auditLog)
        .set({ after: { moderationState: "visible" }, hash: "a".repeat(64) })
        .where(eq(auditLog.seq, victim.seq));
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: victim.seq });
      await db
        .update(auditLog)
        .set({ after: victim.after, hash: victim.hash })
        .where(eq(auditLog.seq, victim.seq));
      expect(await verify()).toMatchObject({ ok: true });
    } finally {
      // Put the trigger back exactly as migration 0015 made it, for the tests after this one.
      await db.run(sql`CREATE TRIGGER audit_log_sealed_immutable BEFORE UPDATE ON audit_log
        WHEN OLD.hash IS NOT NULL
          OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
          OR NEW.actor_account_id IS NOT OLD.actor_account_id OR NEW.actor_roles IS NOT OLD.actor_roles
          OR NEW.action IS NOT OLD.action OR NEW.target_type IS NOT OLD.target_type
          OR NEW.target_id IS NOT OLD.target_id OR NEW.before IS NOT OLD.before
          OR NEW.after IS NOT OLD.after OR NEW.reason IS NOT OLD.reason
          OR NEW.request_id IS NOT OLD.request_id
        BEGIN SELECT RAISE(ABORT, 'audit_log rows are immutable once written'); END`);
    }

    await db.run(sql`DROP TRIGGER audit_log_no_delete`);
    try {
      await db.delete(auditLog).where(eq(auditLog.seq, deleted.seq));
      const check = await verify();
      expect(check).toMatchObject({ ok: false, firstBrokenSeq: afterDeleted.seq, rows: rows.length - 1 });
      // Putting the row back as it was mends the chain: the hashes are of the content alone.
      await db.insert(auditLog).values(deleted);
      expect(await verify()).toMatchObject({ ok: true, rows: rows.length });
    } finally {
      await db.run(sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    }
    expect(await refusal(db.delete(auditLog).where(eq(auditLog.seq, deleted.seq)))).toMatch(/append-only/);
  });

  it("a forged row written with a made-up hash shows (last: it stays in this file's log)", async () => {
    const db = testDb();
    const rows = await allRows();
    const head = rows[rows.length - 1] as Row;
    const [forged] = await db
      .insert(auditLog)
      .values({
        at: Date.now(),
        actorAccountId: null,
        actorRoles: ["system"],
        action: "config.update",
        targetType: "settings",
        targetId: "global",
        prevHash: head.hash,
        hash: "b".repeat(64),
      })
      .returning({ seq: auditLog.seq });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: forged?.seq });
  });
});
