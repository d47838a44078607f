/**
 * The audit log's hash chain (docs/moderation.md, "Audit log"). Each row's `hash` is
 *
 *   SHA-256 hex of  prevHash + "\n" + canonicalJson({ seq, at, actorAccountId, actorRoles, action,
 *                                                     targetType, targetId, before, after, reason,
 *                                                     requestId })
 *
 * where `prevHash` is the hash of the row before it in `seq` order (64 zeros for the first row) and
 * canonical JSON sorts object keys at every depth. Editing, deleting or inserting a row in the middle
 * therefore changes every later hash, which `verifyAudit` recomputes from the rows themselves.
 *
 * Rows are inserted unsealed (hash null) in the batch of the action they record (audit/log.ts);
 * `sealAudit` chains them afterwards. Why seq order is commit order in D1: D1 is one SQLite database
 * with one writer; every statement or `db.batch` is a transaction that holds the write lock from its
 * first write to its commit, and `seq` (AUTOINCREMENT) is allocated inside that transaction (a
 * rollback also rolls back sqlite_sequence). So a transaction that gets seq N has committed before any
 * transaction can get seq N+1: when a sealer sees row N+1, every row below it is already visible and
 * none can appear later. The chain is thus a pure function of the committed rows, and any number of
 * concurrent sealers (requests, the cron, the verify route) compute the same hashes; each UPDATE is
 * conditional on `hash IS NULL`, so a late sealer's writes are no-ops and the chain cannot fork.
 */
import { and, asc, desc, eq, gt, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { createDb, type Db } from "../db/client";
import { auditLog } from "../db/schema";
import type { Logger } from "../lib/logger";

export const GENESIS_HASH = "0".repeat(64);

/** Rows read per round trip: bounded memory and D1 batches however long the log grows. */
const SEAL_PAGE = 50;
const VERIFY_PAGE = 500;

/** A row as stored: the JSON columns as their raw text, so a corrupted value is hashed, not thrown on. */
const storedColumns = {
  seq: auditLog.seq,
  at: auditLog.at,
  actorAccountId: auditLog.actorAccountId,
  // `sql` around the column skips drizzle's JSON.parse: we parse leniently below (tamperProof).
  actorRoles: sql<string>`${auditLog.actorRoles}`,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  before: sql<string | null>`${auditLog.before}`,
  after: sql<string | null>`${auditLog.after}`,
  reason: auditLog.reason,
  requestId: auditLog.requestId,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};

type StoredRow = {
  seq: number;
  at: number;
  actorAccountId: string | null;
  actorRoles: string;
  action: string;
  targetType: string;
  targetId: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  requestId: string | null;
  prevHash: string | null;
  hash: string | null;
};

/** JSON with object keys sorted at every depth (arrays keep their order): one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * A JSON column's value as written by drizzle (JSON.stringify). Text that is not JSON (only someone
 * editing D1 directly writes that) is hashed as a marked string, so it shows as a broken row rather
 * than crashing the verifier.
 */
function jsonValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { $unparsable: text };
  }
}

/** The recorded fields of a row, the input of its hash. */
export function recordedFields(row: StoredRow) {
  return {
    seq: row.seq,
    at: row.at,
    actorAccountId: row.actorAccountId,
    actorRoles: jsonValue(row.actorRoles),
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: jsonValue(row.before),
    after: jsonValue(row.after),
    reason: row.reason,
    requestId: row.requestId,
  };
}

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

