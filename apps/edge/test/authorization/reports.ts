/**
 * Authorisation-matrix entries of reporting (issue 15, docs/moderation.md "Reports"; see matrix.ts).
 *
 * Any signed-in profile reports what it can see, and reads its own reports; the one owner to protect
 * is the target's: the entry reports the other creator's channel, which that creator (`otherAccount`)
 * may not report itself (403, own content). The owner's report of it succeeds (201).
 */
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { reports } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { signedIn } from "./intruders";
import type { MatrixEntry, World } from "./matrix";
import { afterRefusals } from "./phases";

let world: World | null = null;

afterRefusals("no refused attempt filed a report of one's own channel", async () => {
  if (!world?.other.channelId) return;
  expect(
    await testDb()
      .select()
      .from(reports)
      .where(
        and(
          eq(reports.targetId, world.other.channelId),
          eq(reports.reporterAccountId, world.other.accountId),
        ),
      ),
  ).toEqual([]);
});

export const REPORTS_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/reports",
    request: (w) => {
      world = w;
      return {
        path: "/api/v1/reports",
        json: { targetType: "channel", targetId: w.other.channelId, reason: "spam_or_misleading" },
      };
    },
    refuse: { ...signedIn, otherAccount: 403 },
    owner: { status: 201 },
  },
  {
    operation: "GET /api/v1/me/reports",
    request: () => ({ path: "/api/v1/me/reports" }),
    refuse: signedIn,
    signedInOnly: "lists the caller's own account's reports; any live profile may",
    owner: { status: 200 },
  },
];

/** Mutating reporting operations anyone may call: none (reporting needs a profile). */
export const REPORTS_PUBLIC_OPERATIONS: Record<string, string> = {};
