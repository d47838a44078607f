import { and, desc, eq, gt, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type OneTimeCodePurpose, oneTimeCodes } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId, randomToken, sha256Hex } from "../lib/ids";

const MAX_ATTEMPTS = 5;
const TTL_MS: Record<OneTimeCodePurpose, number> = {
  verify_email: 30 * 60_000,
  verify_phone: 10 * 60_000,
  password_reset: 60 * 60_000,
  undo_email_change: 7 * 24 * 60 * 60_000,
};
type LinkPurpose = "password_reset" | "undo_email_change";
const isLink = (purpose: OneTimeCodePurpose): purpose is LinkPurpose =>
  purpose === "password_reset" || purpose === "undo_email_change";

/** Codes that can still be used: not used yet and not expired at `now`. */
const unspent = (now: number) => and(isNull(oneTimeCodes.usedAt), gt(oneTimeCodes.expiresAt, now));

/** Six digits for codes a person types; 256 bits for links, which are looked up by hash. */
function generate(purpose: OneTimeCodePurpose): string {
  if (isLink(purpose)) return randomToken(32);
  const n = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return String(n % 1_000_000).padStart(6, "0");
}

const hashOf = (purpose: OneTimeCodePurpose, accountId: string | null, code: string) =>
  sha256Hex(isLink(purpose) ? `${purpose}:${code}` : `${purpose}:${accountId}:${code}`);

export async function issueCode(db: Db, accountId: string, purpose: OneTimeCodePurpose, target: string) {
  const code = generate(purpose);
  await db.insert(oneTimeCodes).values({
    id: newId("otc"),
    accountId,
    purpose,
    target,
    codeHash: await hashOf(purpose, accountId, code),
    expiresAt: Date.now() + TTL_MS[purpose],
  });
  return code;
}

/**
 * Checks a typed code against the newest live code of that purpose. Each guess claims one of the
 * code's five attempts with a conditional UPDATE *before* the comparison, so parallel guesses
 * cannot all read the same count and slip past it. Returns the target it was sent to.
 * (The budget across codes, so a new code does not mean new guesses, is the caller's: service.ts.)
 */
export async function consumeTypedCode(
  db: Db,
  accountId: string,
  purpose: "verify_email" | "verify_phone",
  code: string,
): Promise<string> {
  const now = Date.now();
  const live = await db
    .select()
    .from(oneTimeCodes)
    .where(and(eq(oneTimeCodes.accountId, accountId), eq(oneTimeCodes.purpose, purpose), unspent(now)))
    .orderBy(desc(oneTimeCodes.createdAt))
    .get();
  const none = () => new AppError("invalid_token", "No valid code is pending; request a new one");
  if (!live) throw none();
  const claimed = await db
    .update(oneTimeCodes)
    .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
    .where(
      and(eq(oneTimeCodes.id, live.id), lt(oneTimeCodes.attempts, MAX_ATTEMPTS), isNull(oneTimeCodes.usedAt)),
    )
    .returning({ id: oneTimeCodes.id });
  if (claimed.length === 0) throw none();
  if ((await hashOf(purpose, accountId, code)) !== live.codeHash) {
    throw new AppError("invalid_token", "The code is wrong");
  }
  const used = await db
    .update(oneTimeCodes)
    .set({ usedAt: now })
    .where(and(eq(oneTimeCodes.id, live.id), isNull(oneTimeCodes.usedAt)))
    .returning({ id: oneTimeCodes.id });
  if (used.length === 0) throw new AppError("invalid_token", "The code was already used");
  return live.target;
}

/** Claims a link token (password reset, email-change undo) exactly once. */
export async function consumeLinkToken(
  db: Db,
  purpose: LinkPurpose,
  token: string,
): Promise<{ id: string; accountId: string; target: string; createdAt: number }> {
  const codeHash = await hashOf(purpose, null, token);
  const used = await db
    .update(oneTimeCodes)
    .set({ usedAt: Date.now() })
    .where(and(eq(oneTimeCodes.codeHash, codeHash), eq(oneTimeCodes.purpose, purpose), unspent(Date.now())))
    .returning({
      id: oneTimeCodes.id,
      accountId: oneTimeCodes.accountId,
      target: oneTimeCodes.target,
      createdAt: oneTimeCodes.createdAt,
    });
  const row = used[0];
  if (!row) throw new AppError("invalid_token", "The link is invalid, expired or already used");
  return row;
}

export const consumeResetToken = (db: Db, token: string) => consumeLinkToken(db, "password_reset", token);

/** Statement that voids the account's unused codes of these purposes (optionally only those issued since `since`). */
export const voidCodes = (db: Db, accountId: string, purposes: OneTimeCodePurpose[], since?: number) =>
  db
    .update(oneTimeCodes)
    .set({ usedAt: Date.now() })
    .where(
      and(
        eq(oneTimeCodes.accountId, accountId),
        inArray(oneTimeCodes.purpose, purposes),
        isNull(oneTimeCodes.usedAt),
        since === undefined ? undefined : gte(oneTimeCodes.createdAt, since),
      ),
    );

/** Whether another account holds a live undo link that would give this address back to it. */
export async function addressReservedByUndo(
  db: Db,
  email: string,
  exceptAccountId?: string,
): Promise<boolean> {
  const row = await db
    .select({ accountId: oneTimeCodes.accountId })
    .from(oneTimeCodes)
    .where(
      and(eq(oneTimeCodes.purpose, "undo_email_change"), eq(oneTimeCodes.target, email), unspent(Date.now())),
    )
    .all();
  return row.some((r) => r.accountId !== exceptAccountId);
}
