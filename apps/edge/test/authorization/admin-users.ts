/**
 * Authorisation-matrix entries of the admin's user operations (issue 15; see matrix.ts): the search,
 * one account's standing and its suspension are admins' only. A moderator is staff but not an
 * admin: refused too (admin/users.test.ts, admin/suspension.test.ts check it route by route). The
 * suspension targets an account of its own (seeded here), so suspending it never disturbs the
 * world's accounts other entries sign in as.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { accounts, auditLog } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { type SeededAccount, seedAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const adminOnly = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;
const asAdmin = { as: (w: { admin: SeededAccount }) => ({ token: w.admin.accessToken }) };

let target: SeededAccount;
beforeAll(async () => {
  target = await seedAccount({ tag: "mxsuspend", channel: true });
});

afterRefusals("no refused attempt suspended an account or wrote an audit row about it", async () => {
  const row = await testDb()
    .select({ suspendedAt: accounts.suspendedAt })
    .from(accounts)
    .where(eq(accounts.id, target.accountId))
    .get();
  expect(row).toEqual({ suspendedAt: null });
  expect(await testDb().select().from(auditLog).where(eq(auditLog.targetId, target.accountId))).toEqual([]);
});

export const ADMIN_USERS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/admin/users",
    request: () => ({ path: `/api/v1/admin/users?q=${encodeURIComponent(target.email.slice(0, 12))}` }),
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
  {
    operation: "GET /api/v1/admin/users/{userId}",
    request: () => ({ path: `/api/v1/admin/users/${target.accountId}` }),
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
  {
    operation: "PUT /api/v1/admin/users/{userId}/suspension",
    request: () => ({
      path: `/api/v1/admin/users/${target.accountId}/suspension`,
      json: { suspended: true, reason: "Authorisation matrix" },
    }),
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
];

/** Admin user operations anyone may call: none. */
export const ADMIN_USERS_PUBLIC_OPERATIONS: Record<string, string> = {};
