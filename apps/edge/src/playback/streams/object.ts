import { DurableObject } from "cloudflare:workers";
import { migrate } from "../../lib/do-migrations";
import { STREAMS_SCHEMA } from "./schema";

/** The promise: a stream stops holding its slot within 2 minutes of its last heartbeat. */
const MAX_LAPSE_SECONDS = 120;
/** Bound on any plan's number (the edge passes the entitlement; this only keeps the table small). */
const MAX_STREAM_LIMIT = 100;
/** Device labels are short constants (service.ts `deviceLabel`); this bounds them whatever is sent. */
export const MAX_DEVICE_LENGTH = 60;

/** One live playback, as the object answers it (times in ms since the epoch, the object's clock). */
export interface StreamView {
  streamId: string;
  profileId: string | null;
  device: string;
  videoId: string;
  startedAt: number;
  lastSeenAt: number;
}

export interface AcquireInput {
  /** The caller's stream from an earlier issue (a token refresh or seek re-asks playback). */
  streamId?: string | null;
  /**
   * The sign-in (session) asking: one session is one device, and a device watches one thing at a
   * time, so a second tab or the next video of the same session renews that session's stream
   * instead of taking another slot (and the race of the old page's DELETE with the new page's
   * playback request cannot refuse the new page).
   */
  sessionId?: string | null;
  profileId: string | null;
  device: string;
  videoId: string;
  /** The plan's number of concurrent streams. */
  limit: number;
  /** How long the stream holds its slot after its last sign of life (STREAM_LAPSE_SECONDS). */
  lapseSeconds: number;
}

export type AcquireResult =
  | { ok: true; streamId: string; renewed: boolean }
  | { ok: false; reason: "too_many_streams"; active: StreamView[] };

export interface StreamRow extends Record<string, SqlStorageValue> {
  id: string;
  session_id: string | null;
  profile_id: string | null;
  device: string;
  video_id: string;
  started_at: number;
  last_seen_at: number;
  expires_at: number;
  /**
   * SQLite's rowid: insertion order. Streams started in the same millisecond (workerd's clock does
   * not move between calls without I/O) rank by it, so "the oldest keep their slots" means the
   * first taken, not a random id's order.
   */
  seq: number;
}

/**
 * The lapse in ms: a whole number of seconds in 1..MAX_LAPSE_SECONDS. config.ts validates
 * STREAM_LAPSE_SECONDS already; the clamp here is the object's own invariant, so no caller (an
 * unusable number included) can make a stream hold its slot past 2 minutes.
 */
function lapseMs(seconds: number): number {
  const s = Number.isFinite(seconds) ? Math.floor(seconds) : MAX_LAPSE_SECONDS;
  return Math.min(Math.max(s, 1), MAX_LAPSE_SECONDS) * 1000;
}

const clampLimit = (limit: number) =>
  Number.isFinite(limit) ? Math.min(Math.max(Math.floor(limit), 0), MAX_STREAM_LIMIT) : 0;

/** Server-chosen and random (never the client's): `stream_<32 hex>`, the shape of lib/params ids. */
const newStreamId = () => `stream_${crypto.randomUUID().replaceAll("-", "")}`;

const view = (r: StreamRow): StreamView => ({
  streamId: r.id,
  profileId: r.profile_id,
  device: r.device,
  videoId: r.video_id,
  startedAt: r.started_at,
  lastSeenAt: r.last_seen_at,
});

/**
 * One account's active playbacks (object name = account id; docs/billing.md, "Concurrent streams").
 *
 * Invariants, and why they hold:
 * - **Never more live streams than the limit the caller passed.** `acquire` prunes, counts and
 *   inserts with synchronous SQL only (no `await` between them), so the object's single thread
 *   makes it atomic: two concurrent acquires at limit-1 cannot both see a free slot. The output
 *   gate holds the answer until the write is durable (persist before answering).
 * - **Live means `expires_at` is in the future, on this object's clock.** `expires_at` is set from
 *   `Date.now()` here at acquire and heartbeat, never from anything a client sent, so a heartbeat
 *   cannot backdate, forward-date or outlive the lapse. Every method prunes lapsed rows first, so a
 *   late alarm can neither let a heartbeat resurrect a lapsed stream nor let it hold a slot.
 * - **Ids are the object's.** A stream id given back that is unknown or lapsed never becomes a
 *   stream: a new random id is made. The object is addressed by the caller's account id, so another
 *   account's stream id is simply not found here.
 * - **The table stays small**: at most MAX_STREAM_LIMIT live rows, lapsed ones pruned by every
 *   call and by the alarm, which is kept at (or before) the earliest expiry while rows exist.
 */
