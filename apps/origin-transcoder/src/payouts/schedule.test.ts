// The monthly schedule with its own clock: real ledger file, real sandbox, the stand-in edge.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../../payments-sandbox/src/client";
import { type PaymentsSandbox, startPaymentsSandbox } from "../../../payments-sandbox/src/server";
import type { Logger } from "../log";
import { type Ledger, openLedger } from "./db";
import { EdgePayouts } from "./edge";
import { takeLease } from "./lease";
import { runPayouts } from "./run";
import { periodSettled, startPayoutSchedule } from "./schedule";
import { payoutLeases, payoutRuns } from "./schema";
import {
  adsWorth,
  allTransfers,
  connectAccount,
  type FakePayoutsEdge,
  sandboxStripe,
  snapshotOf,
  startFakePayoutsEdge,
  TEST_ORIGIN_TOKEN,
} from "./testing";
import { stripeTransfers } from "./transfers";

let dir: string;
let ledger: Ledger;
let sandbox: PaymentsSandbox;
let edge: FakePayoutsEdge;
let stripe: Stripe;
const log: Logger = () => {};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "payouts-schedule-"));
  ledger = await openLedger(`file:${join(dir, "ledger.sqlite")}`);
  sandbox = await startPaymentsSandbox();
  edge = await startFakePayoutsEdge();
  stripe = sandboxStripe(sandbox.url);
});

afterEach(async () => {
  ledger.close();
  await Promise.all([sandbox.close(), edge.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe("monthly payout schedule", () => {
  it("pays the previous month once it is closed, again while it is unsettled, then never", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    let now = Date.UTC(2026, 11, 1, 0, 5); // 5 minutes into December: November not closed yet
    const ran: string[] = [];
    const schedule = startPayoutSchedule({
      now: () => now,
      firstDelayMs: 3_600_000, // the test looks itself
      log,
      isSettled: (period) => periodSettled(ledger, period),
      run: (period) => {
        ran.push(period.id);
        return runPayouts({
          ledger,
          edge: new EdgePayouts({ baseUrl: edge.url, token: TEST_ORIGIN_TOKEN, retries: 0 }),
          transfers: stripeTransfers(stripe),
          period,
          minimumCents: 1000,
          log,
        });
      },
    });
    try {
      expect(await schedule.tick()).toBe("not_closed");
      edge.snapshots.set("2026-11", snapshotOf("2026-11", [adsWorth("ch_a", 2200)]));
      now += 600_000;
      // Stripe down: the run leaves the payout submitting, so the month is not settled.
      await control(sandbox.url, "fail-next-requests", {
        count: 5,
        status: 503,
        pathPrefix: "/v1/transfers",
      });
      expect(await schedule.tick()).toBe("ran");
      expect(await periodSettled(ledger, "2026-11")).toBe(false);
      await control(sandbox.url, "fail-next-requests", { count: 0 });
      // Another run holds the month: this look skips it.
      await takeLease(ledger, "2026-11", "someone-else");
      expect(await schedule.tick()).toBe("held");
      await ledger.db.delete(payoutLeases);
      expect(await schedule.tick()).toBe("ran");
      expect(await schedule.tick()).toBe("settled");
      now = Date.UTC(2026, 11, 31);
      expect(await schedule.tick()).toBe("settled");
      expect(ran).toEqual(["2026-11", "2026-11", "2026-11", "2026-11"]); // not closed, ran, held, ran
      expect((await allTransfers(stripe)).map((t) => t.amount)).toEqual([2200]);
      expect((await ledger.db.select().from(payoutRuns)).map((r) => r.state)).toEqual([
        "finished",
        "finished",
      ]);
      // January: December is next (no facts yet → not closed).
      now = Date.UTC(2027, 0, 1, 0, 1);
      expect(await schedule.tick()).toBe("not_closed");
    } finally {
      await schedule.stop();
    }
    expect(await schedule.tick()).toBe("stopped");
  });

  it("one look at a time; the timer looks by itself", async () => {
    let calls = 0;
    let release: () => void = () => {};
    const schedule = startPayoutSchedule({
      log,
      firstDelayMs: 10,
      intervalMs: 10,
      isSettled: async () => {
        calls += 1;
        await new Promise<void>((r) => {
          release = r;
        });
        return true;
      },
      run: () => Promise.reject(new Error("not reached")),
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1);
    expect(await schedule.tick()).toBe("busy");
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBeGreaterThan(1);
    release();
    await schedule.stop();
  });
});
