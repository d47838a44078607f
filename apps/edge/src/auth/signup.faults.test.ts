// Sign-up under D1 faults (docs/faults.md): each statement the request makes fails in turn; the
// answer is 503 `unavailable`, the account is all there or not at all, and signing up again works.
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { randomIp, uniqueEmail } from "../../test/harness/api";
import { callWithFaults, failEachStatementInTurn } from "../../test/harness/faults";
import { accounts, credentials, profiles, refreshTokens, sessions } from "../db/schema";

interface Scene {
  email: string;
  ip: string;
}

/** Everything a signup writes, for one email: the account, its password, profile and session. */
async function written(email: string) {
  const db = testDb();
  const rows = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { accounts: 0, credentials: 0, profiles: 0, sessions: 0, refreshTokens: 0 };
  const sessionRows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(inArray(sessions.accountId, ids));
  return {
    accounts: ids.length,
    credentials: (await db.select().from(credentials).where(inArray(credentials.accountId, ids))).length,
    profiles: (await db.select().from(profiles).where(inArray(profiles.accountId, ids))).length,
    sessions: sessionRows.length,
    refreshTokens:
      sessionRows.length === 0
        ? 0
        : (
            await db
              .select()
              .from(refreshTokens)
              .where(
                inArray(
                  refreshTokens.sessionId,
                  sessionRows.map((s) => s.id),
                ),
              )
          ).length,
  };
}

const WHOLE = { accounts: 1, credentials: 1, profiles: 1, sessions: 1, refreshTokens: 1 };
const NONE = { accounts: 0, credentials: 0, profiles: 0, sessions: 0, refreshTokens: 0 };

describe("sign-up under D1 faults", () => {
  it("answers 503 unavailable for each failing statement, writes the account whole or not at all, and a retry signs up once", async () => {
    const statements = await failEachStatementInTurn<Scene>({
      scene: async () => ({ email: uniqueEmail("fault"), ip: randomIp() }),
      act: (scene, faults) =>
        callWithFaults(faults, "/api/v1/auth/signup", {
          method: "POST",
          ip: scene.ip,
          json: { email: scene.email, password: "correct horse battery staple", displayName: "Faulty" },
        }),
      okStatus: 201,
      // The verification mail's code is best-effort: signup succeeds without it (service.ts).
      tolerated: /^insert into "one_time_codes"/i,
      afterFailure: async (scene) => {
        expect([NONE, WHOLE]).toContainEqual(await written(scene.email));
      },
      afterRetry: async (scene) => {
        expect(await written(scene.email)).toEqual(WHOLE);
      },
    });
    // The account's rows go in one batch: that is what makes "whole or nothing" hold.
    expect(statements.some((sql) => /insert into "accounts"/i.test(sql))).toBe(true);
  });
});