export async function rowHash(prevHash: string, row: StoredRow): Promise<string> {
  const text = `${prevHash}\n${canonicalJson(recordedFields(row))}`;
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Seals every unsealed row, oldest first, and answers how many this call sealed (rows another
 * sealer got to first are not counted). Safe to call from anywhere, any number of times at once.
 */
export async function sealAudit(db: Db): Promise<number> {
  let sealed = 0;
  for (;;) {
    // The chain's head: the last sealed row. Sealed rows are a prefix of the log (each is sealed
    // only after the one before it), so every unsealed row comes after it.
    const [head] = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(isNotNull(auditLog.hash))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const rows: StoredRow[] = await db
      .select(storedColumns)
      .from(auditLog)
      .where(head ? gt(auditLog.seq, head.seq) : undefined)
      .orderBy(asc(auditLog.seq))
      .limit(SEAL_PAGE);
    if (rows.length === 0) return sealed;
    let prev = head?.hash ?? GENESIS_HASH;
    const updates = [];
    for (const row of rows) {
      // Sealed meanwhile by a concurrent sealer, with the very value we would have computed.
      if (row.hash !== null) {
        prev = row.hash;
        continue;
      }
      const hash = await rowHash(prev, row);
      updates.push(
        db
          .update(auditLog)
          .set({ prevHash: prev, hash })
          .where(and(eq(auditLog.seq, row.seq), isNull(auditLog.hash))),
      );
      prev = hash;
    }
    if (updates.length > 0) {
      const results = await db.batch(updates as [(typeof updates)[number], ...typeof updates]);
      sealed += results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
    }
    if (rows.length < SEAL_PAGE) return sealed;
  }
}

export interface AuditVerification {
  /** Every sealed row's hash recomputes and links to the row before it. */
  ok: boolean;
  rows: number;
  sealed: number;
  /** Rows not sealed yet (the last ones: sealing follows shortly). */
  pending: number;
  /** The first row whose stored hashes do not match what its content and predecessor give. */
  firstBrokenSeq: number | null;
  /** The last row's hash: a value to write down elsewhere, so truncating the log's tail shows too. */
  headHash: string | null;
}

/** Test hooks of `verifyAudit`: a smaller page, and a pause after each page (to race a sealer there). */
export interface VerifyOptions {
  pageSize?: number;
  afterPage?: (lastSeq: number) => Promise<void>;
}

/**
 * Recomputes the chain from the rows, oldest first, a page at a time, up to the newest row when it
 * starts (rows appended meanwhile are the next verification's). A row is broken when its
 * `prev_hash` is not the hash of the row before it (a row deleted or inserted before it), or its
 * `hash` is not the hash of its content (the row edited). A sealed row after an unsealed one is
 * broken too (sealing goes in order) — but only within one read: pages are separate reads, and a
 * sealer may seal the rows an earlier page saw unsealed. So when a later page shows a sealed row
 * after one an earlier page saw unsealed, that first unsealed row is read again; sealed now, the
 * walk resumes from it (sealers write exactly the hashes computed here, so nothing else changes).
 */
export async function verifyAudit(db: Db, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? VERIFY_PAGE;
  const lastSeq = await lastAuditSeq(db);
  let state = {
    prev: GENESIS_HASH,
    rows: 0,
    sealed: 0,
    pending: 0,
    headHash: null as string | null,
    after: 0,
  };
  /** The walk as it stood just before the first unsealed row it met (null: none met). */
  let beforeUnsealed: (typeof state & { seq: number; page: number }) | null = null;
  let firstBrokenSeq: number | null = null;
  let pageNo = 0;
  walk: for (;;) {
    pageNo += 1;
    const page: StoredRow[] = await db
      .select(storedColumns)
      .from(auditLog)
      .where(and(gt(auditLog.seq, state.after), lte(auditLog.seq, lastSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const row of page) {
      const expected = await rowHash(state.prev, row);
      if (row.hash === null) {
        beforeUnsealed ??= { ...state, seq: row.seq, page: pageNo };
        state = {
          ...state,
          rows: state.rows + 1,
          pending: state.pending + 1,
          prev: expected,
          after: row.seq,
        };
        continue;
      }
      if (beforeUnsealed !== null && beforeUnsealed.page !== pageNo) {
        const { seq, page: _page, ...resume } = beforeUnsealed;
        const [again] = await db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, seq));
        if (again?.hash != null) {
          // Sealed since that page was read: walk again from it, with what was known before it.
          state = { ...resume, after: seq - 1 };
          beforeUnsealed = null;
          continue walk;
        }
      }
      if (
        firstBrokenSeq === null &&
        (beforeUnsealed !== null || row.prevHash !== state.prev || row.hash !== expected)
      ) {
        firstBrokenSeq = row.seq;
      }
      state = {
        ...state,
        rows: state.rows + 1,
        sealed: state.sealed + 1,
        headHash: row.hash,
        prev: expected,
        after: row.seq,
      };
    }
    if (page.length < pageSize) break;
    await options.afterPage?.(state.after);
  }
  const { rows, sealed, pending, headHash } = state;
  return { ok: firstBrokenSeq === null, rows, sealed, pending, firstBrokenSeq, headHash };
}

/** The seq of the newest row (0 for an empty log), for tests and the verify report. */
export async function lastAuditSeq(db: Db): Promise<number> {
  const [row] = await db.select({ seq: auditLog.seq }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  return row?.seq ?? 0;
}

/** The cron's hook: seal what requests left unsealed (their own seal failed or raced a timeout). */
export async function sealPendingAudit(env: Pick<Env, "DB">): Promise<number> {
  return sealAudit(createDb(env.DB));
}

/** Seal after an action, never failing it: what is not sealed now is sealed by the cron or verify. */
export async function sealQuietly(s: { db: Db; log?: Logger }, where: string): Promise<void> {
  try {
    await sealAudit(s.db);
  } catch (error) {
    s.log?.("warn", { event: "audit-seal-failed", where, error: String(error) });
  }
}
