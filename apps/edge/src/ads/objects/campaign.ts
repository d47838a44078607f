import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../../config";
import { createDb } from "../../db/client";
import { AD_EVENT_TYPES, type AdEventType, type CampaignStatus } from "../../db/schema";
import { migrate } from "../../lib/do-migrations";
import { DAY_MS, pacingAllowanceMillicents, utcDay } from "../pacing";
import type {
  CampaignConfig,
  CampaignSpend,
  ReserveInput,
  ReserveResult,
  TrackEvent,
  TrackResult,
} from "../types";
import { flushOutbox } from "./campaign-facts";
import { CAMPAIGN_SCHEMA, type SessionRow, type TotalsRow } from "./campaign-schema";

/** The most a reservation may be held, whatever ADS_RESERVATION_SECONDS says (config caps it too). */
const MAX_LAPSE_SECONDS = 600;
/** Facts wait this long for company before the alarm writes them (one D1 batch for many). */
const FLUSH_DELAY_MS = 5_000;
/** A failed flush or frequency confirmation is tried again this much later. */
const RETRY_MS = 30_000;
/** Sessions (and their events) are kept this long, then dropped once written to D1. */
export const RETAIN_MS = 3 * DAY_MS;

const TRACKED: readonly AdEventType[] = AD_EVENT_TYPES;

/** No further impression at the bid fits in what is left of the total budget. */
const exhausted = (c: CampaignConfig, spent: number) => c.totalBudgetCents * 1000 - spent < c.cpmBidCents;

/**
 * One campaign's money (binding AD_CAMPAIGNS, idFromName(campaignId); docs/ads.md, "Budgets").
 *
 * Invariants, and why they hold:
 * - **Spend never passes the budgets.** `reserve` prunes lapsed reservations, checks the total
 *   budget, the day's budget and even pacing against spent + reserved + this price, and inserts the
 *   reservation with synchronous SQL only (no `await` in between), so the object's single thread
 *   makes each check-and-hold atomic: a thousand concurrent reserves cannot overbook a millicent.
 *   The output gate holds every answer until its write is durable.
 * - **An impression bills its own live reservation, once.** `track` moves a `held` session to
 *   `billed` (money from reserved to spent) only while it has not lapsed; a replay finds it billed,
 *   a lapsed or unknown session (another campaign's included: sessions live in their campaign's
 *   object) bills nothing, and no other event counts for a session without its impression. A held
 *   session whose price no longer fits the budgets as configured now (lowered since it was
 *   reserved) lapses at its impression instead of billing.
 * - **Configs apply newest first**: one older (`updatedAt`) than the stored one is ignored.
 * - **A reservation's money comes back when it lapses** (`expires_at`, set here from this object's
 *   clock and ADS_RESERVATION_SECONDS): every call prunes lapsed ones first, and the alarm does too.
 * - **D1 gets every fact once** (campaign-facts.ts): the outbox is the `flushed` flag; the writes
 *   are idempotent, so a flush that fails or overlaps another is simply done again.
 * - **The tables stay small**: sessions and events older than RETAIN_MS are dropped once flushed.
 */
