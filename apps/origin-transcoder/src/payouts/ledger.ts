/**
 * Double-entry bookkeeping over the ledger tables (schema.ts, docs/payouts.md "The ledger").
 *
 * - A line's amount is in cents, **positive for a debit, negative for a credit**; an entry's lines
 *   sum to zero. `balanceOf` and `balancesByKind` answer in that raw sign (so `stripe_clearing` is
 *   positive, `platform_revenue` and payables negative, and all balances together sum to zero);
 *   `channelBalances` flips payables to "owed to the channel" (positive).
 * - `postEntry` is the only writer: one write transaction (BEGIN IMMEDIATE) that inserts the entry
 *   keyed by its external id — if that id is already there it stops and writes nothing — then
 *   creates any missing account and writes the lines. Entries are never updated or deleted; a
 *   correction is a new entry. Inside a transaction of your own (a payout's state change plus its
 *   entry) use `postEntryIn(tx, …)`.
 */
import { randomUUID } from "node:crypto";
import { asc, eq, sum } from "drizzle-orm";
import type { Ledger, LedgerDb, LedgerTx } from "./db";
import {
  journalEntries,
  journalLines,
  LEDGER_ACCOUNT_KINDS,
  type LedgerAccountKind,
  ledgerAccounts,
} from "./schema";

export const PLATFORM_REVENUE = "platform_revenue";
export const PAYOUTS_IN_TRANSIT = "payouts_in_transit";
export const STRIPE_CLEARING = "stripe_clearing";
const PAYABLE_PREFIX = "channel_payable:";

/** The payable account of one channel: what the platform owes it (credit balance). */
export function channelPayable(channelId: string): string {
  if (channelId.length === 0) throw new LedgerError("a channel id is required");
  return `${PAYABLE_PREFIX}${channelId}`;
}

export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/** The kind (and channel) of an account id; throws for an id that is none of the four kinds. */
export function accountOf(id: string): { kind: LedgerAccountKind; channelId: string | null } {
  if (id === PLATFORM_REVENUE || id === PAYOUTS_IN_TRANSIT || id === STRIPE_CLEARING) {
    return { kind: id, channelId: null };
  }
  if (id.startsWith(PAYABLE_PREFIX) && id.length > PAYABLE_PREFIX.length) {
    return { kind: "channel_payable", channelId: id.slice(PAYABLE_PREFIX.length) };
  }
  throw new LedgerError(`unknown ledger account ${JSON.stringify(id)}`);
}

export interface EntryLine {
  account: string;
  /** Cents: debit > 0, credit < 0. Zero lines are dropped (they record nothing). */
  amountCents: number;
}

export interface NewEntry {
  /** Unique: `revenue:<period>:ads`, `payout:<id>:reserve`, … Posting it again writes nothing. */
  externalId: string;
  period: string | null;
  kind: string;
  memo?: string;
  lines: EntryLine[];
}

export interface PostResult {
  /** False when an entry with this external id already existed (then nothing was written). */
  written: boolean;
  /** The new entry's id, or the existing one's. */
  entryId: string;
}

/** Checks an entry without touching the database; returns its non-zero lines. Throws LedgerError. */
export function validateEntry(entry: NewEntry): EntryLine[] {
  if (!entry.externalId) throw new LedgerError("an entry needs an external id");
  if (!entry.kind) throw new LedgerError(`entry ${entry.externalId}: a kind is required`);
  const seen = new Set<string>();
  let total = 0n;
  for (const line of entry.lines) {
    accountOf(line.account);
    if (!Number.isSafeInteger(line.amountCents)) {
      throw new LedgerError(`entry ${entry.externalId}: ${line.account} amount must be integer cents`);
    }
    if (seen.has(line.account)) {
      throw new LedgerError(`entry ${entry.externalId}: account ${line.account} appears twice`);
    }
    seen.add(line.account);
    total += BigInt(line.amountCents);
  }
  if (total !== 0n) {
    throw new LedgerError(`entry ${entry.externalId} does not balance: its lines sum to ${total} cents`);
  }
  const lines = entry.lines.filter((l) => l.amountCents !== 0);
  if (lines.length === 0) throw new LedgerError(`entry ${entry.externalId} is empty`);
  return lines;
}

/** Posts `entry` in its own write transaction (see the file comment). */
export async function postEntry(
  l: Pick<Ledger, "db">,
  entry: NewEntry,
  now = Date.now(),
): Promise<PostResult> {
  const lines = validateEntry(entry);
  return l.db.transaction((tx) => writeEntry(tx, entry, lines, now));
}

