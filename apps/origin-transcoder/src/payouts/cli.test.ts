// The payouts:run CLI: its arguments and exit codes in-process, and the acceptance's kill test with
// real `bun cli.ts` processes SIGKILLed at each crash point (PAYOUTS_CRASH_AT), against the real
// payments sandbox, the HTTP stand-in edge and a real SQLite file shared with the test.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PayoutRunSchema } from "@marquee/shared";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../../payments-sandbox/src/client";
import { SANDBOX_CREDENTIALS } from "../../../payments-sandbox/src/credentials";
import { type PaymentsSandbox, startPaymentsSandbox } from "../../../payments-sandbox/src/server";
import { EXIT, main, parseArgs } from "./cli";
import { CRASH_POINTS } from "./crash";
import { openLedger } from "./db";
import { takeLease } from "./lease";
import { trialBalance } from "./ledger";
import { payoutLeases, payouts } from "./schema";
import {
  adsWorth,
  allTransfers,
  connectAccount,
  type FakePayoutsEdge,
  sandboxStripe,
  snapshotOf,
  startFakePayoutsEdge,
  storeSnapshot,
  TEST_ORIGIN_TOKEN,
} from "./testing";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

describe("payouts:run arguments", () => {
  const now = Date.UTC(2026, 11, 6);
  it("takes a closed month or day, and refuses anything else with a message", () => {
    expect(parseArgs(["--period", "2026-11"], now)).toMatchObject({
      period: { id: "2026-11", kind: "month" },
      json: false,
    });
    expect(parseArgs(["--period=2026-11-15", "--json"], now)).toMatchObject({
      period: { id: "2026-11-15" },
      json: true,
    });
    expect(parseArgs([], now)).toEqual({ error: expect.stringMatching(/--period is required/) });
    expect(parseArgs(["--period", "2026-13"], now)).toEqual({ error: expect.stringMatching(/UTC month/) });
    expect(parseArgs(["--period", "2026-02-30"], now)).toEqual({ error: expect.stringMatching(/UTC month/) });
    expect(parseArgs(["--period", "2026-12"], now)).toEqual({ error: expect.stringMatching(/not closed/) });
    expect(parseArgs(["--period", "2026-11", "--force"], now)).toEqual({
      error: expect.stringMatching(/unknown argument/),
    });
  });
});