export class AdCampaign extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  private flushing: Promise<void> | null = null;
  /** The config row, parsed (undefined: not read yet or changed since). */
  private cached: { config: CampaignConfig | null; status: CampaignStatus } | undefined;
  /** The alarm this object set (null: none; undefined: not known yet in this instance). */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, CAMPAIGN_SCHEMA);
    });
  }

  /**
   * Stores the campaign as the API has it now (pushed on every change). An `active` campaign whose
   * budget has no room for one more impression at its bid is `budget_spent` here. Answers the spend.
   */
  async configure(config: CampaignConfig): Promise<CampaignSpend> {
    const now = Date.now();
    const amounts = [config.totalBudgetCents, config.dailyBudgetCents, config.cpmBidCents];
    if (!amounts.every((n) => Number.isSafeInteger(n) && n > 0)) {
      throw new TypeError("budgets and bid must be positive integers (cents)");
    }
    this.prune(now);
    // Two overlapping API writes may push in either order: an older row never replaces a newer one.
    const current = this.config();
    if (config.updatedAt !== undefined && (current?.updatedAt ?? -1) > config.updatedAt)
      return this.view(now);
    const { spent_millicents: spent } = this.totals();
    const status: CampaignStatus =
      config.status === "active" && exhausted(config, spent) ? "budget_spent" : config.status;
    this.sql.exec(
      `INSERT INTO config (id, body, status) VALUES (1, ?1, ?2)
       ON CONFLICT (id) DO UPDATE SET body = ?1, status = ?2`,
      JSON.stringify(config),
      status,
    );
    // The API's row is active (a raise, a resume; or a raise too small, still spent here): D1 says
    // active now, so an exhaustion, at once or later, must reach D1 again.
    if (config.status === "active") this.sql.exec("UPDATE totals SET status_flushed = NULL");
    this.cached = undefined;
    if (status === "budget_spent") await this.alarmBy(now + FLUSH_DELAY_MS); // the D1 mirror
    return this.view(now);
  }

  /**
   * Holds `priceMillicents` for one ad session until its impression or its lapse. Refused when the
   * campaign is not running (status, start, end), or when the price does not fit the total budget,
   * the day's budget or even pacing's allowance so far today.
   */
  async reserve(input: ReserveInput): Promise<ReserveResult> {
    const now = Date.now();
    const price = input.priceMillicents;
    if (!Number.isSafeInteger(price) || price <= 0) throw new TypeError("price must be positive millicents");
    // From here to the insert: synchronous SQL only (the atomicity above depends on it).
    this.prune(now);
    const existing = this.row(input.sessionId);
    if (existing) {
      if (existing.state === "held") return { ok: true, expiresAt: existing.expires_at };
      throw new Error(`ad session ${input.sessionId} was used already`);
    }
    const config = this.config();
    const status = this.status();
    // A price above the bid comes from a decision made on an older config (the bid was lowered).
    if (!config || status !== "active" || now < config.startsAt || price > config.cpmBidCents) {
      return { ok: false, reason: "not_running" };
    }
    if (config.endsAt !== null && now >= config.endsAt) return { ok: false, reason: "not_running" };
    const t = this.totals();
    if (t.spent_millicents + t.reserved_millicents + price > config.totalBudgetCents * 1000) {
      return { ok: false, reason: "budget" };
    }
    // Every live reservation counts against today: it bills today or lapses within minutes.
    const today = this.billedOn(utcDay(now)) + t.reserved_millicents + price;
    if (today > config.dailyBudgetCents * 1000) return { ok: false, reason: "daily_budget" };
    if (today > pacingAllowanceMillicents(config, now)) return { ok: false, reason: "pacing" };
    const expiresAt = now + this.lapseMs();
    this.sql.exec(
      `INSERT INTO sessions (id, price_millicents, creative_video_id, video_id, channel_id, viewer_key,
         reserved_at, expires_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'held')`,
      input.sessionId,
      price,
      input.creativeVideoId,
      input.videoId,
      input.channelId,
      input.viewerKey,
      now,
      expiresAt,
    );
    this.sql.exec("UPDATE totals SET reserved_millicents = reserved_millicents + ?", price);
    await this.alarmBy(expiresAt);
    return { ok: true, expiresAt };
  }

  /** Gives a live reservation's money back at once (the decision chose another campaign). Idempotent. */
  async release(sessionId: string): Promise<void> {
    const now = Date.now();
    this.prune(now);
    const released = this.sql
      .exec<{ price_millicents: number }>(
        "UPDATE sessions SET state = 'released' WHERE id = ? AND state = 'held' RETURNING price_millicents",
        sessionId,
      )
      .toArray()[0];
    if (released) {
      this.sql.exec(
        "UPDATE totals SET reserved_millicents = reserved_millicents - ?",
        released.price_millicents,
      );
    }
  }

  /**
   * Records what the edge saw of a session: `impression` bills its live reservation (once); the
   * other events count once each, and only once the session's impression has billed. Answers the
   * events of this call that counted. A newly billed impression is confirmed in the viewer's
   * frequency object, so that slot no longer lapses. A session reserved before a pause or an end
   * still bills: its ad was already stitched into the viewer's stream and is playing.
   */
  async track(sessionId: string, events: TrackEvent[]): Promise<TrackResult> {
    const now = Date.now();
    const wanted = new Set(events);
    const counted: TrackEvent[] = [];
    this.prune(now);
    const session = this.row(sessionId);
    if (!session) return { counted };
    let billedNow = false;
    if (wanted.has("impression") && session.state === "held") {
      if (!this.fits(session.price_millicents, now)) {
        // The budget was lowered below what this reservation held: it bills nothing and, like a
        // lapsed session, nothing else counts for it.
        this.lapse(session);
        return { counted };
      }
      this.bill(session, now);
      counted.push("impression");
      billedNow = true;
    }
    if (billedNow || session.state === "billed") {
      for (const type of TRACKED) {
        if (!wanted.has(type)) continue;
        const added = this.sql
          .exec(
            "INSERT INTO events (session_id, type, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING type",
            sessionId,
            type,
            now,
          )
          .toArray();
        if (added.length > 0) counted.push(type);
      }
    }
    if (counted.length > 0) await this.alarmBy(now + FLUSH_DELAY_MS);
    if (billedNow) await this.confirmFrequency(session);
    return { counted };
  }

  async spend(): Promise<CampaignSpend> {
    const now = Date.now();
    this.prune(now);
    return this.view(now);
  }

  /** Writes pending facts to D1 now (the alarm does it too); for tests and reports. */
  async flush(): Promise<void> {
    // One flush at a time: a second caller waits for the running one, then flushes what is left.
    while (this.flushing) await this.flushing;
    this.flushing = this.flushNow().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Lapses reservations, confirms and flushes what is pending, drops old sessions, re-aims. */
  override async alarm(): Promise<void> {
    this.alarmAt = null; // the running alarm is spent
    const now = Date.now();
    this.prune(now);
    let retry = false;
    try {
      await this.flush();
    } catch {
      retry = true; // D1 is unreachable: the facts stay in the outbox
    }
    try {
      await this.retryConfirms();
    } catch {
      retry = true;
    }
    this.cleanup(Date.now());
    const next = this.nextAlarm(Date.now());
    const at = retry ? Math.min(next ?? Number.POSITIVE_INFINITY, Date.now() + RETRY_MS) : next;
    // The alarm that is running is spent: set the next one unconditionally.
    this.alarmAt = at;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  private bill(session: SessionRow, now: number): void {
    const price = session.price_millicents;
    this.sql.exec("UPDATE sessions SET state = 'billed', billed_at = ? WHERE id = ?", now, session.id);
    this.sql.exec(
      `UPDATE totals SET reserved_millicents = reserved_millicents - ?1,
         spent_millicents = spent_millicents + ?1, impressions = impressions + 1`,
      price,
    );
    this.sql.exec(
      `INSERT INTO days (day, billed_millicents, impressions) VALUES (?1, ?2, 1)
       ON CONFLICT (day) DO UPDATE SET billed_millicents = billed_millicents + ?2, impressions = impressions + 1`,
      utcDay(now),
      price,
    );
    const config = this.config();
    if (config && this.status() === "active" && exhausted(config, this.totals().spent_millicents)) {
      this.sql.exec("UPDATE config SET status = 'budget_spent'");
      this.cached = undefined;
    }
  }

  /**
   * Whether billing `price` now keeps spend within the budgets as they are now (reserve checked
   * them as they were: a configure since may have lowered them below what reservations hold).
   */
  private fits(price: number, now: number): boolean {
    const config = this.config();
    if (!config) return false;
    if (this.totals().spent_millicents + price > config.totalBudgetCents * 1000) return false;
    return this.billedOn(utcDay(now)) + price <= config.dailyBudgetCents * 1000;
  }

  /** Ends a held session unbilled: its money is no longer reserved. */
  private lapse(session: SessionRow): void {
    this.sql.exec("UPDATE sessions SET state = 'lapsed' WHERE id = ? AND state = 'held'", session.id);
    this.sql.exec(
      "UPDATE totals SET reserved_millicents = reserved_millicents - ?",
      session.price_millicents,
    );
  }

  private async confirmFrequency(session: SessionRow): Promise<void> {
    try {
      const frequency = this.env.AD_FREQUENCY;
      await frequency.get(frequency.idFromName(session.viewer_key)).confirm(session.id);
      this.sql.exec("UPDATE sessions SET confirmed = 1 WHERE id = ?", session.id);
    } catch {
      // Left unconfirmed: the alarm tries again (the frequency slot holds a grace past the lapse).
    }
  }

  private async retryConfirms(): Promise<void> {
    const pending = this.sql
      .exec<SessionRow>(
        "SELECT * FROM sessions WHERE state = 'billed' AND confirmed = 0 ORDER BY billed_at LIMIT 50",
      )
      .toArray();
    for (const session of pending) await this.confirmFrequency(session);
    if (pending.some((s) => this.row(s.id)?.confirmed === 0)) throw new Error("frequency unreachable");
  }

  private async flushNow(): Promise<void> {
    const config = this.config();
    if (config) await flushOutbox(this.sql, createDb(this.env.DB), config, this.status());
  }

  /** Lapses held reservations past their expiry: their money is no longer reserved. */
  private prune(now: number): void {
    const lapsed = this.sql
      .exec<{ price_millicents: number }>(
        "UPDATE sessions SET state = 'lapsed' WHERE state = 'held' AND expires_at <= ? RETURNING price_millicents",
        now,
      )
      .toArray();
    const back = lapsed.reduce((sum, r) => sum + r.price_millicents, 0);
    if (back > 0) this.sql.exec("UPDATE totals SET reserved_millicents = reserved_millicents - ?", back);
  }

  /** Drops sessions older than RETAIN_MS that D1 has (or never needed), their events, old days. */
  private cleanup(now: number): void {
    const before = now - RETAIN_MS;
    this.sql.exec(
      // An unconfirmed one goes too: its frequency day is long over.
      "DELETE FROM sessions WHERE reserved_at < ? AND (state != 'billed' OR flushed = 1)",
      before,
    );
    this.sql.exec(
      "DELETE FROM events WHERE flushed = 1 AND session_id NOT IN (SELECT id FROM sessions WHERE state = 'billed')",
    );
    this.sql.exec("DELETE FROM days WHERE day < ?", utcDay(before));
  }

  private lapseMs(): number {
    const s = loadConfig(this.env).ads.reservationSeconds;
    return Math.min(Math.max(Math.floor(s), 1), MAX_LAPSE_SECONDS) * 1000;
  }

  /** The stored config and status, parsed once per change (every write above resets the cache). */
  private stored(): { config: CampaignConfig | null; status: CampaignStatus } {
    if (!this.cached) {
      const row = this.sql
        .exec<{ body: string; status: CampaignStatus }>("SELECT body, status FROM config")
        .toArray()[0];
      this.cached = row
        ? { config: JSON.parse(row.body) as CampaignConfig, status: row.status }
        : { config: null, status: "draft" };
    }
    return this.cached;
  }

  private config(): CampaignConfig | null {
    return this.stored().config;
  }

  private status(): CampaignStatus {
    return this.stored().status;
  }

  private totals(): TotalsRow {
    return this.sql.exec<TotalsRow>("SELECT * FROM totals").one();
  }

  private row(sessionId: string): SessionRow | undefined {
    return this.sql.exec<SessionRow>("SELECT * FROM sessions WHERE id = ?", sessionId).toArray()[0];
  }

  private billedOn(day: string): number {
    return (
      this.sql
        .exec<{ billed_millicents: number }>("SELECT billed_millicents FROM days WHERE day = ?", day)
        .toArray()[0]?.billed_millicents ?? 0
    );
  }

  /** The spend, with the status as served: a running campaign past its end shows `ended`. */
  private view(now: number): CampaignSpend {
    const t = this.totals();
    const status = this.status();
    const endsAt = this.config()?.endsAt ?? null;
    return {
      status: status === "active" && endsAt !== null && now >= endsAt ? "ended" : status,
      impressions: t.impressions,
      spentMillicents: t.spent_millicents,
      todayMillicents: this.billedOn(utcDay(now)),
      reservedMillicents: t.reserved_millicents,
    };
  }

  /** The next moment the alarm has work: a lapse, pending facts or confirmations, old sessions. */
  private nextAlarm(now: number): number | null {
    const held = this.sql
      .exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM sessions WHERE state = 'held'")
      .one().at;
    const pending =
      this.sql
        .exec(
          `SELECT 1 FROM sessions WHERE state = 'billed' AND (flushed = 0 OR confirmed = 0)
           UNION ALL SELECT 1 FROM events WHERE flushed = 0 LIMIT 1`,
        )
        .toArray().length > 0;
    const t = this.totals();
    const mirror =
      t.spent_flushed !== t.spent_millicents ||
      (this.status() === "budget_spent" && t.status_flushed !== "budget_spent");
    const oldest = this.sql
      .exec<{ at: number | null }>("SELECT MIN(reserved_at) AS at FROM sessions")
      .one().at;
    const times = [
      held,
      pending || mirror ? now + FLUSH_DELAY_MS : null,
      // What cleanup could not drop yet waits for its flush (retried): not a busy loop.
      oldest === null ? null : Math.max(oldest + RETAIN_MS, now + RETRY_MS),
    ].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  /**
   * Keeps an alarm at or before `at` (new work: a reservation's lapse, facts to flush). The object
   * remembers the alarm it set, so the hot path reads no storage for it; an alarm earlier than
   * needed just finds less to do and re-aims at the next moment of work (`nextAlarm`).
   */
  private async alarmBy(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
