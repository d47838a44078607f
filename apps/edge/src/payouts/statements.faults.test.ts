// The payout run's statements published under D1 faults (docs/faults.md): earnings, payouts, the
// run and its audit row are one batch, so after a 503 they are all there or none is, and the
// origin's retry of the same statement lands it once (the audit row included).

import { env } from "cloudflare:test";
import type { StatementsBody } from "@marquee/shared";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { lowerId, testDb } from "../../test/fixtures";
import { callWithFaults, failEachStatementInTurn } from "../../test/harness/faults";
import { auditLog, creatorEarnings, creatorPayouts, payoutRuns } from "../db/schema";

function statement(): StatementsBody {
  const channelId = lowerId("ch", "pf");
  return {
    earnings: [{ channelId, period: "2026-10", adsCents: 120, premiumCents: 30 }],
    payouts: [
      {
        id: lowerId("po", "pf"),
        channelId,
        period: "2026-10",
        amountCents: 150,
        currency: "usd",
        state: "paid",
        stripeTransferId: "tr_fault",
        failure: null,
        updatedAt: 1_000,
      },
    ],
    run: {
      id: lowerId("run", "pf"),
      period: "2026-10",
      startedAt: 1_000,
      finishedAt: 2_000,
      state: "finished",
      paidCount: 1,
      paidCents: 150,
      failedCount: 0,
      skipped: [],
      trialBalanceCents: 0,
      balances: {},
      error: null,
    },
  };
}

/** How many rows of each kind the statement has in D1. */
async function landed(body: StatementsBody) {
  const db = testDb();
  const channelId = body.earnings[0]?.channelId as string;
  const runId = body.run?.id as string;
  return {
    earnings: (await db.select().from(creatorEarnings).where(eq(creatorEarnings.channelId, channelId)))
      .length,
    payouts: (await db.select().from(creatorPayouts).where(eq(creatorPayouts.channelId, channelId))).length,
    runs: (await db.select().from(payoutRuns).where(eq(payoutRuns.id, runId))).length,
    audits: (
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "payouts.run"), eq(auditLog.targetId, runId)))
    ).length,
  };
}

const NONE = { earnings: 0, payouts: 0, runs: 0, audits: 0 };
const WHOLE = { earnings: 1, payouts: 1, runs: 1, audits: 1 };

describe("payout statements under D1 faults", () => {
  it("each failing statement: 503 with the statement whole or absent; the origin's retry lands it once", async () => {
    const statements = await failEachStatementInTurn<StatementsBody>({
      scene: async () => statement(),
      act: (body, faults) =>
        callWithFaults(faults, "/internal/payouts/statements", {
          method: "POST",
          token: env.PAYOUTS_TOKEN,
          json: body,
        }),
      okStatus: 200,
      // Sealing the audit chain after the batch is best effort: an unsealed row is sealed by the
      // next request or the cron (audit/chain.ts sealQuietly), so the statement still lands.
      tolerated: /^(?!insert)[\s\S]*"audit_log"/i,
      afterFailure: async (body) => {
        expect([NONE, WHOLE]).toContainEqual(await landed(body));
      },
      afterRetry: async (body) => {
        expect(await landed(body)).toEqual(WHOLE);
      },
    });
    expect(statements.some((sql) => /insert into "creator_earnings"/i.test(sql))).toBe(true);
  });
});