/** Posts `entry` inside the caller's transaction (all or nothing with the caller's other writes). */
export async function postEntryIn(tx: LedgerTx, entry: NewEntry, now = Date.now()): Promise<PostResult> {
  return writeEntry(tx, entry, validateEntry(entry), now);
}

async function writeEntry(
  tx: LedgerTx,
  entry: NewEntry,
  lines: EntryLine[],
  now: number,
): Promise<PostResult> {
  const inserted = await tx
    .insert(journalEntries)
    .values({
      id: randomUUID(),
      externalId: entry.externalId,
      period: entry.period,
      kind: entry.kind,
      memo: entry.memo ?? "",
      createdAt: now,
    })
    .onConflictDoNothing({ target: journalEntries.externalId })
    .returning({ id: journalEntries.id });
  const created = inserted[0];
  if (!created) {
    const existing = await tx
      .select({ id: journalEntries.id })
      .from(journalEntries)
      .where(eq(journalEntries.externalId, entry.externalId));
    return { written: false, entryId: existing[0]?.id ?? "" };
  }
  await tx
    .insert(ledgerAccounts)
    .values(lines.map((line) => ({ id: line.account, ...accountOf(line.account), createdAt: now })))
    .onConflictDoNothing({ target: ledgerAccounts.id });
  await tx
    .insert(journalLines)
    .values(
      lines.map((line) => ({ entryId: created.id, accountId: line.account, amountCents: line.amountCents })),
    );
  return { written: true, entryId: created.id };
}

type Reader = Pick<Ledger, "db"> | { db: LedgerTx };
const dbOf = (l: Reader): LedgerDb | LedgerTx => l.db;
const cents = (v: string | null | undefined): number => Number(v ?? 0);

/** Σ of an account's lines, raw sign (debit > 0, credit < 0); 0 for an account never used. */
export async function balanceOf(l: Reader, account: string): Promise<number> {
  const [row] = await dbOf(l)
    .select({ total: sum(journalLines.amountCents) })
    .from(journalLines)
    .where(eq(journalLines.accountId, account));
  return cents(row?.total);
}

/** Raw-sign balance of every account kind (all four present; together they sum to the trial balance). */
export async function balancesByKind(l: Reader): Promise<Record<LedgerAccountKind, number>> {
  const rows = await dbOf(l)
    .select({ kind: ledgerAccounts.kind, total: sum(journalLines.amountCents) })
    .from(journalLines)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.accountId))
    .groupBy(ledgerAccounts.kind);
  const out = Object.fromEntries(LEDGER_ACCOUNT_KINDS.map((k) => [k, 0])) as Record<
    LedgerAccountKind,
    number
  >;
  for (const r of rows) out[r.kind] = cents(r.total);
  return out;
}

/** Σ of every line in the ledger. Zero unless the books are broken. */
export async function trialBalance(l: Reader): Promise<number> {
  const [row] = await dbOf(l)
    .select({ total: sum(journalLines.amountCents) })
    .from(journalLines);
  return cents(row?.total);
}

/** Every channel's payable balance, positive = owed to the channel; channel id ascending. */
export async function channelBalances(l: Reader): Promise<{ channelId: string; cents: number }[]> {
  const rows = await dbOf(l)
    .select({ channelId: ledgerAccounts.channelId, total: sum(journalLines.amountCents) })
    .from(ledgerAccounts)
    .innerJoin(journalLines, eq(journalLines.accountId, ledgerAccounts.id))
    .where(eq(ledgerAccounts.kind, "channel_payable"))
    .groupBy(ledgerAccounts.id, ledgerAccounts.channelId)
    .orderBy(asc(ledgerAccounts.channelId));
  return rows.map((r) => ({ channelId: r.channelId ?? "", cents: 0 - cents(r.total) }));
}

/** The entry with this external id and its lines (null if none): for checks and tests. */
export async function entryOf(
  l: Reader,
  externalId: string,
): Promise<{ id: string; period: string | null; kind: string; lines: EntryLine[] } | null> {
  const db = dbOf(l);
  const [entry] = await db.select().from(journalEntries).where(eq(journalEntries.externalId, externalId));
  if (!entry) return null;
  const lines = await db
    .select({ account: journalLines.accountId, amountCents: journalLines.amountCents })
    .from(journalLines)
    .where(eq(journalLines.entryId, entry.id))
    .orderBy(asc(journalLines.accountId));
  return { id: entry.id, period: entry.period, kind: entry.kind, lines };
}