export class AccountStreams extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, STREAMS_SCHEMA);
    });
  }

  /**
   * Takes a slot for a playback, or renews the caller's live `streamId` without taking another.
   * Refused when every slot is in use, with the live streams (for the "too many streams" problem).
   */
  async acquire(input: AcquireInput): Promise<AcquireResult> {
    const now = Date.now();
    const limit = clampLimit(input.limit);
    const expires = now + lapseMs(input.lapseSeconds);
    const device = input.device.slice(0, MAX_DEVICE_LENGTH);
    // From here to the return: synchronous SQL only (the atomicity above depends on it).
    this.prune(now);
    // A stream id given back renews only a stream of the same session: the too_many_streams problem
    // and GET /me/streams show every device's id, and another device naming one must not share it.
    const given = input.streamId ? this.row(input.streamId) : undefined;
    const own = given && given.session_id === (input.sessionId ?? null) ? given : undefined;
    const held = own ?? (input.sessionId ? this.sessionRow(input.sessionId) : undefined);
    let result: AcquireResult;
    if (held && this.olderThan(held) < limit) {
      // A re-issue (token refresh, seek, next video) of a live stream: same slot, now fresh.
      this.sql.exec(
        `UPDATE streams SET profile_id = ?, device = ?, video_id = ?, last_seen_at = ?, expires_at = ?
         WHERE id = ?`,
        input.profileId,
        device,
        input.videoId,
        now,
        expires,
        held.id,
      );
      result = { ok: true, streamId: held.id, renewed: true };
    } else if (held) {
      // More live streams than the limit (it was lowered: a downgrade). The oldest `limit` keep
      // their slots; this newer one loses its own rather than keep playing above the plan.
      this.sql.exec("DELETE FROM streams WHERE id = ?", held.id);
      result = { ok: false, reason: "too_many_streams", active: this.live() };
    } else if (this.count() >= limit) {
      result = { ok: false, reason: "too_many_streams", active: this.live() };
    } else {
      const id = newStreamId();
      this.sql.exec(
        `INSERT INTO streams (id, session_id, profile_id, device, video_id, started_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        id,
        input.sessionId ?? null,
        input.profileId,
        device,
        input.videoId,
        now,
        now,
        expires,
      );
      result = { ok: true, streamId: id, renewed: false };
    }
    await this.aimAlarm();
    return result;
  }

  /**
   * Keeps a live stream's slot (from now, by this object's clock). False when the stream is
   * unknown, ended or lapsed: the player must ask for playback again.
   */
  async heartbeat(streamId: string, options: { lapseSeconds: number }): Promise<boolean> {
    const now = Date.now();
    this.prune(now);
    const live =
      this.sql
        .exec(
          "UPDATE streams SET last_seen_at = ?, expires_at = ? WHERE id = ? AND expires_at > ? RETURNING id",
          now,
          now + lapseMs(options.lapseSeconds),
          streamId,
          now,
        )
        .toArray().length > 0;
    await this.aimAlarm();
    return live;
  }

  /**
   * Frees the stream's slot at once. Idempotent: answers whether a live stream was ended. With
   * `profileId`, only a stream of that profile is ended (kids profiles end only their own).
   */
  async end(streamId: string, options: { profileId?: string } = {}): Promise<boolean> {
    const now = Date.now();
    this.prune(now);
    const ended =
      this.sql
        .exec(
          "DELETE FROM streams WHERE id = ? AND (?2 IS NULL OR profile_id = ?2) RETURNING id",
          streamId,
          options.profileId ?? null,
        )
        .toArray().length > 0;
    await this.aimAlarm();
    return ended;
  }

  /** The live streams, oldest first. */
  async list(): Promise<StreamView[]> {
    this.prune(Date.now());
    const active = this.live();
    await this.aimAlarm();
    return active;
  }

  /**
   * Erasure (account or profile deleted): drops the streams of `profileIds`, or every one with
   * "all", freeing their slots at once. Idempotent: answers how many were dropped.
   */
  async erase(profileIds: readonly string[] | "all"): Promise<number> {
    const dropped =
      profileIds === "all"
        ? this.sql.exec("DELETE FROM streams RETURNING id").toArray().length
        : profileIds.reduce(
            (n, id) =>
              n + this.sql.exec("DELETE FROM streams WHERE profile_id = ? RETURNING id", id).toArray().length,
            0,
          );
    await this.aimAlarm();
    return dropped;
  }

  /** Prunes lapsed rows, so the table does not keep streams nobody asks about again. */
  override async alarm(): Promise<void> {
    this.prune(Date.now());
    const next = this.earliestExpiry();
    // The alarm that is running is spent: set the next one unconditionally.
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private prune(now: number): void {
    this.sql.exec("DELETE FROM streams WHERE expires_at <= ?", now);
  }

  private row(streamId: string): StreamRow | undefined {
    return this.sql
      .exec<StreamRow>("SELECT rowid AS seq, * FROM streams WHERE id = ?", streamId)
      .toArray()[0];
  }

  /** The session's live stream, if it has one (the newest, should an older one linger). */
  private sessionRow(sessionId: string): StreamRow | undefined {
    return this.sql
      .exec<StreamRow>(
        "SELECT rowid AS seq, * FROM streams WHERE session_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1",
        sessionId,
      )
      .toArray()[0];
  }

  private count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM streams").one().n;
  }

  /** How many live streams started before `row` (its rank among them, 0 for the oldest). */
  private olderThan(row: StreamRow): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT COUNT(*) AS n FROM streams WHERE started_at < ?1 OR (started_at = ?1 AND rowid < ?2)",
        row.started_at,
        row.seq,
      )
      .one().n;
  }

  private live(): StreamView[] {
    return this.sql
      .exec<StreamRow>("SELECT rowid AS seq, * FROM streams ORDER BY started_at, rowid")
      .toArray()
      .map(view);
  }

  private earliestExpiry(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM streams").one().at;
  }

  /**
   * Keeps an alarm at or before the earliest expiry while rows exist. An alarm earlier than needed
   * (the row was renewed since) just prunes nothing and re-aims, which saves a write per heartbeat.
   */
  private async aimAlarm(): Promise<void> {
    const next = this.earliestExpiry();
    const current = await this.ctx.storage.getAlarm();
    if (next === null) {
      if (current !== null) await this.ctx.storage.deleteAlarm();
    } else if (current === null || current > next) {
      await this.ctx.storage.setAlarm(next);
    }
  }
}
