/**
 * Authorisation-matrix entries of the dynamic settings (issue 15; see matrix.ts). Reading and
 * changing the configuration is admins' only; GET /me/flags is anyone's (it answers the caller's
 * own flags, anonymous callers included), so it is a read with no owner to protect and not here.
 * A refused PUT or rollback must leave no version behind.
 */
import { desc } from "drizzle-orm";
import { expect } from "vitest";
import { settingsVersions } from "../../src/db/schema";
import { testDb } from "../fixtures";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const adminOnly = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;
const asAdmin = { as: (w: { admin: SeededAccount }) => ({ token: w.admin.accessToken }) };

/** The newest recorded version (0: none, the defaults), as D1 has it. */
const newestVersion = async () =>
  (await testDb().select().from(settingsVersions).orderBy(desc(settingsVersions.version)).limit(1))[0]
    ?.version ?? 0;

let before: number | null = null;

afterRefusals("no refused attempt wrote a configuration version", async () => {
  if (before === null) return;
  expect(await newestVersion()).toBe(before);
});

export const SETTINGS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/admin/config",
    request: async () => {
      before ??= await newestVersion();
      return { path: "/api/v1/admin/config" };
    },
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
  {
    operation: "GET /api/v1/admin/config/versions",
    request: () => ({ path: "/api/v1/admin/config/versions" }),
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
  {
    operation: "PUT /api/v1/admin/config",
    // The current version, read when the request is made, so the owner's PUT is not stale.
    request: async () => {
      before ??= await newestVersion();
      return {
        path: "/api/v1/admin/config",
        json: { value: {}, reason: "Authorisation matrix", ifVersion: await newestVersion() },
      };
    },
    refuse: adminOnly,
    owner: { ...asAdmin, status: 200 },
  },
  {
    operation: "POST /api/v1/admin/config/rollback",
    request: async () => {
      before ??= await newestVersion();
      return { path: "/api/v1/admin/config/rollback", json: { version: 0, reason: "Authorisation matrix" } };
    },
    refuse: adminOnly,
    owner: {
      ...asAdmin,
      status: [200, 409],
      because: "409 when the defaults (version 0) are already current: nothing to roll back",
    },
  },
];

/** Settings operations anyone may call (mutating): none. */
export const SETTINGS_PUBLIC_OPERATIONS: Record<string, string> = {};
