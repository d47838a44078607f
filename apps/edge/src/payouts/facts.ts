/**
 * The facts a period's payouts are computed from (docs/payouts.md), read from D1 for the origin's
 * `/internal/payouts/periods/...` and for the creator's estimate of the open period.
 *
 * - **Ad revenue** of a channel: Σ `ad_impressions.price_millicents` of the impressions before its
 *   videos, by `recorded_at` (D1's clock when the campaign object's outbox stored the row).
 * - **Premium watch time** of a channel: Σ `playback_events.played_ms` of beacons received while the
 *   viewer's account had a paid plan (`premium`), on the channel's `content` videos (never an ad),
 *   not counting the channel owner's own account (a creator cannot farm their own pool share).
 * - **Premium revenue**: paid `usd` invoices less succeeded `usd` refunds, by `recorded_at`.
 *
 * A period is [start, end) in epoch ms. Its facts are served once it is closed: `closeDelaySeconds`
 * after its end, by when any statement that stamped a time before the end has committed. A fact
 * stored later is stamped later, so it belongs to the next (open) period: closed facts never change.
 *
 * Rows with a zero amount (a start beacon plays nothing) are no fact: a channel is listed only for
 * money or watch time it brought. The queries group by channel over the period's index ranges
 * (`ad_impressions_recorded_idx`, `playback_events_received_idx`), so their cost is the period's
 * facts; the origin reads a closed period once and keeps its snapshot.
 */