describe("payouts:run", () => {
  let dir: string;
  let dbUrl: string;
  let sandbox: PaymentsSandbox;
  let edge: FakePayoutsEdge;
  let stripe: Stripe;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "payouts-cli-"));
    dbUrl = `file:${join(dir, "ledger.sqlite")}`;
    sandbox = await startPaymentsSandbox();
    edge = await startFakePayoutsEdge();
    stripe = sandboxStripe(sandbox.url);
    env = {
      APP_ENV: "test",
      DATABASE_URL: dbUrl,
      EDGE_URL: edge.url,
      PAYOUTS_TOKEN: TEST_ORIGIN_TOKEN,
      STRIPE_SECRET_KEY: SANDBOX_CREDENTIALS.stripeSecretKey,
      STRIPE_API_URL: sandbox.url,
    };
  });

  afterEach(async () => {
    await Promise.all([sandbox.close(), edge.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  async function seed(): Promise<string[]> {
    const a = await connectAccount(stripe);
    const b = await connectAccount(stripe);
    edge.accounts = [
      { channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true },
      { channelId: "ch_b", stripeAccountId: b, payoutsEnabled: true },
    ];
    const l = await openLedger(dbUrl);
    await storeSnapshot(l, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200), adsWorth("ch_b", 1100)]));
    l.close();
    return [a, b];
  }

  async function books(): Promise<{ trial: number; states: string[] }> {
    const l = await openLedger(dbUrl);
    try {
      const rows = await l.db.select().from(payouts).orderBy(payouts.channelId);
      return { trial: await trialBalance(l), states: rows.map((p) => p.state) };
    } finally {
      l.close();
    }
  }

  it("exits 0 with the summary as the last stdout line, 75 while the period is held, 2 while it is open, 1 without Stripe", async () => {
    await seed();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };

    const l = await openLedger(dbUrl);
    await takeLease(l, "2026-11-01", "someone-else");
    expect(await main(["--period", "2026-11-01", "--json"], env, io)).toBe(EXIT.held);
    expect(err.at(-1)).toBe("period 2026-11-01 is held by another run");
    await l.db.delete(payoutLeases);
    l.close();

    expect(await main(["--period", "2026-11-01", "--json"], env, io)).toBe(EXIT.ok);
    const summary = PayoutRunSchema.parse(JSON.parse(out.at(-1) ?? ""));
    expect(summary).toMatchObject({
      period: "2026-11-01",
      state: "finished",
      paidCount: 2,
      paidCents: 3300,
      trialBalanceCents: 0,
    });

    expect(await main(["--period", "2026-11-02"], env, io)).toBe(EXIT.usage); // no facts: the edge's 409
    expect(err.at(-1)).toMatch(/period 2026-11-02 is not closed/);
    expect(await main(["--period", "nope"], env, io)).toBe(EXIT.usage);
    expect(await main(["--period", "2026-11-01"], { ...env, STRIPE_SECRET_KEY: "" }, io)).toBe(EXIT.error);
    expect(err.at(-1)).toMatch(/STRIPE_SECRET_KEY is not set/);
    expect(await main(["--period", "2026-11-01"], { ...env, PAYOUT_MINIMUM_CENTS: "ten" }, io)).toBe(
      EXIT.error,
    );
    expect(err.at(-1)).toMatch(/PAYOUT_MINIMUM_CENTS must be a number of cents/);
    expect((await allTransfers(stripe)).map((t) => t.amount)).toEqual([2200, 1100]);
  });

  function cli(
    extra: Record<string, string>,
  ): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn("bun", [CLI, "--period", "2026-11-01", "--json"], {
        env: { ...process.env, ...env, ...extra },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  for (const point of CRASH_POINTS) {
    it(`a process SIGKILLed ${point} and run again pays each channel exactly once`, async () => {
      const [a, b] = await seed();
      // A short lease, long enough that the run right after the kill surely finds it still held.
      const lease = { PAYOUTS_LEASE_TTL_MS: "6000" };
      // after_send as in the acceptance: the sandbox commits the transfer and drops its answer.
      if (point === "after_send") {
        await control(sandbox.url, "drop-next-response", { method: "POST", pathPrefix: "/v1/transfers" });
      }
      const killed = await cli({ ...lease, PAYOUTS_CRASH_AT: point });
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      expect((await books()).trial).toBe(0);
      expect((await allTransfers(stripe)).length).toBe(point === "after_claim" ? 0 : 1);
      // The killed run's lease is still there until it lapses: a run right away is refused...
      const early = await cli(lease);
      expect(early.code).toBe(EXIT.held);
      expect(early.stderr).toMatch(/period 2026-11-01 is held by another run/);
      const l = await openLedger(dbUrl);
      const [held] = await l.db.select().from(payoutLeases);
      l.close();
      await new Promise((r) => setTimeout(r, Math.max(0, (held?.expiresAt ?? 0) - Date.now() + 100)));
      await control(sandbox.url, "idempotency/forget", {}); // days later: only the lookup protects us
      const again = await cli(lease);
      expect(again.code, again.stderr).toBe(0);
      expect(PayoutRunSchema.parse(JSON.parse(again.stdout.trim().split("\n").at(-1) ?? ""))).toMatchObject({
        paidCount: 2,
        trialBalanceCents: 0,
      });
      expect(await books()).toEqual({ trial: 0, states: ["paid", "paid"] });
      expect((await allTransfers(stripe)).map((t) => [t.destination, t.amount])).toEqual([
        [a, 2200],
        [b, 1100],
      ]);
    });
  }
});
