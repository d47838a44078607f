/**
 * Seeding helpers for the payout facts (payouts/facts.ts), each with a chosen `recorded_at` /
 * `received_at`, written straight into D1: ad impressions, premium (or not) playback beacons,
 * invoices and refunds. Plus the origin's calls to /internal/payouts and a past period of the test's
 * own, so tests sharing D1 never count each other's facts.
 */
import { env } from "cloudflare:test";
import { type Period, parsePeriod } from "@marquee/shared";
import { insertBillingInvoice, lowerId, testDb } from "../../test/fixtures";
import { type ApiOptions, api, unique } from "../../test/harness";
import { adImpressions, type billingInvoices, billingRefunds, playbackEvents } from "../db/schema";

const DAY_MS = 86_400_000;

/**
 * A UTC day period long past (so closed), at random among ~14,600 days from 1975: two tests sharing
 * D1 almost never pick the same day or neighbouring days (a test's late facts go to the next one).
 */
export function pastDayPeriod(): Period {
  const base = Date.UTC(1975, 0, 1);
  const day = Math.floor(Math.random() * 40 * 365) * DAY_MS + base;
  return parsePeriod(new Date(day).toISOString().slice(0, 10)) as Period;
}

/** The day period after `p` (where a fact recorded at p.end belongs). */
export const nextDay = (p: Period): Period =>
  parsePeriod(new Date(p.end).toISOString().slice(0, 10)) as Period;

/** One billed ad impression before a video of `channelId` (null: a VAST request without content). */
export async function insertAdImpression(fact: {
  channelId: string | null;
  priceMillicents: number;
  recordedAt: number;
  videoId?: string | null;
}): Promise<string> {
  const sessionId = lowerId("ads", "fx");
  await testDb()
    .insert(adImpressions)
    .values({
      sessionId,
      campaignId: lowerId("cmp", "fx"),
      advertiserAccountId: lowerId("acc", "fx"),
      creativeVideoId: lowerId("vid", "fx"),
      videoId: fact.videoId ?? null,
      channelId: fact.channelId,
      priceMillicents: fact.priceMillicents,
      servedAt: fact.recordedAt,
      day: new Date(fact.recordedAt).toISOString().slice(0, 10),
      recordedAt: fact.recordedAt,
    });
  return sessionId;
}

/** One playback beacon of `accountId` on `videoId`, received at `receivedAt`; premium unless said. */
export async function insertWatch(fact: {
  accountId: string;
  profileId?: string;
  videoId: string;
  playedMs: number;
  receivedAt: number;
  premium?: boolean;
}): Promise<void> {
  await testDb()
    .insert(playbackEvents)
    .values({
      profileId: fact.profileId ?? lowerId("prof", "fx"),
      beaconId: unique("bcn"),
      accountId: fact.accountId,
      videoId: fact.videoId,
      sessionId: "session1",
      kind: "heartbeat",
      positionMs: fact.playedMs,
      playedMs: fact.playedMs,
      occurredAt: fact.receivedAt,
      receivedAt: fact.receivedAt,
      premium: fact.premium ?? true,
    });
}

/** A subscription payment of `accountId` (paid, usd unless said) recorded at `recordedAt`. */
export const insertRecordedInvoice = (
  accountId: string,
  amountCents: number,
  recordedAt: number,
  row: Partial<typeof billingInvoices.$inferInsert> = {},
) => insertBillingInvoice(accountId, { amountCents, recordedAt, createdAt: recordedAt, ...row });

/** A refund (succeeded, usd unless said) recorded at `recordedAt`. */
export async function insertRefund(
  amountCents: number,
  recordedAt: number,
  row: Partial<typeof billingRefunds.$inferInsert> = {},
): Promise<string> {
  const providerRefundId = row.providerRefundId ?? lowerId("re", "fx");
  await testDb()
    .insert(billingRefunds)
    .values({
      provider: "stripe",
      providerRefundId,
      amountCents,
      currency: "usd",
      status: "succeeded",
      recordedAt,
      ...row,
    });
  return providerRefundId;
}

/**
 * A call of the payout run: `/internal<path>` with PAYOUTS_TOKEN (or `token`, or none when null).
 * (Named for the process that runs it by default; the credential is the payout run's own.)
 */
export function origin(path: string, options: ApiOptions = {}, token: string | null = env.PAYOUTS_TOKEN) {
  return api(`/internal${path}`, { ...options, ...(token === null ? {} : { token }) });
}

/** The JSON of an origin call that must answer `status`. */
export async function originJson<T>(path: string, status: number, options: ApiOptions = {}): Promise<T> {
  const res = await origin(path, options);
  const text = await res.text();
  if (res.status !== status)
    throw new Error(`${path}: expected ${status}, got ${res.status}: ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}