import { z } from "@hono/zod-openapi";
import type { ChannelFacts, PayoutAccountSchema, Period, PeriodFacts } from "@marquee/shared";
import { and, count, eq, gt, gte, isNotNull, lt, ne, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import {
  adImpressions,
  billingInvoices,
  billingRefunds,
  channels,
  payoutAccounts,
  playbackEvents,
  videos,
} from "../db/schema";
import { decodeCursor, keysetPage, type Page } from "../lib/pagination";
import type { Services } from "../services";
import { getSettings } from "../settings/store";

/** When the period's facts may be served (epoch ms). */
export const closesAt = (s: Pick<Services, "config">, period: Period): number =>
  period.end + s.config.payouts.closeDelaySeconds * 1000;

/** Whether the period is closed at `now`: its facts are final. */
export const isClosed = (s: Pick<Services, "config">, period: Period, now: number): boolean =>
  now >= closesAt(s, period);

const within = (column: SQLiteColumn, period: Period) =>
  and(gte(column, period.start), lt(column, period.end)) as SQL;

/** Σ of an integer column as a number (0 for no rows). */
const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** The ad facts of the period, `extra` narrowing them (a channel, a keyset). */
const adWhere = (period: Period, extra?: SQL) =>
  and(
    within(adImpressions.recordedAt, period),
    isNotNull(adImpressions.channelId),
    gt(adImpressions.priceMillicents, 0),
    extra,
  );

/** The premium watch facts of the period; playback events joined to their video and its channel. */
const watchWhere = (period: Period, extra?: SQL) =>
  and(
    within(playbackEvents.receivedAt, period),
    eq(playbackEvents.premium, true),
    gt(playbackEvents.playedMs, 0),
    eq(videos.kind, "content"),
    // The owner watching their own channel earns nothing from the pool.
    ne(playbackEvents.accountId, channels.accountId),
    extra,
  );

/** Ad millicents per channel in the period, channel id ascending, at most `limit` (all when undefined). */
function adsByChannel(db: Db, period: Period, extra?: SQL, limit?: number) {
  const q = db
    .select({
      channelId: sql<string>`${adImpressions.channelId}`,
      adMillicents: total(adImpressions.priceMillicents),
    })
    .from(adImpressions)
    .where(adWhere(period, extra))
    .groupBy(adImpressions.channelId)
    .orderBy(adImpressions.channelId);
  return limit === undefined ? q : q.limit(limit);
}

/** Premium watch ms per channel in the period, channel id ascending, at most `limit`. */
function watchByChannel(db: Db, period: Period, extra?: SQL, limit?: number) {
  const q = db
    .select({ channelId: videos.channelId, premiumWatchMs: total(playbackEvents.playedMs) })
    .from(playbackEvents)
    .innerJoin(videos, eq(videos.id, playbackEvents.videoId))
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .where(watchWhere(period, extra))
    .groupBy(videos.channelId)
    .orderBy(videos.channelId);
  return limit === undefined ? q : q.limit(limit);
}

/** Both per-channel lists merged by channel id (each sorted ascending), zeros filled in. */
function merge(
  ads: { channelId: string; adMillicents: number }[],
  watch: { channelId: string; premiumWatchMs: number }[],
): ChannelFacts[] {
  const byId = new Map<string, ChannelFacts>();
  for (const a of ads)
    byId.set(a.channelId, { channelId: a.channelId, adMillicents: a.adMillicents, premiumWatchMs: 0 });
  for (const w of watch) {
    const f = byId.get(w.channelId) ?? { channelId: w.channelId, adMillicents: 0, premiumWatchMs: 0 };
    f.premiumWatchMs = w.premiumWatchMs;
    byId.set(w.channelId, f);
  }
  // Plain code-unit order, as SQLite's BINARY collation sorts the ids.
  return [...byId.values()].sort((a, b) =>
    a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0,
  );
}

/**
 * The channels with facts in the period whose id is after `afterId`, ascending, at most `limit`.
 * Each source is read with the same keyset and limit: the first `limit` ids of the union are among
 * the first `limit` of one source or the other, so merging the two short lists is exact.
 */
export async function channelFactsAfter(
  s: Pick<Services, "db">,
  period: Period,
  afterId: string | null,
  limit: number,
): Promise<ChannelFacts[]> {
  const [ads, watch] = await s.db.batch([
    adsByChannel(s.db, period, afterId === null ? undefined : gt(adImpressions.channelId, afterId), limit),
    watchByChannel(s.db, period, afterId === null ? undefined : gt(videos.channelId, afterId), limit),
  ]);
  return merge(ads, watch).slice(0, limit);
}

/** The channel's two fact queries (ads, watch), for a batch. */
const channelQueries = (db: Db, period: Period, channelId: string) =>
  [
    adsByChannel(db, period, eq(adImpressions.channelId, channelId)),
    watchByChannel(db, period, eq(videos.channelId, channelId)),
  ] as const;

const channelFactsOf = (
  channelId: string,
  ads: { adMillicents: number }[],
  watch: { premiumWatchMs: number }[],
): ChannelFacts => ({
  channelId,
  adMillicents: ads[0]?.adMillicents ?? 0,
  premiumWatchMs: watch[0]?.premiumWatchMs ?? 0,
});

/** One channel's facts in the period (zeros when it has none). No closed check: the estimate uses it. */
export async function channelFacts(
  s: Pick<Services, "db">,
  period: Period,
  channelId: string,
): Promise<ChannelFacts> {
  const [ads, watch] = await s.db.batch(channelQueries(s.db, period, channelId));
  return channelFactsOf(channelId, ads, watch);
}

/** The money and time totals of a period (PeriodFacts without its header and channel count). */
export type PeriodTotals = Pick<
  PeriodFacts,
  "adMillicents" | "premiumWatchMs" | "premiumPaidCents" | "premiumRefundedCents"
>;

/** The period's four totals (ads, watch, paid, refunded) as queries, for a batch. */
function totalsQueries(db: Db, period: Period) {
  return [
    db
      .select({ v: total(adImpressions.priceMillicents) })
      .from(adImpressions)
      .where(adWhere(period)),
    db
      .select({ v: total(playbackEvents.playedMs) })
      .from(playbackEvents)
      .innerJoin(videos, eq(videos.id, playbackEvents.videoId))
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(watchWhere(period)),
    db
      .select({ v: total(billingInvoices.amountCents) })
      .from(billingInvoices)
      .where(
        and(
          within(billingInvoices.recordedAt, period),
          eq(billingInvoices.status, "paid"),
          eq(billingInvoices.currency, "usd"),
        ),
      ),
    db
      .select({ v: total(billingRefunds.amountCents) })
      .from(billingRefunds)
      .where(
        and(
          within(billingRefunds.recordedAt, period),
          eq(billingRefunds.status, "succeeded"),
          eq(billingRefunds.currency, "usd"),
        ),
      ),
  ] as const;
}

type Rows = { v: number }[];
const totalsOf = (ads: Rows, watch: Rows, paid: Rows, refunded: Rows): PeriodTotals => ({
  premiumPaidCents: paid[0]?.v ?? 0,
  premiumRefundedCents: refunded[0]?.v ?? 0,
  adMillicents: ads[0]?.v ?? 0,
  premiumWatchMs: watch[0]?.v ?? 0,
});

/**
 * The split's percentages: each dynamic setting (`payouts.creatorAdSharePct`, `payouts.premiumPoolPct`)
 * when an admin set it, else the env default (PAYOUTS_CREATOR_AD_SHARE_PCT, PAYOUTS_PREMIUM_POOL_PCT).
 * The rules are those current when the period is read: the origin reads a closed period once and
 * keeps its snapshot, so a change applies to the periods it has not read yet.
 */
export async function payoutRulesOf(s: Pick<Services, "config" | "env">): Promise<PeriodFacts["rules"]> {
  const set = (await getSettings(s)).payouts;
  return {
    creatorAdSharePct: set.creatorAdSharePct ?? s.config.payouts.creatorAdSharePct,
    premiumPoolPct: set.premiumPoolPct ?? s.config.payouts.premiumPoolPct,
  };
}

/** `totals` as the period's PeriodFacts, with `rules` (always payoutRulesOf: the dynamic settings win). */
export function periodFactsOf(
  period: Period,
  totals: PeriodTotals,
  channelCount: number,
  rules: PeriodFacts["rules"],
): PeriodFacts {
  const { creatorAdSharePct, premiumPoolPct } = rules;
  return {
    period: period.id,
    start: period.start,
    end: period.end,
    currency: "usd",
    rules: { creatorAdSharePct, premiumPoolPct },
    ...totals,
    channelCount,
  };
}

/** The period's totals and rules (no closed check: the estimate of the open period uses it). */
export async function periodFacts(
  s: Pick<Services, "db" | "config" | "env">,
  period: Period,
): Promise<PeriodFacts> {
  const db = s.db;
  const adChannels = db
    .select({ channelId: sql<string>`${adImpressions.channelId}`.as("channel_id") })
    .from(adImpressions)
    .where(adWhere(period));
  const watchChannels = db
    .select({ channelId: sql<string>`${videos.channelId}`.as("channel_id") })
    .from(playbackEvents)
    .innerJoin(videos, eq(videos.id, playbackEvents.videoId))
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .where(watchWhere(period));
  const [[ads, watch, paid, refunded, channelCount], rules] = await Promise.all([
    db.batch([
      ...totalsQueries(db, period),
      // UNION (not ALL) counts a channel with both kinds of fact once.
      db.select({ v: count() }).from(adChannels.union(watchChannels).as("fact_channels")),
    ]),
    payoutRulesOf(s),
  ]);
  return periodFactsOf(period, totalsOf(ads, watch, paid, refunded), channelCount[0]?.v ?? 0, rules);
}

/**
 * The period's totals and one channel's facts in ONE batch (one transaction, so one snapshot: the
 * channel's facts are part of the totals read with them, which splitPeriod requires; two reads could
 * reach replicas at different points). No channel count: the estimate does not need it.
 */
export async function periodTotalsWithChannel(
  s: Pick<Services, "db">,
  period: Period,
  channelId: string,
): Promise<{ totals: PeriodTotals; own: ChannelFacts }> {
  const [ads, watch, paid, refunded, ownAds, ownWatch] = await s.db.batch([
    ...totalsQueries(s.db, period),
    ...channelQueries(s.db, period, channelId),
  ]);
  return { totals: totalsOf(ads, watch, paid, refunded), own: channelFactsOf(channelId, ownAds, ownWatch) };
}

type PayoutAccount = z.infer<typeof PayoutAccountSchema>;
const ChannelKey = z.strictObject({ i: z.string().min(1).max(64) });

/** GET /internal/payouts/periods/{period}/channels: one page of the period's channels, id ascending. */
export async function channelFactsPage(
  s: Pick<Services, "db">,
  period: Period,
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<Page<ChannelFacts>> {
  // The list is the period's: a cursor of another period's list is refused, not misapplied.
  const kind = `payout-channels:${period.id}`;
  const after = cursor ? decodeCursor(cursor, kind, ChannelKey).i : null;
  const rows = await channelFactsAfter(s, period, after, limit + 1);
  return keysetPage(rows, limit, kind, (last) => ({ i: last.channelId }));
}

/** GET /internal/payouts/accounts: every channel's Connect account, channel id ascending. */
export async function payoutAccountsPage(
  s: Pick<Services, "db">,
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<Page<PayoutAccount>> {
  const after = cursor ? decodeCursor(cursor, "payout-accounts", ChannelKey).i : null;
  const rows = await s.db
    .select({
      channelId: payoutAccounts.channelId,
      stripeAccountId: payoutAccounts.stripeAccountId,
      payoutsEnabled: payoutAccounts.payoutsEnabled,
    })
    .from(payoutAccounts)
    .where(after === null ? undefined : gt(payoutAccounts.channelId, after))
    .orderBy(payoutAccounts.channelId)
    .limit(limit + 1);
  return keysetPage(rows, limit, "payout-accounts", (last) => ({ i: last.channelId }));
}
