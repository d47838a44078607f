import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { type OneTimeCodePurpose, oneTimeCodes } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId, randomToken, sha256Hex } from "../lib/ids";

const MAX_ATTEMPTS = 5;
const TTL_MS: Record<OneTimeCodePurpose, number> = {
  verify_email: 30 * 60_000,
  verify_phone: 10 * 60_000,
  password_reset: 60 * 60_000,
};

/** Six digits for codes a person types; 256 bits for reset links, which are looked up by hash. */
function generate(purpose: OneTimeCodePurpose): string {
  if (purpose === "password_reset") return randomToken(32);
  const n = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return String(n % 1_000_000).padStart(6, "0");
}

const hashOf = (purpose: OneTimeCodePurpose, accountId: string | null, code: string) =>
  sha256Hex(purpose === "password_reset" ? `${purpose}:${code}` : `${purpose}:${accountId}:${code}`);

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
 * Checks a typed code against the newest live code of that purpose. Wrong guesses count; after
 * five the code is dead and a new one must be requested. Returns the target it was sent to.
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
    .where(
      and(
        eq(oneTimeCodes.accountId, accountId),
        eq(oneTimeCodes.purpose, purpose),
        isNull(oneTimeCodes.usedAt),
        gt(oneTimeCodes.expiresAt, now),
      ),
    )
    .orderBy(desc(oneTimeCodes.createdAt))
    .get();
  if (!live || live.attempts >= MAX_ATTEMPTS) {
    throw new AppError("invalid_token", "No valid code is pending; request a new one");
  }
  if ((await hashOf(purpose, accountId, code)) !== live.codeHash) {
    await db
      .update(oneTimeCodes)
      .set({ attempts: live.attempts + 1 })
      .where(eq(oneTimeCodes.id, live.id));
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

/** Claims a password-reset token exactly once. */
export async function consumeResetToken(
  db: Db,
  token: string,
): Promise<{ accountId: string; target: string }> {
  const codeHash = await hashOf("password_reset", null, token);
  const used = await db
    .update(oneTimeCodes)
    .set({ usedAt: Date.now() })
    .where(
      and(
        eq(oneTimeCodes.codeHash, codeHash),
        eq(oneTimeCodes.purpose, "password_reset"),
        isNull(oneTimeCodes.usedAt),
        gt(oneTimeCodes.expiresAt, Date.now()),
      ),
    )
    .returning({ accountId: oneTimeCodes.accountId, target: oneTimeCodes.target });
  const row = used[0];
  if (!row) throw new AppError("invalid_token", "The reset link is invalid, expired or already used");
  return row;
}
