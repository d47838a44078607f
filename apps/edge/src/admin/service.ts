import { ROLES, type Role } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { getAccount } from "../accounts/service";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsertIf } from "../audit/log";
import { accounts } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";

/** Sets an account's full role set. `viewer` is implied for everyone and always kept. */
export async function setRoles(s: Services, actor: Actor, userId: string, requested: Role[]) {
  const roles = ROLES.filter((r) => r === "viewer" || requested.includes(r));
  if (userId === actor.accountId && !roles.includes("admin")) {
    // Guard against the last way back in being removed by accident.
    throw new AppError("conflict", "Admins cannot remove their own admin role; ask another admin");
  }
  const [current] = await s.db
    .select({ roles: accounts.roles })
    .from(accounts)
    .where(eq(accounts.id, userId));
  if (!current) throw new AppError("not_found", "No such user");
  // The change and its audit row in one batch; the row only if the account is still there.
  const [, updated] = await s.db.batch([
    auditInsertIf(
      s,
      auditActorOf(actor),
      {
        action: "admin.roles.set",
        targetType: "account",
        targetId: userId,
        before: { roles: current.roles },
        after: { roles },
      },
      s.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, userId)),
    ),
    s.db
      .update(accounts)
      .set({ roles, updatedAt: Date.now() })
      .where(eq(accounts.id, userId))
      .returning({ id: accounts.id }),
  ]);
  if (updated.length === 0) throw new AppError("not_found", "No such user");
  s.log("info", { event: "roles-changed", by: actor.accountId, userId, roles });
  await sealQuietly(s, "admin.roles.set");
  return getAccount(s, userId);
}
