import { DurableObject } from "cloudflare:workers";
import type { MigrationStep } from "../../lib/do-migrations";
import { migrate } from "../../lib/do-migrations";
import { DAY_MS, utcDay } from "../pacing";

/**
 * A slot outlives the campaign object's reservation of the same session by this much: both are
 * taken in parallel with the same lapse, and the impression (billed by the campaign object while
 * its reservation is live) must find the slot still held when it confirms it.
 */
export const FREQUENCY_GRACE_MS = 10_000;
/** An unconfirmed slot past its lapse is kept this long, so a late confirmation still counts it. */
const LATE_CONFIRM_MS = 3_600_000;
/** Confirmed slots are kept until their day is this far behind (caps are per UTC day). */
const KEEP_MS = 2 * DAY_MS;
const MAX_LAPSE_SECONDS = 600;

export const FREQUENCY_SCHEMA: readonly MigrationStep[] = [
  // 1: the viewer's slots, one per ad session: it counts against (campaign, UTC day of the
  // reservation) while confirmed (the impression happened) or until expires_at (it lapses).
  `CREATE TABLE slots (
     session_id TEXT PRIMARY KEY,
     campaign_id TEXT NOT NULL,
     day TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     confirmed INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX slots_by_campaign_day ON slots (campaign_id, day);
   CREATE INDEX slots_by_expiry ON slots (expires_at) WHERE confirmed = 0;
   CREATE INDEX slots_by_age ON slots (created_at);`,
];

export interface FrequencyReserveInput {
  sessionId: string;
  campaignId: string;
  capPerDay: number;
  lapseSeconds: number;
}

export interface FrequencyCandidate {
  campaignId: string;
  capPerDay: number;
}

export interface FrequencyPickInput {
  sessionId: string;
  /** The decision's ranked candidates, best first. */
  candidates: readonly FrequencyCandidate[];
  lapseSeconds: number;
}

export interface FrequencyPick {
  /** The first candidate under its cap, now holding a slot for the session (null: all capped). */
  campaignId: string | null;
  /** Every candidate the viewer has reached the cap of today (none of them may serve or set a price). */
  capped: string[];
}

export interface SlotRow extends Record<string, SqlStorageValue> {
  session_id: string;
  campaign_id: string;
  day: string;
  created_at: number;
  expires_at: number;
  confirmed: number;
}

/**
 * One viewer's frequency caps (binding AD_FREQUENCY, idFromName(viewerKey); docs/ads.md,
 * "Frequency caps"): impressions plus live reservations per campaign and UTC day stay below the
 * cap. `reserve` counts and inserts with synchronous SQL only, so the object's single thread makes
 * it atomic: fifty concurrent playbacks of one profile against a cap of 3 get exactly 3 slots.
 * A slot is made permanent by `confirm` (the campaign object calls it when it bills the
 * impression), given back by `release` (the decision chose another campaign) or lapses.
 */
export class AdFrequency extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  /** The alarm this object set (null: none; undefined: not known yet in this instance). */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, FREQUENCY_SCHEMA);
    });
  }

  /** Takes a slot for the session if the viewer has seen or holds fewer than the cap today. */
  async reserve(input: FrequencyReserveInput): Promise<boolean> {
    const pick = await this.reserveFirst({
      sessionId: input.sessionId,
      candidates: [{ campaignId: input.campaignId, capPerDay: input.capPerDay }],
      lapseSeconds: input.lapseSeconds,
    });
    return pick.campaignId !== null;
  }

  /**
   * The decision's call: takes a slot for the session in the first candidate the viewer is under
   * the cap of, and names every capped candidate, so the decision neither spends a try on a capped
   * campaign nor lets one set the second price. One round trip, atomic like `reserve`. A session
   * that holds a slot already answers that slot's campaign (a retried call).
   */
  async reserveFirst(input: FrequencyPickInput): Promise<FrequencyPick> {
    const now = Date.now();
    const day = utcDay(now);
    // From here to the insert: synchronous SQL only (the atomicity above depends on it).
    const existing = this.sql
      .exec<SlotRow>("SELECT * FROM slots WHERE session_id = ?", input.sessionId)
      .toArray()[0];
    if (existing) {
      const live = existing.confirmed === 1 || existing.expires_at > now;
      return { campaignId: live ? existing.campaign_id : null, capped: [] };
    }
    const used = new Map(
      this.sql
        .exec<{ campaign_id: string; n: number }>(
          `SELECT campaign_id, COUNT(*) AS n FROM slots WHERE day = ? AND (confirmed = 1 OR expires_at > ?)
           GROUP BY campaign_id`,
          day,
          now,
        )
        .toArray()
        .map((r) => [r.campaign_id, r.n]),
    );
    const capOf = (c: FrequencyCandidate) => (Number.isFinite(c.capPerDay) ? Math.floor(c.capPerDay) : 0);
    const capped = input.candidates
      .filter((c) => (used.get(c.campaignId) ?? 0) >= capOf(c))
      .map((c) => c.campaignId);
    const chosen = input.candidates.find((c) => !capped.includes(c.campaignId));
    if (!chosen) return { campaignId: null, capped };
    const lapse = Math.min(Math.max(Math.floor(input.lapseSeconds) || 1, 1), MAX_LAPSE_SECONDS) * 1000;
    this.sql.exec(
      "INSERT INTO slots (session_id, campaign_id, day, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      input.sessionId,
      chosen.campaignId,
      day,
      now,
      now + lapse + FREQUENCY_GRACE_MS,
    );
    await this.alarmBy(now + lapse + FREQUENCY_GRACE_MS + LATE_CONFIRM_MS);
    return { campaignId: chosen.campaignId, capped };
  }

  /**
   * The session's impression happened: its slot no longer lapses. A slot that lapsed a moment ago
   * counts again (the impression is the truth); an unknown session is ignored. Idempotent.
   */
  async confirm(sessionId: string): Promise<void> {
    // The reservation set an alarm that will find this slot; from then on the day's cleanup keeps one.
    this.sql.exec("UPDATE slots SET confirmed = 1 WHERE session_id = ?", sessionId);
  }

  /** Frees an unconfirmed slot at once. Idempotent; a confirmed slot (an impression) stays. */
  async release(sessionId: string): Promise<void> {
    this.sql.exec("DELETE FROM slots WHERE session_id = ? AND confirmed = 0", sessionId);
  }

  /** Drops lapsed slots (after the late-confirmation window) and days no cap looks at any more. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.alarmAt = null; // the running alarm is spent
    this.sql.exec("DELETE FROM slots WHERE confirmed = 0 AND expires_at <= ?", now - LATE_CONFIRM_MS);
    this.sql.exec("DELETE FROM slots WHERE day < ?", utcDay(now - KEEP_MS));
    const next = this.nextAlarm();
    this.alarmAt = next === null ? null : Math.max(next, now + 1000);
    if (this.alarmAt === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(this.alarmAt);
  }

  private nextAlarm(): number | null {
    const row = this.sql
      .exec<{ lapse: number | null; oldest: number | null }>(
        `SELECT (SELECT MIN(expires_at) FROM slots WHERE confirmed = 0) AS lapse,
                (SELECT MIN(created_at) FROM slots) AS oldest`,
      )
      .one();
    const times = [
      row.lapse === null ? null : row.lapse + LATE_CONFIRM_MS,
      row.oldest === null ? null : Math.floor(row.oldest / DAY_MS) * DAY_MS + KEEP_MS + DAY_MS,
    ].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  /** Keeps an alarm at or before `at`, remembering the one set (no storage read on the hot path). */
  private async alarmBy(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
