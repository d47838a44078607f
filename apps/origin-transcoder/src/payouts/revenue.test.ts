import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EarningSchema } from "@marquee/shared";
import { count } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type Ledger, openLedger } from "./db";
import {
  balancesByKind,
  channelBalances,
  channelPayable,
  entryOf,
  LedgerError,
  postEntry,
  STRIPE_CLEARING,
  trialBalance,
} from "./ledger";
import { earningsOf, type PeriodSnapshot, recordPeriod } from "./revenue";
import { journalEntries } from "./schema";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function tempLedger(): Promise<Ledger> {
  const dir = mkdtempSync(path.join(tmpdir(), "revenue-"));
  const l = await openLedger(`file:${path.join(dir, "ledger.sqlite")}`);
  cleanup.push(() => {
    l.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return l;
}

const snapshot: PeriodSnapshot = {
  facts: {
    period: "2026-11",
    start: Date.UTC(2026, 10, 1),
    end: Date.UTC(2026, 11, 1),
    currency: "usd",
    rules: { creatorAdSharePct: 55, premiumPoolPct: 55 },
    premiumPaidCents: 10_000,
    premiumRefundedCents: 1_799,
    adMillicents: 2_000_000,
    premiumWatchMs: 4_000_000,
    channelCount: 2,
  },
  channels: [
    { channelId: "ch_b", adMillicents: 765_433, premiumWatchMs: 1_000_000 },
    { channelId: "ch_a", adMillicents: 1_234_567, premiumWatchMs: 3_000_000 },
  ],
};

async function entries(l: Ledger): Promise<number> {
  const [row] = await l.db.select({ n: count() }).from(journalEntries);
  return row?.n ?? 0;
}

describe("recordPeriod", () => {
  it("posts the ads and premium entries of the worked example, debiting clearing and crediting every share", async () => {
    const l = await tempLedger();
    expect(await recordPeriod(l, snapshot)).toEqual({ written: 2 });
    expect((await entryOf(l, "revenue:2026-11:ads"))?.lines).toEqual([
      { account: "channel_payable:ch_a", amountCents: -679 },
      { account: "channel_payable:ch_b", amountCents: -421 },
      { account: "platform_revenue", amountCents: -900 },
      { account: "stripe_clearing", amountCents: 2000 },
    ]);
    expect((await entryOf(l, "revenue:2026-11:premium"))?.lines).toEqual([
      { account: "channel_payable:ch_a", amountCents: -3383 },
      { account: "channel_payable:ch_b", amountCents: -1128 },
      { account: "platform_revenue", amountCents: -3690 },
      { account: "stripe_clearing", amountCents: 8201 },
    ]);
    expect(await earningsOf(l, "2026-11")).toEqual([
      { channelId: "ch_a", period: "2026-11", adsCents: 679, premiumCents: 3383 },
      { channelId: "ch_b", period: "2026-11", adsCents: 421, premiumCents: 1128 },
    ]);
    expect(await earningsOf(l, "2026-10")).toEqual([]);
    expect(await trialBalance(l)).toBe(0);
  });

  it("recording the same snapshot again writes nothing", async () => {
    const l = await tempLedger();
    await recordPeriod(l, snapshot);
    const before = {
      n: await entries(l),
      balances: await balancesByKind(l),
      channels: await channelBalances(l),
    };
    expect(await recordPeriod(l, snapshot)).toEqual({ written: 0 });
    expect(await recordPeriod(l, { ...snapshot, channels: [...snapshot.channels].reverse() })).toEqual({
      written: 0,
    });
    expect({
      n: await entries(l),
      balances: await balancesByKind(l),
      channels: await channelBalances(l),
    }).toEqual(before);
  });

  it("a computation that differs from the ledger posts a correction entry of the difference, once", async () => {
    const l = await tempLedger();
    await recordPeriod(l, snapshot);
    const changed = {
      ...snapshot,
      facts: { ...snapshot.facts, rules: { creatorAdSharePct: 70, premiumPoolPct: 55 } },
    };
    expect(await recordPeriod(l, changed)).toEqual({ written: 1 });
    expect((await entryOf(l, "revenue:2026-11:ads:correction:1"))?.lines).toEqual([
      { account: "channel_payable:ch_a", amountCents: -185 }, // 864 − 679
      { account: "channel_payable:ch_b", amountCents: -115 }, // 536 − 421
      { account: "platform_revenue", amountCents: 300 }, // 600 − 900
    ]);
    expect((await earningsOf(l, "2026-11"))[0]).toMatchObject({
      channelId: "ch_a",
      adsCents: 864,
      premiumCents: 3383,
    });
    expect(await recordPeriod(l, changed)).toEqual({ written: 0 });
    // And back: a second correction, the first one stays (the books are never edited).
    expect(await recordPeriod(l, snapshot)).toEqual({ written: 1 });
    expect(await entryOf(l, "revenue:2026-11:ads:correction:2")).not.toBeNull();
    expect((await earningsOf(l, "2026-11"))[0]).toMatchObject({ adsCents: 679 });
    expect(await trialBalance(l)).toBe(0);
  });

  it("earnings published are never negative, even after a correction took back more than a pot gave", async () => {
    const l = await tempLedger();
    await recordPeriod(l, snapshot);
    // A correction of the ads pot taking 1000 cents back from ch_a, which it had 679 of.
    await postEntry(l, {
      externalId: "revenue:2026-11:ads:correction:1",
      period: "2026-11",
      kind: "revenue.ads",
      lines: [
        { account: channelPayable("ch_a"), amountCents: 1000 },
        { account: STRIPE_CLEARING, amountCents: -1000 },
      ],
    });
    const earnings = await earningsOf(l, "2026-11");
    expect(earnings[0]).toMatchObject({ channelId: "ch_a", adsCents: 0 });
    expect(() => EarningSchema.array().parse(earnings)).not.toThrow();
  });

  it("a pot of zero posts nothing (no ads, refunds eating the payments)", async () => {
    const l = await tempLedger();
    const quiet: PeriodSnapshot = {
      facts: {
        ...snapshot.facts,
        adMillicents: 999,
        premiumPaidCents: 100,
        premiumRefundedCents: 100,
        premiumWatchMs: 0,
      },
      channels: [{ channelId: "ch_a", adMillicents: 999, premiumWatchMs: 0 }],
    };
    expect(await recordPeriod(l, quiet)).toEqual({ written: 0 });
    expect(await entries(l)).toBe(0);
    expect(await earningsOf(l, "2026-11")).toEqual([]);
  });

  it("refuses a torn snapshot (channels not adding up to the period's totals) and writes nothing", async () => {
    const l = await tempLedger();
    const torn = { ...snapshot, channels: snapshot.channels.slice(0, 1) };
    await expect(recordPeriod(l, torn)).rejects.toThrow(LedgerError);
    await expect(
      recordPeriod(l, { ...snapshot, facts: { ...snapshot.facts, period: "2026-13" } }),
    ).rejects.toThrow();
    expect(await entries(l)).toBe(0);
  });
});
