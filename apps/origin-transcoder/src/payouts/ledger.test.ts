import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type Ledger, LedgerNestedWriteError, openLedger, redacted } from "./db";
import {
  balanceOf,
  balancesByKind,
  channelBalances,
  channelPayable,
  entryOf,
  LedgerError,
  type NewEntry,
  PAYOUTS_IN_TRANSIT,
  PLATFORM_REVENUE,
  postEntry,
  postEntryIn,
  STRIPE_CLEARING,
  trialBalance,
} from "./ledger";
import { journalEntries, journalLines, ledgerAccounts, payoutLeases } from "./schema";

const dirs: string[] = [];
const open: Ledger[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempUrl(): { dir: string; url: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  dirs.push(dir);
  return { dir, url: `file:${path.join(dir, "nested", "dir", "ledger.sqlite")}` };
}
async function ledgerAt(url: string): Promise<Ledger> {
  const l = await openLedger(url);
  open.push(l);
  return l;
}

const revenue = (externalId: string, a = 600, b = 400): NewEntry => ({
  externalId,
  period: "2026-11",
  kind: "revenue.ads",
  lines: [
    { account: STRIPE_CLEARING, amountCents: a + b + 1000 },
    { account: PLATFORM_REVENUE, amountCents: -1000 },
    { account: channelPayable("ch_a"), amountCents: -a },
    { account: channelPayable("ch_b"), amountCents: -b },
  ],
});

async function entryCount(l: Ledger): Promise<number> {
  const [row] = await l.db.select({ n: count() }).from(journalEntries);
  return row?.n ?? 0;
}

describe("openLedger", () => {
  it("creates the file's directory, migrates it and puts it in WAL mode", async () => {
    const { dir, url } = tempUrl();
    const l = await ledgerAt(url);
    expect(existsSync(path.join(dir, "nested", "dir", "ledger.sqlite"))).toBe(true);
    const mode = await l.client.execute("PRAGMA journal_mode");
    expect(mode.rows[0]?.[0]).toBe("wal");
    expect(await l.db.select().from(ledgerAccounts)).toEqual([]);
    expect(await trialBalance(l)).toBe(0);
  });

  it("reopens an existing file without migrating twice and keeps what was written", async () => {
    const { url } = tempUrl();
    const first = await openLedger(url);
    await postEntry(first, revenue("e1"));
    first.close();
    const again = await ledgerAt(url);
    expect(await entryCount(again)).toBe(1);
    expect(await balanceOf(again, STRIPE_CLEARING)).toBe(2000);
  });

  it("two ledgers opening the same fresh file at once are both migrated", async () => {
    const { url } = tempUrl();
    const [a, b] = await Promise.all([ledgerAt(url), ledgerAt(url)]);
    await postEntry(a as Ledger, revenue("e1"));
    expect(await entryCount(b as Ledger)).toBe(1);
  });

  it("refuses a URL that is neither a file nor a libSQL server, naming DATABASE_URL; masks a token in messages", async () => {
    await expect(openLedger("postgres://localhost/ledger")).rejects.toThrow(
      /DATABASE_URL must be a file: URL/,
    );
    await expect(openLedger(".data/origin.sqlite")).rejects.toThrow(/DATABASE_URL/);
    expect(redacted("libsql://db.turso.io?tls=1&authToken=secret&x=1")).toBe(
      "libsql://db.turso.io?tls=1&authToken=***&x=1",
    );
  });
});

describe("postEntry", () => {
  it("writes a balanced entry, creates its accounts, and the balances follow the sign rule", async () => {
    const l = await ledgerAt(tempUrl().url);
    const r = await postEntry(l, revenue("revenue:2026-11:ads"));
    expect(r.written).toBe(true);
    const entry = await entryOf(l, "revenue:2026-11:ads");
    expect(entry?.id).toBe(r.entryId);
    expect(entry?.lines).toEqual([
      { account: "channel_payable:ch_a", amountCents: -600 },
      { account: "channel_payable:ch_b", amountCents: -400 },
      { account: "platform_revenue", amountCents: -1000 },
      { account: "stripe_clearing", amountCents: 2000 },
    ]);
    const accounts = await l.db
      .select()
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.id, channelPayable("ch_a")));
    expect(accounts[0]).toMatchObject({ kind: "channel_payable", channelId: "ch_a" });
    expect(await balanceOf(l, PLATFORM_REVENUE)).toBe(-1000);
    expect(await balanceOf(l, "channel_payable:nobody")).toBe(0);
    expect(await channelBalances(l)).toEqual([
      { channelId: "ch_a", cents: 600 },
      { channelId: "ch_b", cents: 400 },
    ]);
    expect(await balancesByKind(l)).toEqual({
      platform_revenue: -1000,
      channel_payable: -1000,
      payouts_in_transit: 0,
      stripe_clearing: 2000,
    });
    expect(await trialBalance(l)).toBe(0);
  });

  it("refuses unbalanced, empty, all-zero, doubled-account, unknown-account and fractional entries and writes nothing", async () => {
    const l = await ledgerAt(tempUrl().url);
    const bad: NewEntry[] = [
      { ...revenue("x1"), lines: [{ account: STRIPE_CLEARING, amountCents: 100 }] },
      {
        ...revenue("x2"),
        lines: [
          { account: STRIPE_CLEARING, amountCents: 100 },
          { account: PLATFORM_REVENUE, amountCents: -99 },
        ],
      },
      { ...revenue("x3"), lines: [] },
      {
        ...revenue("x4"),
        lines: [
          { account: STRIPE_CLEARING, amountCents: 0 },
          { account: PLATFORM_REVENUE, amountCents: 0 },
        ],
      },
      {
        ...revenue("x5"),
        lines: [
          { account: PLATFORM_REVENUE, amountCents: 5 },
          { account: PLATFORM_REVENUE, amountCents: -5 },
        ],
      },
      {
        ...revenue("x6"),
        lines: [
          { account: "cash", amountCents: 5 },
          { account: PLATFORM_REVENUE, amountCents: -5 },
        ],
      },
      {
        ...revenue("x7"),
        lines: [
          { account: STRIPE_CLEARING, amountCents: 0.5 },
          { account: PLATFORM_REVENUE, amountCents: -0.5 },
        ],
      },
      { ...revenue(""), externalId: "" },
    ];
    for (const entry of bad) {
      await expect(postEntry(l, entry), entry.externalId).rejects.toThrow(LedgerError);
    }
    await expect(postEntry(l, bad[1] as NewEntry)).rejects.toThrow(
      /does not balance: its lines sum to 1 cents/,
    );
    expect(await entryCount(l)).toBe(0);
    expect(await l.db.select().from(ledgerAccounts)).toEqual([]);
    expect(await l.db.select().from(journalLines)).toEqual([]);
  });

  it("a duplicate external id writes nothing, even with different lines", async () => {
    const l = await ledgerAt(tempUrl().url);
    const first = await postEntry(l, revenue("payout:p1:reserve"));
    const second = await postEntry(l, revenue("payout:p1:reserve", 5, 5));
    expect(second).toEqual({ written: false, entryId: first.entryId });
    expect(await entryCount(l)).toBe(1);
    expect(await balanceOf(l, STRIPE_CLEARING)).toBe(2000);
    expect(await l.db.select().from(journalLines)).toHaveLength(4);
  });

  it("two Ledger connections to one file posting the same external ids at once: exactly one entry each", async () => {
    const { url } = tempUrl();
    const [a, b] = await Promise.all([ledgerAt(url), ledgerAt(url)]);
    const ids = Array.from({ length: 25 }, (_, i) => `payout:p${i}:reserve`);
    const results = await Promise.all(
      ids.flatMap((id) => [postEntry(a as Ledger, revenue(id)), postEntry(b as Ledger, revenue(id))]),
    );
    expect(results.filter((r) => r.written)).toHaveLength(ids.length);
    for (let i = 0; i < ids.length; i++) expect(results[2 * i]?.entryId).toBe(results[2 * i + 1]?.entryId);
    expect(await entryCount(a as Ledger)).toBe(ids.length);
    expect(await balanceOf(b as Ledger, STRIPE_CLEARING)).toBe(2000 * ids.length);
    expect(await trialBalance(a as Ledger)).toBe(0);
  });

  it("two processes opening a fresh file and posting the same external ids at once: one entry each", async () => {
    // A fresh file: both children also race to migrate it on open.
    const { url } = tempUrl();
    const here = path.dirname(fileURLToPath(import.meta.url));
    const script = `
      import { openLedger } from ${JSON.stringify(path.join(here, "db.ts"))};
      import { postEntry } from ${JSON.stringify(path.join(here, "ledger.ts"))};
      const l = await openLedger(${JSON.stringify(url)});
      let written = 0;
      for (let i = 0; i < 40; i++) {
        const r = await postEntry(l, { externalId: "e" + i, period: "2026-11", kind: "test",
          lines: [{ account: "stripe_clearing", amountCents: 7 }, { account: "platform_revenue", amountCents: -7 }] });
        if (r.written) written++;
      }
      l.close();
      console.log(written);`;
    const child = () =>
      new Promise<number>((resolve, reject) => {
        const p = spawn("bun", ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        p.stdout.on("data", (d) => {
          out += d;
        });
        p.stderr.on("data", (d) => {
          err += d;
        });
        p.on("error", reject);
        p.on("exit", (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child ${code}: ${err}`)),
        );
      });
    const written = await Promise.all([child(), child()]);
    expect((written[0] ?? 0) + (written[1] ?? 0)).toBe(40);
    const l = await ledgerAt(url);
    expect(await entryCount(l)).toBe(40);
    expect(await balanceOf(l, STRIPE_CLEARING)).toBe(280);
    expect(await trialBalance(l)).toBe(0);
  });

  it("inside a transaction, postEntryIn commits with the caller's writes and a write through l.db fails fast", async () => {
    const l = await ledgerAt(tempUrl().url);
    await l.db.transaction(async (tx) => {
      await tx.insert(payoutLeases).values({ period: "2026-11", holder: "run-1", expiresAt: 1 });
      await postEntryIn(tx, revenue("in-tx"));
      await expect(postEntry(l, revenue("nested"))).rejects.toThrow(LedgerNestedWriteError);
    });
    expect(await entryOf(l, "in-tx")).not.toBeNull();
    expect(await entryOf(l, "nested")).toBeNull();
    await expect(
      l.db.transaction(async (tx) => {
        await postEntryIn(tx, revenue("rolled-back"));
        throw new Error("stripe said no");
      }),
    ).rejects.toThrow("stripe said no");
    expect(await entryOf(l, "rolled-back")).toBeNull();
    expect(await trialBalance(l)).toBe(0);
  });

  it("a lone write (a lease renewal on a timer) while a transaction is open waits for it instead of failing busy", async () => {
    const l = await ledgerAt(tempUrl().url);
    await l.db.insert(payoutLeases).values({ period: "2026-11", holder: "run-1", expiresAt: 1 });
    const slowEntry = l.db.transaction(async (tx) => {
      await postEntryIn(tx, revenue("slow"));
      await new Promise((r) => setTimeout(r, 100));
      await tx.insert(payoutLeases).values({ period: "2026-12", holder: "run-1", expiresAt: 1 });
    });
    await new Promise((r) => setTimeout(r, 10));
    const renewal = l.db.update(payoutLeases).set({ expiresAt: 2 }).where(eq(payoutLeases.period, "2026-11"));
    await Promise.all([slowEntry, renewal]);
    expect(await l.db.select().from(payoutLeases).where(eq(payoutLeases.period, "2026-11"))).toEqual([
      { period: "2026-11", holder: "run-1", expiresAt: 2 },
    ]);
    expect(await balanceOf(l, PAYOUTS_IN_TRANSIT)).toBe(0);
  });
});
