// The period lease on a real SQLite file, with two connections as two runs would have.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Ledger, openLedger } from "./db";
import {
  holdLease,
  LeaseHeld,
  LeaseLost,
  releaseLease,
  renewLease,
  stripeTimeoutFor,
  takeLease,
} from "./lease";
import { payoutLeases } from "./schema";

let dir: string;
let one: Ledger;
let two: Ledger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "payouts-lease-"));
  one = await openLedger(`file:${join(dir, "ledger.sqlite")}`);
  two = await openLedger(one.url);
});

afterEach(async () => {
  one.close();
  two.close();
  await rm(dir, { recursive: true, force: true });
});

describe("period lease", () => {
  it("has one holder at a time; a lapsed lease is taken over; only the holder renews or releases", async () => {
    const now = 1_000_000;
    expect(await takeLease(one, "2026-11", "run_a", 60_000, now)).toBe(true);
    expect(await takeLease(two, "2026-11", "run_b", 60_000, now + 59_999)).toBe(false);
    expect(await takeLease(two, "2026-12", "run_b", 60_000, now)).toBe(true); // another period
    expect(await renewLease(two, "2026-11", "run_b", 60_000, now)).toBe(false);
    expect(await renewLease(one, "2026-11", "run_a", 60_000, now + 30_000)).toBe(true);
    expect(await takeLease(two, "2026-11", "run_b", 60_000, now + 60_000)).toBe(false); // renewed to +90 s
    expect(await takeLease(two, "2026-11", "run_b", 60_000, now + 90_000)).toBe(true); // lapsed
    expect(await renewLease(one, "2026-11", "run_a")).toBe(false);
    await releaseLease(one, "2026-11", "run_a"); // not its lease any more: nothing happens
    expect(await one.db.select().from(payoutLeases)).toContainEqual({
      period: "2026-11",
      holder: "run_b",
      expiresAt: now + 150_000,
    });
  });

  it("two connections racing for a free period: exactly one wins", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => takeLease(i % 2 ? one : two, "2026-11", `run_${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("holdLease renews while held, notices a lease lost, and releases", async () => {
    const held = await holdLease(one, "2026-11", "run_a", { ttlMs: 200, renewMs: 50 });
    await expect(holdLease(two, "2026-11", "run_b")).rejects.toThrow(LeaseHeld);
    await new Promise((r) => setTimeout(r, 400)); // past the first TTL: renewed, still ours
    expect(await takeLease(two, "2026-11", "run_b", 200)).toBe(false);
    expect(() => held.assertHeld()).not.toThrow();
    // Someone else takes it (as after a stall longer than the TTL).
    await two.db.update(payoutLeases).set({ holder: "run_b" });
    await new Promise((r) => setTimeout(r, 120));
    expect(() => held.assertHeld()).toThrow(LeaseLost);
    await held.release();
    expect(await one.db.select().from(payoutLeases)).toHaveLength(1); // run_b's, untouched

    const again = await holdLease(one, "2026-12", "run_c");
    await again.release();
    expect(await takeLease(two, "2026-12", "run_d")).toBe(true);
  });

  it("assertHeld fails once the last renewal is too old for a Stripe request to end inside the lease", async () => {
    // Renewals that never come (a stalled or cut-off database): 400 ms left for a 600 ms send.
    const held = await holdLease(one, "2026-11", "run_a", { ttlMs: 1000, renewMs: 3_600_000, sendMs: 600 });
    expect(() => held.assertHeld()).not.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect(() => held.assertHeld()).toThrow(LeaseLost);
    // Still ours in the database, though: a renewal that succeeds proves it, and sending may go on.
    await held.confirm();
    expect(() => held.assertHeld()).not.toThrow();
    await held.release();
  });

  it("confirm renews before a send and throws once someone else took the lease, before any timer noticed", async () => {
    const held = await holdLease(one, "2026-11", "run_a", { renewMs: 3_600_000 });
    const [before] = await one.db.select().from(payoutLeases);
    await new Promise((r) => setTimeout(r, 20));
    await held.confirm();
    const [after] = await one.db.select().from(payoutLeases);
    expect(after?.expiresAt).toBeGreaterThan(before?.expiresAt ?? Number.POSITIVE_INFINITY);
    await two.db.update(payoutLeases).set({ holder: "run_b" });
    expect(() => held.assertHeld()).not.toThrow(); // the timer has not looked yet
    await expect(held.confirm()).rejects.toThrow(LeaseLost);
    await held.release();
  });

  it("a Stripe request always fits in the lease: at most a third of the TTL, 20 s by default", () => {
    expect(stripeTimeoutFor(60_000)).toBe(20_000);
    expect(stripeTimeoutFor(3_600_000)).toBe(20_000);
    expect(stripeTimeoutFor(4000)).toBe(1333);
  });

  it("times leases by the database's clock, not the host's", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000); // this host's clock an hour ahead
      expect(await takeLease(one, "2026-11", "run_a", 60_000)).toBe(true);
      const [row] = await one.db.select().from(payoutLeases);
      vi.useRealTimers();
      expect(Math.abs((row?.expiresAt ?? 0) - (Date.now() + 60_000))).toBeLessThan(5000);
      // A host whose clock runs two hours ahead cannot take the live lease over either.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 2 * 3_600_000);
      expect(await takeLease(two, "2026-11", "run_b", 60_000)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
