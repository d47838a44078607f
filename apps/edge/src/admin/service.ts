import { ROLES, type Role } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { getAccount } from "../accounts/service";
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
  const updated = await s.db
    .update(accounts)
    .set({ roles, updatedAt: Date.now() })
    .where(eq(accounts.id, userId))
    .returning({ id: accounts.id });
  if (updated.length === 0) throw new AppError("not_found", "No such user");
  s.log("info", { event: "roles-changed", by: actor.accountId, userId, roles });
  return getAccount(s, userId);
}
