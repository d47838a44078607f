/**
 * What the AdCampaign object writes to D1 (its outbox, flushed by the alarm or `flush()`): the
 * revenue facts (ad_impressions), the tracked events (ad_events) and the mirror of its spend and
 * status on ad_campaigns. Every write is idempotent, so a flush that failed half-way or ran twice
 * (two flushes overlap while one waits on D1) writes nothing twice: facts are INSERT … ON CONFLICT
 * DO NOTHING on their primary keys, and the spend mirror only ever grows.
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { CampaignStatus } from "../../db/schema";
import { type AdEventType, adCampaigns, adEvents, adImpressions } from "../../db/schema";
import { utcDay } from "../pacing";
import type { CampaignConfig } from "../types";
import type { SessionRow, TotalsRow } from "./campaign-schema";

export interface ImpressionFact {
  sessionId: string;
  creativeVideoId: string;
  videoId: string | null;
  channelId: string | null;
  priceMillicents: number;
  servedAt: number;
}

export interface EventFact {
  sessionId: string;
  type: AdEventType;
  at: number;
}

export interface Facts {
  campaignId: string;
  advertiserAccountId: string;
  impressions: ImpressionFact[];
  events: EventFact[];
  spentMillicents: number;
  /** The object found the budget spent: an active row becomes budget_spent (a pause stays a pause). */
  budgetSpent: boolean;
  /** The updated_at of the row the object's config came from (CampaignConfig.updatedAt). */
  configUpdatedAt?: number;
}

/** D1 binds at most 100 parameters per statement: rows per INSERT for 9 bound columns (recorded_at is SQL) and 5. */
const IMPRESSIONS_PER_INSERT = 11;
const EVENTS_PER_INSERT = 20;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Writes the facts in one D1 batch (one transaction). */
export async function writeFacts(db: Db, f: Facts): Promise<void> {
  const impressionInserts = chunks(f.impressions, IMPRESSIONS_PER_INSERT).map((rows) =>
    db
      .insert(adImpressions)
      .values(
        rows.map((r) => ({
          sessionId: r.sessionId,
          campaignId: f.campaignId,
          advertiserAccountId: f.advertiserAccountId,
          creativeVideoId: r.creativeVideoId,
          videoId: r.videoId,
          channelId: r.channelId,
          priceMillicents: r.priceMillicents,
          servedAt: r.servedAt,
          day: utcDay(r.servedAt),
          // D1's clock in the inserting statement, not the object's: the row's payout period is
          // when it was stored, so an outbox delivered late lands in the open period, never in a
          // closed one (payouts/facts.ts). SQL, not a bound value, so it costs no parameter.
          recordedAt: sql`CAST(unixepoch('subsec') * 1000 AS INTEGER)`,
        })),
      )
      .onConflictDoNothing({ target: adImpressions.sessionId }),
  );
  const eventInserts = chunks(f.events, EVENTS_PER_INSERT).map((rows) =>
    db
      .insert(adEvents)
      .values(rows.map((r) => ({ ...r, campaignId: f.campaignId, day: utcDay(r.at) })))
      .onConflictDoNothing({ target: [adEvents.sessionId, adEvents.type] }),
  );
  const spend = db
    .update(adCampaigns)
    // max(): spend only grows, and two overlapping flushes may land in either order; the later
    // landing of an older figure must not lower the mirror.
    .set({ spentMillicents: sql`max(${adCampaigns.spentMillicents}, ${f.spentMillicents})` })
    .where(eq(adCampaigns.id, f.campaignId));
  const status = db
    .update(adCampaigns)
    .set({ status: "budget_spent", updatedAt: Date.now() })
    .where(
      and(
        eq(adCampaigns.id, f.campaignId),
        eq(adCampaigns.status, "active"),
        // Only the row the object's config was read from: a row changed since (a budget raise
        // written while this flush was on its way) is newer than what found the budget spent.
        f.configUpdatedAt === undefined ? undefined : lte(adCampaigns.updatedAt, f.configUpdatedAt),
      ),
    );
  await db.batch([spend, ...impressionInserts, ...eventInserts, ...(f.budgetSpent ? [status] : [])]);
}

/** Rows per flush round (a round is one D1 batch). */
const FLUSH_ROWS = 500;

/**
 * Writes the object's outbox to D1: billed sessions and events not yet flushed, the spend mirror
 * and a budget_spent status not yet written. Rows are marked flushed only after D1 answered, so a
 * failure leaves them for the next try; the caller runs one flush at a time.
 */
export async function flushOutbox(
  sql: SqlStorage,
  db: Db,
  config: CampaignConfig,
  status: CampaignStatus,
): Promise<void> {
  for (;;) {
    const sessions = sql
      .exec<SessionRow>(
        "SELECT * FROM sessions WHERE state = 'billed' AND flushed = 0 ORDER BY billed_at LIMIT ?",
        FLUSH_ROWS,
      )
      .toArray();
    const events = sql
      .exec<{ session_id: string; type: AdEventType; at: number }>(
        "SELECT session_id, type, at FROM events WHERE flushed = 0 ORDER BY at LIMIT ?",
        FLUSH_ROWS,
      )
      .toArray();
    const t = sql.exec<TotalsRow>("SELECT * FROM totals").one();
    const budgetSpent = status === "budget_spent" && t.status_flushed !== "budget_spent";
    if (!sessions.length && !events.length && !budgetSpent && t.spent_flushed === t.spent_millicents) return;
    await writeFacts(db, {
      campaignId: config.campaignId,
      advertiserAccountId: config.advertiserAccountId,
      impressions: sessions.map((s) => ({
        sessionId: s.id,
        creativeVideoId: s.creative_video_id,
        videoId: s.video_id,
        channelId: s.channel_id,
        priceMillicents: s.price_millicents,
        servedAt: s.billed_at ?? s.reserved_at,
      })),
      events: events.map((e) => ({ sessionId: e.session_id, type: e.type, at: e.at })),
      spentMillicents: t.spent_millicents,
      budgetSpent,
      configUpdatedAt: config.updatedAt,
    });
    for (const s of sessions) sql.exec("UPDATE sessions SET flushed = 1 WHERE id = ?", s.id);
    for (const e of events) {
      sql.exec("UPDATE events SET flushed = 1 WHERE session_id = ? AND type = ?", e.session_id, e.type);
    }
    // budget_spent counts as written only if it is still the object's status, from the same config:
    // a configure while D1 answered (a budget raise) reset the marker, and must not find it set again.
    const now = sql.exec<{ status: CampaignStatus; body: string }>("SELECT status, body FROM config").one();
    const unchanged = (JSON.parse(now.body) as CampaignConfig).updatedAt === config.updatedAt;
    const statusWritten = budgetSpent && now.status === "budget_spent" && unchanged;
    sql.exec(
      "UPDATE totals SET spent_flushed = max(spent_flushed, ?), status_flushed = coalesce(?, status_flushed)",
      t.spent_millicents,
      statusWritten ? "budget_spent" : null,
    );
    if (sessions.length < FLUSH_ROWS && events.length < FLUSH_ROWS) return;
  }
}
