import { DurableObject } from "cloudflare:workers";
import { migrate } from "../../lib/do-migrations";
import { createLogger } from "../../lib/logger";
import { Aggregation } from "./aggregation";
import { Flusher } from "./flush";
import { ReactionStore, type StateRow } from "./reaction-store";
import {
  type Counts,
  checkAddress,
  checkProfile,
  type ReactionAnswer,
  type ReactionValue,
  type ShardAddress,
  type ShardReport,
  type ShardResult,
} from "./shard-protocol";
import { adoptShardSchema, SHARD_SCHEMA } from "./shard-schema";
import { shardStub } from "./shards";

/** A shard refreshes its view of the other shards before answering when it is older than this. */
const OTHERS_MAX_AGE_MS = 5000;

/**
 * Likes and dislikes of one video, or of one shard of a hot video's profiles (docs/social.md,
 * "Reactions"). The object is named `${videoId}:${shard}`; the edge sends every profile to shard
 * `shardOf(profileId, shards)` (shards.ts), so one profile's reaction always lives in exactly one
 * shard and the video's totals are the plain sum over its shards. This class answers the RPCs;
 * reaction-store.ts keeps the reactions, aggregation.ts adds shards up, flush.ts is the alarm
 * that writes to D1 (d1-mirror.ts), shard-schema.ts is the storage's schema.
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
 *   alarm; shard 0 keeps the latest report of every shard (a stale or repeated report is ignored by
 *   version) and its own alarm writes the *sums* to D1 with plain `SET = ?`. Replaying a report or
 *   a flush therefore never double-counts (unlike `like_count = like_count + ?`), and because one
 *   object's alarms never overlap, D1 sees the sums in order.
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
 *   addresses the object with another layout is answered `{ ok: false, reason: "shard_mismatch" }`
 *   and changes nothing, because a profile rehashed to another shard could react twice. Changing N
 *   needs a reshard (docs).
 */
export class VideoReactions extends DurableObject<Env> {
  private readonly store = new ReactionStore(this.ctx.storage.sql);
  private readonly aggregation = new Aggregation(this.ctx.storage.sql);
  private readonly flusher = new Flusher({
    ctx: this.ctx,
    env: this.env,
    store: this.store,
    aggregation: this.aggregation,
    log: createLogger({ object: "VideoReactions" }),
    wipe: () => this.wipe(),
  });
  private refreshing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage, SHARD_SCHEMA, { adopt: adoptShardSchema });
      // Changes without a pending flush (step 2 marks an older object's reactions for the index).
      const s = this.store.state();
      if (s && this.flusher.unflushed(s)) await this.flusher.ensureAlarm();
    });
  }

  // ---- RPC: reactions ----

  /** Sets the profile's reaction. Repeating it changes nothing; switching moves one count. */
  async react(
    at: ShardAddress,
    profileId: string,
    value: ReactionValue,
    now = Date.now(),
  ): Promise<ShardResult<ReactionAnswer>> {
    if (value !== "like" && value !== "dislike") throw new TypeError("value must be like or dislike");
    checkProfile(profileId);
    const bound = this.store.bind(at);
    if (!bound.ok) return bound;
    const changed = this.store.set(profileId, value, now);
    return { ok: true, ...(await this.answer(value, changed, now)) };
  }

  /** Removes the profile's reaction, if any. */
  async clear(at: ShardAddress, profileId: string, now = Date.now()): Promise<ShardResult<ReactionAnswer>> {
    checkProfile(profileId);
    const bound = this.store.bind(at);
    if (!bound.ok) return bound;
    const changed = this.store.forget([profileId], now) > 0;
    return { ok: true, ...(await this.answer(null, changed, now)) };
  }

  /** The profile's reaction and this shard's exact counts. */
  async get(
    at: ShardAddress,
    profileId: string,
  ): Promise<ShardResult<{ value: ReactionValue | null } & Counts>> {
    checkProfile(profileId);
    const read = this.store.peek(at);
    if (!read.ok) return read;
    const s = read.state;
    const value = s ? this.store.reactionOf(profileId) : null;
    return { ok: true, value, likes: s?.likes ?? 0, dislikes: s?.dislikes ?? 0 };
  }

  /** This shard's exact counts. */
  async counts(at: ShardAddress): Promise<ShardResult<Counts>> {
    const read = this.store.peek(at);
    if (!read.ok) return read;
    return { ok: true, likes: read.state?.likes ?? 0, dislikes: read.state?.dislikes ?? 0 };
  }

  /**
   * Erases these profiles' reactions (account or profile deletion); answers how many were removed.
   * An object nobody reacted through (or one wiped with its video) stays without storage.
   */
  async forget(
    at: ShardAddress,
    profileIds: string[],
    now = Date.now(),
  ): Promise<ShardResult<{ removed: number }>> {
    const read = this.store.peek(at);
    if (!read.ok) return read;
    if (!read.state) return { ok: true, removed: 0 };
    const removed = this.store.forget(profileIds, now);
    if (removed > 0) await this.flusher.ensureAlarm();
    return { ok: true, removed };
  }

  /** Drops everything (the video was deleted). A later call starts an empty object. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll(); // drops the SQLite tables too
    this.flusher.forgetAlarm();
    migrate(this.ctx.storage, SHARD_SCHEMA);
  }

  // ---- RPC: shard 0 as the aggregator ----

  /** Shard 0 stores a shard's report (ignoring stale ones) and answers the sum of the *other* shards. */
  async report(r: ShardReport): Promise<ShardResult<Counts>> {
    checkAddress(r.address);
    const bound = this.store.bind({ videoId: r.address.videoId, shard: 0, shards: r.address.shards });
    if (!bound.ok) return bound;
    if (this.aggregation.absorb(r.address.shard, r)) await this.flusher.ensureAlarm();
    return { ok: true, ...this.aggregation.othersOf(this.store.state() as StateRow, r.address.shard) };
  }

  /** Shard 0: the sum of every shard but `shard` (shard 0's own part exact, the rest as reported). */
  async others(at: ShardAddress, shard: number): Promise<ShardResult<Counts>> {
    const read = this.store.peek(at);
    if (!read.ok) return read;
    const counts = read.state ? this.aggregation.othersOf(read.state, shard) : { likes: 0, dislikes: 0 };
    return { ok: true, ...counts };
  }

  override async alarm(): Promise<void> {
    await this.flusher.alarm();
  }

  private async answer(value: ReactionValue | null, changed: boolean, now: number): Promise<ReactionAnswer> {
    if (changed) await this.flusher.ensureAlarm();
    let s = this.store.state() as StateRow;
    if (s.shards > 1 && s.shard !== 0 && now - s.others_at > OTHERS_MAX_AGE_MS) {
      // An idle shard's view of the others may be old: ask shard 0 once (concurrent callers share it).
      this.refreshing ??= this.refreshOthers(s).finally(() => {
        this.refreshing = null;
      });
      await this.refreshing.catch(() => {});
      s = this.store.state() as StateRow;
    }
    const others =
      s.shard === 0
        ? this.aggregation.othersOf(s, 0)
        : { likes: s.others_likes, dislikes: s.others_dislikes };
    return {
      value,
      changed,
      shardCounts: { likes: s.likes, dislikes: s.dislikes },
      total: { likes: s.likes + others.likes, dislikes: s.dislikes + others.dislikes },
    };
  }

  private async refreshOthers(s: StateRow): Promise<void> {
    const zero = { videoId: s.video_id, shard: 0, shards: s.shards };
    const others = await shardStub(this.env, zero).others(zero, s.shard);
    if (others.ok) this.store.rememberOthers(others);
  }
}
