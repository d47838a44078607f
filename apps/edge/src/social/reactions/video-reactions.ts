import { DurableObject } from "cloudflare:workers";
import { createLogger } from "../../lib/logger";

/**
 * Likes and dislikes of one video, or of one shard of a hot video's profiles (docs/social.md,
 * "Reactions"). The object is named `${videoId}:${shard}`; the edge sends every profile to shard
 * `shardOf(profileId, shards)` (shards.ts), so one profile's reaction always lives in exactly one
 * shard and the video's totals are the plain sum over its shards.
 *
 * Invariants, and why they hold:
 * - **One reaction per profile, exact counts.** `reactions` has the profile as primary key, and
 *   every method reads the old value, writes the new one and moves `likes`/`dislikes` and the
 *   day's deltas in one synchronous step (no `await` in between). The object runs one event at a
 *   time, so that step is atomic: 50 concurrent identical likes find the row after the first one
 *   and change nothing; a switch moves exactly one count; a clear removes exactly one.
 * - **Persisted before answered.** SQLite writes commit implicitly; the output gate holds the RPC
 *   answer until they are durable, so a caller never sees a count the storage could lose.
 * - **Per-day deltas sum to the totals.** Each change adds +1/−1 to today's (UTC) row, so the sum
 *   over every day equals `likes`/`dislikes`; stats show likes, dislikes and net per day.
 * - **D1 gets absolute totals from one writer.** Shards never write the totals. Shard `k ≠ 0`
 *   reports its absolute counts and changed days (with its monotonic `version`) to shard 0 from its
 *   alarm; shard 0 keeps the latest report of every shard (`agg_*`, a stale or repeated report is
 *   ignored by version) and its own alarm writes the *sums* to D1 with plain `SET = ?`. Replaying a
 *   report or a flush therefore never double-counts (unlike `like_count = like_count + ?`), and
 *   because one object's alarms never overlap, D1 sees the sums in order.
 * - **The D1 index mirrors who reacted how.** `video_reaction_index` has one row per (profile,
 *   video) with a reaction, so erasing a profile finds the videos it reacted to. Every change marks
 *   its profile in `index_dirty` in the same synchronous step as the change (so no change can be
 *   missed), and each shard's alarm writes *its own* profiles' rows from the current state: upsert
 *   the value, or delete the row when the reaction is gone. A profile lives in exactly one shard, so
 *   shards never write the same row; the writes are absolute, so a retried flush is harmless; and a
 *   dirty mark is cleared only up to the `seq` the write covered (a change during the write stays
 *   dirty). Rows are inserted only for profiles that still exist, and a reaction whose profile no
 *   longer exists is forgotten by the shard itself: a flush racing an erasure can neither
 *   resurrect an index row nor keep a like the erasure could no longer find.
 * - **A few seconds, not every like.** The first unflushed change sets an alarm FLUSH_DELAY_MS
 *   ahead; changes while it is pending ride along (totals and index alike). Failed reports/flushes
 *   retry with backoff.
 * - **The shard layout is pinned.** The first call stores (videoId, shard, shards); a call that
 *   addresses the object with another layout is refused (`ShardMismatchError` text), because a
 *   profile rehashed to another shard could react twice. Changing N needs a reshard (docs).
 */

export type ReactionValue = "like" | "dislike";

export interface ShardAddress {
  videoId: string;
  /** 0-based index of this shard. */
  shard: number;
  /** How many shards the video's profiles are split over. */
  shards: number;
}

export interface Counts {
  likes: number;
  dislikes: number;
}

export interface ReactionAnswer {
  /** The profile's reaction after the call. */
  value: ReactionValue | null;
  /** False when the call repeated the stored state (nothing moved). */
  changed: boolean;
  /** This shard's exact counts. */
  shardCounts: Counts;
  /**
   * The whole video: this shard's exact counts plus the other shards' as shard 0 last heard them
   * (a few seconds old at most while they are busy). Exact when the video has one shard.
   */
  total: Counts;
}

export interface DayCounts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  likes: number;
  dislikes: number;
}

/** What a shard tells shard 0: its absolute counts and the days that changed since its last report. */
export interface ShardReport {
  address: ShardAddress;
  version: number;
  likes: number;
  dislikes: number;
  days: DayCounts[];
}

/** Text of the error thrown at a call that addresses the object with another shard layout. */
export const SHARD_MISMATCH = "reaction shard mismatch";

/** The alarm runs this long after the first unflushed change. */
export const FLUSH_DELAY_MS = 1000;
/** Longest wait between retries of a failed report or flush. */
const MAX_RETRY_MS = 60_000;
/** A shard refreshes its view of the other shards before answering when it is older than this. */
const OTHERS_MAX_AGE_MS = 5000;
const MAX_SHARDS = 64;
/** D1 statements per flush batch (one per changed day, plus the totals). */
const MAX_DAYS_PER_FLUSH = 90;
/** Profiles per index write (one JSON parameter of ~70 bytes each), and writes per alarm. */
const INDEX_PER_WRITE = 1000;
const INDEX_WRITES_PER_ALARM = 5;

interface StateRow extends Record<string, SqlStorageValue> {
  video_id: string;
  shard: number;
  shards: number;
  likes: number;
  dislikes: number;
  /** Bumped by every change of this shard's reactions. */
  version: number;
  /** The latest `version` shard 0 has acknowledged (for shard 0: absorbed into `agg_*`). */
  reported_version: number;
  others_likes: number;
  others_dislikes: number;
  others_at: number;
  /** Shard 0: bumped whenever an absorbed report changes the sums; `flushed_seq` is what D1 has. */
  agg_seq: number;
  flushed_seq: number;
  failures: number;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function checkAddress(a: ShardAddress): void {
  if (
    typeof a?.videoId !== "string" ||
    a.videoId.length < 1 ||
    a.videoId.length > 100 ||
    !Number.isInteger(a.shards) ||
    a.shards < 1 ||
    a.shards > MAX_SHARDS ||
    !Number.isInteger(a.shard) ||
    a.shard < 0 ||
    a.shard >= a.shards
  ) {
    throw new TypeError(`invalid shard address ${JSON.stringify(a)}`);
  }
}

function checkProfile(profileId: string): void {
  if (typeof profileId !== "string" || profileId.length < 1 || profileId.length > 100) {
    throw new TypeError("invalid profile id");
  }
}

export class VideoReactions extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  private readonly log = createLogger({ object: "VideoReactions" });
  /** Known to be set in storage (a cache: false only costs one getAlarm). */
  private alarmPending = false;
  /** The alarm handler is running; it re-checks for changes when it ends (so callers needn't set one). */
  private flushing = false;
  private refreshing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const indexed = this.hasTable("index_dirty");
    this.createSchema();
    if (!indexed && this.backfillIndex() > 0) {
      // An object from before the index existed: its reactions go to D1 with the next alarm.
      void ctx.blockConcurrencyWhile(() => this.ensureAlarm());
    }
  }

  private hasTable(name: string): boolean {
    return (
      this.sql
        .exec<{ n: number }>(
          "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
          name,
        )
        .one().n > 0
    );
  }

  /** Marks every stored reaction for the index (once, for objects created before it existed). */
  private backfillIndex(): number {
    return this.sql.exec(
      "INSERT OR IGNORE INTO index_dirty (profile_id, seq) SELECT profile_id, 0 FROM reactions",
    ).rowsWritten;
  }

  private createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS reactions (
        profile_id TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (value IN ('like', 'dislike')),
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        video_id TEXT NOT NULL,
        shard INTEGER NOT NULL,
        shards INTEGER NOT NULL,
        likes INTEGER NOT NULL DEFAULT 0,
        dislikes INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0,
        reported_version INTEGER NOT NULL DEFAULT 0,
        others_likes INTEGER NOT NULL DEFAULT 0,
        others_dislikes INTEGER NOT NULL DEFAULT 0,
        others_at INTEGER NOT NULL DEFAULT 0,
        agg_seq INTEGER NOT NULL DEFAULT 0,
        flushed_seq INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0
      );
      -- This shard's per-day deltas; version = the state version of the day's latest change.
      CREATE TABLE IF NOT EXISTS days (
        day TEXT PRIMARY KEY,
        likes INTEGER NOT NULL,
        dislikes INTEGER NOT NULL,
        version INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Shard 0 only: the latest absolute report of every shard, its days, and days D1 lacks.
      CREATE TABLE IF NOT EXISTS agg_shards (
        shard INTEGER PRIMARY KEY,
        version INTEGER NOT NULL,
        likes INTEGER NOT NULL,
        dislikes INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS agg_days (
        shard INTEGER NOT NULL,
        day TEXT NOT NULL,
        version INTEGER NOT NULL,
        likes INTEGER NOT NULL,
        dislikes INTEGER NOT NULL,
        PRIMARY KEY (shard, day)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS agg_dirty_days (day TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
      -- Profiles whose D1 index row may differ from \`reactions\`; seq = the state version of their latest change.
      CREATE TABLE IF NOT EXISTS index_dirty (profile_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
    `);
  }

  // ---- RPC: reactions ----

  /** Sets the profile's reaction. Repeating it changes nothing; switching moves one count. */
  async react(
    at: ShardAddress,
    profileId: string,
    value: ReactionValue,
    now = Date.now(),
  ): Promise<ReactionAnswer> {
    if (value !== "like" && value !== "dislike") throw new TypeError("value must be like or dislike");
    checkProfile(profileId);
    this.bind(at);
    // Read, write and count in one synchronous step: this is what makes the method atomic.
    const prev = this.reactionOf(profileId);
    if (prev !== value) {
      this.sql.exec(
        `INSERT INTO reactions (profile_id, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (profile_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        profileId,
        value,
        now,
      );
      this.move(profileId, prev, value, now);
    }
    return this.answer(value, prev !== value, now);
  }

  /** Removes the profile's reaction, if any. */
  async clear(at: ShardAddress, profileId: string, now = Date.now()): Promise<ReactionAnswer> {
    checkProfile(profileId);
    this.bind(at);
    const prev = this.reactionOf(profileId);
    if (prev !== null) {
      this.sql.exec("DELETE FROM reactions WHERE profile_id = ?", profileId);
      this.move(profileId, prev, null, now);
    }
    return this.answer(null, prev !== null, now);
  }

  /** The profile's reaction and this shard's exact counts. */
  async get(at: ShardAddress, profileId: string): Promise<{ value: ReactionValue | null } & Counts> {
    checkProfile(profileId);
    const s = this.peek(at);
    return { value: s ? this.reactionOf(profileId) : null, likes: s?.likes ?? 0, dislikes: s?.dislikes ?? 0 };
  }

  /** This shard's exact counts. */
  async counts(at: ShardAddress): Promise<Counts> {
    const s = this.peek(at);
    return { likes: s?.likes ?? 0, dislikes: s?.dislikes ?? 0 };
  }

  /**
   * Erases these profiles' reactions (account or profile deletion). Returns how many were removed.
   * An object nobody reacted through (or one wiped with its video) stays without storage.
   */
  async forget(at: ShardAddress, profileIds: string[], now = Date.now()): Promise<number> {
    if (!this.peek(at)) return 0;
    const removed = this.forgetNow(profileIds, now);
    if (removed > 0) await this.ensureAlarm();
    return removed;
  }

  /** Drops everything (the video was deleted). A later call starts an empty object. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll(); // drops the SQLite tables too
    this.alarmPending = false;
    this.createSchema();
  }

  // ---- RPC: shard 0 as the aggregator ----

  /** Shard 0 stores a shard's report (ignoring stale ones) and answers the sum of the *other* shards. */
  async report(r: ShardReport): Promise<Counts> {
    checkAddress(r.address);
    this.bind({ videoId: r.address.videoId, shard: 0, shards: r.address.shards });
    if (this.absorb(r.address.shard, r.version, r, r.days)) await this.ensureAlarm();
    return this.othersOf(r.address.shard);
  }

  /** Shard 0: the sum of every shard but `shard` (shard 0's own part exact, the rest as reported). */
  async others(at: ShardAddress, shard: number): Promise<Counts> {
    return this.peek(at) ? this.othersOf(shard) : { likes: 0, dislikes: 0 };
  }

  // ---- the alarm: report (shard k) or flush to D1 (shard 0) ----

  override async alarm(): Promise<void> {
    this.alarmPending = false;
    const s = this.state();
    if (!s) return;
    this.flushing = true;
    try {
      // The index first: a reaction of a profile found gone is forgotten, and this round's totals
      // already leave it out.
      await this.flushIndex(s);
      const now = this.state() as StateRow;
      if (now.shard === 0) await this.flushToD1(now);
      else await this.reportToShard0(now);
      this.sql.exec("UPDATE state SET failures = 0 WHERE id = 1");
    } catch (error) {
      this.flushing = false;
      // Never give up: D1 or shard 0 being away only delays the totals.
      const failures = s.failures + 1;
      this.sql.exec("UPDATE state SET failures = ? WHERE id = 1", failures);
      const delay = Math.min(MAX_RETRY_MS, FLUSH_DELAY_MS * 2 ** failures);
      this.log("warn", {
        event: "reactions-flush-failed",
        videoId: s.video_id,
        shard: s.shard,
        failures,
        error: String(error),
      });
      await this.ctx.storage.setAlarm(Date.now() + delay);
      this.alarmPending = true;
      return;
    }
    this.flushing = false;
    // Changes that arrived while we were awaiting (their ensureAlarm deferred to us) need another round.
    const after = this.state();
    if (after && this.dirty(after)) {
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
      this.alarmPending = true;
    }
  }

  // ---- internals ----

  private state(): StateRow | null {
    return this.sql.exec<StateRow>("SELECT * FROM state WHERE id = 1").toArray()[0] ?? null;
  }

  /** The stored state, or null for an object nobody reacted through yet (reads never create storage). */
  private peek(at: ShardAddress): StateRow | null {
    checkAddress(at);
    const s = this.state();
    if (s) this.checkLayout(s, at);
    return s;
  }

  /** The stored address, set on first use; a call with another layout is refused (see the invariants). */
  private bind(at: ShardAddress): StateRow {
    checkAddress(at);
    const s = this.state();
    if (!s) {
      this.sql.exec(
        "INSERT INTO state (id, video_id, shard, shards) VALUES (1, ?, ?, ?)",
        at.videoId,
        at.shard,
        at.shards,
      );
      return this.state() as StateRow;
    }
    this.checkLayout(s, at);
    return s;
  }

  private checkLayout(s: StateRow, at: ShardAddress): void {
    if (s.video_id !== at.videoId || s.shard !== at.shard || s.shards !== at.shards) {
      throw new Error(
        `${SHARD_MISMATCH}: this object is ${s.video_id}:${s.shard} of ${s.shards}, addressed as ${at.videoId}:${at.shard} of ${at.shards}`,
      );
    }
  }

  private reactionOf(profileId: string): ReactionValue | null {
    const row = this.sql
      .exec<{ value: ReactionValue }>("SELECT value FROM reactions WHERE profile_id = ?", profileId)
      .toArray()[0];
    return row?.value ?? null;
  }

  /** Deletes these profiles' reactions and moves the counts (synchronous). Returns how many there were. */
  private forgetNow(profileIds: readonly string[], now: number): number {
    let removed = 0;
    for (const profileId of profileIds) {
      const prev = this.reactionOf(profileId);
      if (prev === null) continue;
      this.sql.exec("DELETE FROM reactions WHERE profile_id = ?", profileId);
      this.move(profileId, prev, null, now);
      removed++;
    }
    return removed;
  }

  /**
   * Moves the counts and today's deltas from `prev` to `next` (each may be null), bumps the version
   * and marks the profile for the index: all in the caller's synchronous step.
   */
  private move(profileId: string, prev: ReactionValue | null, next: ReactionValue | null, now: number): void {
    const dl = (next === "like" ? 1 : 0) - (prev === "like" ? 1 : 0);
    const dd = (next === "dislike" ? 1 : 0) - (prev === "dislike" ? 1 : 0);
    this.sql.exec(
      "UPDATE state SET likes = likes + ?, dislikes = dislikes + ?, version = version + 1 WHERE id = 1",
      dl,
      dd,
    );
    this.sql.exec(
      `INSERT INTO days (day, likes, dislikes, version) VALUES (?, ?, ?, (SELECT version FROM state WHERE id = 1))
       ON CONFLICT (day) DO UPDATE SET likes = likes + excluded.likes, dislikes = dislikes + excluded.dislikes,
                                      version = excluded.version`,
      utcDay(now),
      dl,
      dd,
    );
    this.sql.exec(
      `INSERT INTO index_dirty (profile_id, seq) VALUES (?, (SELECT version FROM state WHERE id = 1))
       ON CONFLICT (profile_id) DO UPDATE SET seq = excluded.seq`,
      profileId,
    );
  }

  private async answer(value: ReactionValue | null, changed: boolean, now: number): Promise<ReactionAnswer> {
    if (changed) await this.ensureAlarm();
    let s = this.state() as StateRow;
    if (s.shards > 1 && s.shard !== 0 && now - s.others_at > OTHERS_MAX_AGE_MS) {
      // An idle shard's view of the others may be old: ask shard 0 once (concurrent callers share it).
      this.refreshing ??= this.refreshOthers(s).finally(() => {
        this.refreshing = null;
      });
      await this.refreshing.catch(() => {});
      s = this.state() as StateRow;
    }
    const shardCounts = { likes: s.likes, dislikes: s.dislikes };
    const others = s.shard === 0 ? this.othersOf(0) : { likes: s.others_likes, dislikes: s.others_dislikes };
    return {
      value,
      changed,
      shardCounts,
      total: { likes: s.likes + others.likes, dislikes: s.dislikes + others.dislikes },
    };
  }

  private async refreshOthers(s: StateRow): Promise<void> {
    const zero = { videoId: s.video_id, shard: 0, shards: s.shards };
    const others = await this.shard0(s).others(zero, s.shard);
    this.sql.exec(
      "UPDATE state SET others_likes = ?, others_dislikes = ?, others_at = ? WHERE id = 1",
      others.likes,
      others.dislikes,
      Date.now(),
    );
  }

  private shard0(s: StateRow) {
    const ns = this.env.VIDEO_REACTIONS;
    return ns.get(ns.idFromName(`${s.video_id}:0`));
  }

  private async ensureAlarm(): Promise<void> {
    if (this.alarmPending || this.flushing) return;
    // Never postpone a pending alarm: that would let a steady stream of likes starve the flush. An
    // alarm time in the past is one that is firing or fired: it will not see this change, set anew.
    const pending = await this.ctx.storage.getAlarm();
    if (pending === null || pending <= Date.now()) {
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
    }
    this.alarmPending = true;
  }

  private dirty(s: StateRow): boolean {
    if (s.version > s.reported_version || this.indexDirty() > 0) return true;
    return s.shard === 0 && (s.agg_seq > s.flushed_seq || this.dirtyDays() > 0);
  }

  private indexDirty(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM index_dirty").one().n;
  }

  /**
   * Writes the marked profiles' index rows from the current state, up to INDEX_PER_WRITE per D1
   * batch: an upsert for those with a reaction (only if the profile and the video still exist), a
   * delete for those without, and a read of which reacting profiles no longer exist. Then clears
   * each mark up to the seq it covered and forgets the reactions of the vanished profiles.
   */
  private async flushIndex(s: StateRow): Promise<void> {
    const db = this.env.DB;
    for (let round = 0; round < INDEX_WRITES_PER_ALARM; round++) {
      const marked = this.sql
        .exec<{ profile_id: string; seq: number; value: ReactionValue | null; updated_at: number | null }>(
          `SELECT d.profile_id, d.seq, r.value, r.updated_at
             FROM index_dirty d LEFT JOIN reactions r ON r.profile_id = d.profile_id
            ORDER BY d.seq LIMIT ?`,
          INDEX_PER_WRITE,
        )
        .toArray();
      if (marked.length === 0) return;
      const present = marked.filter((m) => m.value !== null);
      const upserts = JSON.stringify(present.map((m) => [m.profile_id, m.value, m.updated_at]));
      const absent = JSON.stringify(marked.filter((m) => m.value === null).map((m) => m.profile_id));
      const [, , gone] = await db.batch([
        db
          .prepare(
            `INSERT INTO video_reaction_index (profile_id, video_id, value, reacted_at)
             SELECT json_extract(j.value, '$[0]'), ?1, json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')
               FROM json_each(?2) j
              WHERE EXISTS (SELECT 1 FROM profiles p WHERE p.id = json_extract(j.value, '$[0]'))
                AND EXISTS (SELECT 1 FROM videos v WHERE v.id = ?1)
             ON CONFLICT (profile_id, video_id) DO UPDATE SET value = excluded.value, reacted_at = excluded.reacted_at`,
          )
          .bind(s.video_id, upserts),
        db
          .prepare(
            "DELETE FROM video_reaction_index WHERE video_id = ?1 AND profile_id IN (SELECT value FROM json_each(?2))",
          )
          .bind(s.video_id, absent),
        db
          .prepare(
            `SELECT json_extract(j.value, '$[0]') AS profile_id FROM json_each(?1) j
              WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.id = json_extract(j.value, '$[0]'))`,
          )
          .bind(upserts),
      ]);
      // Only what this write covered is clean: a change made meanwhile has a higher seq.
      for (const m of marked) {
        this.sql.exec("DELETE FROM index_dirty WHERE profile_id = ? AND seq <= ?", m.profile_id, m.seq);
      }
      const vanished = ((gone?.results ?? []) as { profile_id: string }[]).map((r) => r.profile_id);
      if (vanished.length > 0) {
        // Erased (or never real) profiles: their erasure could not find this reaction in the index.
        const removed = this.forgetNow(vanished, Date.now());
        this.log("info", { event: "reactions-profiles-gone", videoId: s.video_id, shard: s.shard, removed });
      }
      if (marked.length < INDEX_PER_WRITE) return;
    }
  }

  private dirtyDays(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM agg_dirty_days").one().n;
  }

  /** This shard's absolute counts and the days changed since shard 0 last acknowledged. */
  private snapshot(s: StateRow): ShardReport {
    const days = this.sql
      .exec<DayCounts & Record<string, SqlStorageValue>>(
        "SELECT day, likes, dislikes FROM days WHERE version > ? ORDER BY day",
        s.reported_version,
      )
      .toArray()
      .map((d) => ({ day: d.day, likes: d.likes, dislikes: d.dislikes }));
    return {
      address: { videoId: s.video_id, shard: s.shard, shards: s.shards },
      version: s.version,
      likes: s.likes,
      dislikes: s.dislikes,
      days,
    };
  }

  private async reportToShard0(s: StateRow): Promise<void> {
    if (s.version <= s.reported_version) return;
    const report = this.snapshot(s);
    const others = await this.shard0(s).report(report);
    // Changes made while the report was in flight have a higher version and stay unreported.
    this.sql.exec(
      `UPDATE state SET reported_version = MAX(reported_version, ?), others_likes = ?, others_dislikes = ?, others_at = ?
       WHERE id = 1`,
      report.version,
      others.likes,
      others.dislikes,
      Date.now(),
    );
  }

  /**
   * Shard 0: keeps `shard`'s report if it is newer than the one held. Returns whether any sum
   * changed (then D1 needs a flush). Synchronous, so reports never interleave.
   */
  private absorb(shard: number, version: number, totals: Counts, days: DayCounts[]): boolean {
    const held = this.sql
      .exec<{ version: number }>("SELECT version FROM agg_shards WHERE shard = ?", shard)
      .toArray()[0];
    if (held && held.version >= version) return false;
    this.sql.exec("UPDATE state SET agg_seq = agg_seq + 1 WHERE id = 1");
    this.sql.exec(
      `INSERT INTO agg_shards (shard, version, likes, dislikes) VALUES (?, ?, ?, ?)
       ON CONFLICT (shard) DO UPDATE SET version = excluded.version, likes = excluded.likes, dislikes = excluded.dislikes`,
      shard,
      version,
      totals.likes,
      totals.dislikes,
    );
    for (const d of days) {
      this.sql.exec(
        `INSERT INTO agg_days (shard, day, version, likes, dislikes) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (shard, day) DO UPDATE SET version = excluded.version, likes = excluded.likes,
                                               dislikes = excluded.dislikes
         WHERE excluded.version > agg_days.version`,
        shard,
        d.day,
        version,
        d.likes,
        d.dislikes,
      );
      this.sql.exec(
        `INSERT INTO agg_dirty_days (day, seq) VALUES (?, (SELECT agg_seq FROM state WHERE id = 1))
         ON CONFLICT (day) DO UPDATE SET seq = excluded.seq`,
        d.day,
      );
    }
    return true;
  }

  private othersOf(shard: number): Counts {
    const s = this.state() as StateRow;
    const reported = this.sql
      .exec<Counts & Record<string, SqlStorageValue>>(
        `SELECT COALESCE(SUM(likes), 0) AS likes, COALESCE(SUM(dislikes), 0) AS dislikes
           FROM agg_shards WHERE shard NOT IN (0, ?)`,
        shard,
      )
      .one();
    // Shard 0's own part is read live, never from its (older) absorbed report.
    const own = shard === 0 ? { likes: 0, dislikes: 0 } : { likes: s.likes, dislikes: s.dislikes };
    return { likes: reported.likes + own.likes, dislikes: reported.dislikes + own.dislikes };
  }

  /**
   * Shard 0's alarm: absorb its own changes like any shard's report, then write the sums to D1.
   * Absolute values (`SET like_count = ?`) make a retried flush harmless.
   */
  private async flushToD1(s: StateRow): Promise<void> {
    if (s.version > s.reported_version) {
      const own = this.snapshot(s);
      this.absorb(0, own.version, own, own.days);
      this.sql.exec("UPDATE state SET reported_version = ? WHERE id = 1", own.version);
    }
    const agg = this.state() as StateRow;
    if (agg.agg_seq <= agg.flushed_seq && this.dirtyDays() === 0) return;
    const seq = agg.agg_seq;
    const totals = this.sql
      .exec<Counts & Record<string, SqlStorageValue>>(
        "SELECT COALESCE(SUM(likes), 0) AS likes, COALESCE(SUM(dislikes), 0) AS dislikes FROM agg_shards",
      )
      .one();
    const days = this.sql
      .exec<DayCounts & Record<string, SqlStorageValue>>(
        `SELECT d.day AS day, COALESCE(SUM(a.likes), 0) AS likes, COALESCE(SUM(a.dislikes), 0) AS dislikes
           FROM (SELECT day FROM agg_dirty_days ORDER BY day DESC LIMIT ?) d
           JOIN agg_days a ON a.day = d.day
          GROUP BY d.day`,
        MAX_DAYS_PER_FLUSH,
      )
      .toArray();
    const db = this.env.DB;
    const results = await db.batch([
      db
        .prepare("UPDATE videos SET like_count = ?, dislike_count = ? WHERE id = ?")
        .bind(totals.likes, totals.dislikes, agg.video_id),
      ...days.map((d) =>
        // Absolute per-day values; WHERE EXISTS keeps a vanished video from failing the foreign key.
        db
          .prepare(
            `INSERT INTO video_reaction_days (video_id, day, likes, dislikes)
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM videos WHERE id = ?1)
             ON CONFLICT (video_id, day) DO UPDATE SET likes = excluded.likes, dislikes = excluded.dislikes`,
          )
          .bind(agg.video_id, d.day, d.likes, d.dislikes),
      ),
    ]);
    if ((results[0]?.meta.changes ?? 0) === 0) {
      // The video row is gone (its account was erased): nothing to keep for it.
      this.log("info", { event: "reactions-video-gone", videoId: agg.video_id });
      await this.wipe();
      return;
    }
    // Only what this flush covered is clean: anything absorbed meanwhile has a higher seq, and days
    // beyond MAX_DAYS_PER_FLUSH stay in agg_dirty_days for the next round.
    this.sql.exec("UPDATE state SET flushed_seq = MAX(flushed_seq, ?) WHERE id = 1", seq);
    for (const d of days) {
      this.sql.exec("DELETE FROM agg_dirty_days WHERE day = ? AND seq <= ?", d.day, seq);
    }
  }
}
