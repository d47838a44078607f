/**
 * A shard object's alarm: the flush of its changes a few seconds after the first one. Every shard
 * writes its own profiles' index rows to D1; shard k then reports its counts to shard 0, and shard
 * 0 writes the sums to D1. A failed round retries with backoff, forever: D1 or shard 0 being away
 * only delays the totals.
 */
import { createDb } from "../../db/client";
import type { Logger } from "../../lib/logger";
import type { Aggregation } from "./aggregation";
import { writeIndex, writeTotals } from "./d1-mirror";
import type { ReactionStore, StateRow } from "./reaction-store";
import { shardStub } from "./shards";

/** The alarm runs this long after the first unflushed change. */
export const FLUSH_DELAY_MS = 1000;
/** Longest wait between retries of a failed report or flush. */
const MAX_RETRY_MS = 60_000;
/** Changed days per D1 write of the totals (one statement each). */
const MAX_DAYS_PER_FLUSH = 90;
/** Profiles per index write, and index writes per alarm. */
const INDEX_PER_WRITE = 1000;
const INDEX_WRITES_PER_ALARM = 5;

export interface FlushDeps {
  ctx: DurableObjectState;
  env: Env;
  store: ReactionStore;
  aggregation: Aggregation;
  log: Logger;
  /** Empties the object: its video row is gone, so there is nothing left to count for. */
  wipe: () => Promise<void>;
}

export class Flusher {
  /** Known to be set in storage (a cache: false only costs one getAlarm). */
  private alarmPending = false;
  /** The alarm handler is running; it re-checks for changes when it ends (so callers needn't set one). */
  private flushing = false;

  constructor(private readonly deps: FlushDeps) {}

  /** Sets the alarm unless one is pending: never postponed, so a stream of likes cannot starve it. */
  async ensureAlarm(): Promise<void> {
    if (this.alarmPending || this.flushing) return;
    // An alarm time in the past is one that is firing or fired: it will not see this change, set anew.
    const pending = await this.deps.ctx.storage.getAlarm();
    if (pending === null || pending <= Date.now()) {
      await this.deps.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
    }
    this.alarmPending = true;
  }

  /** The storage (alarm included) was deleted. */
  forgetAlarm(): void {
    this.alarmPending = false;
  }

  /** Whether anything of this shard has not reached D1 (or shard 0) yet. */
  unflushed(s: StateRow): boolean {
    if (s.version > s.reported_version || this.deps.store.indexMarkCount() > 0) return true;
    return s.shard === 0 && this.deps.aggregation.unflushed(s);
  }

  async alarm(): Promise<void> {
    const { ctx, store, log } = this.deps;
    this.alarmPending = false;
    const s = store.state();
    if (!s) return;
    this.flushing = true;
    try {
      // The index first: a reaction of a profile found gone is forgotten, and this round's totals
      // already leave it out.
      await this.flushIndex(s);
      const now = store.state() as StateRow;
      if (now.shard === 0) await this.flushTotals(now);
      else await this.reportToShard0(now);
      store.setFailures(0);
    } catch (error) {
      this.flushing = false;
      const failures = s.failures + 1;
      store.setFailures(failures);
      const delay = Math.min(MAX_RETRY_MS, FLUSH_DELAY_MS * 2 ** failures);
      log("warn", {
        event: "reactions-flush-failed",
        videoId: s.video_id,
        shard: s.shard,
        failures,
        error: String(error),
      });
      await ctx.storage.setAlarm(Date.now() + delay);
      this.alarmPending = true;
      return;
    }
    this.flushing = false;
    // Changes that arrived while we were awaiting (their ensureAlarm deferred to us) need another round.
    const after = store.state();
    if (after && this.unflushed(after)) {
      await ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
      this.alarmPending = true;
    }
  }

  /**
   * Writes the marked profiles' index rows, INDEX_PER_WRITE per D1 write; clears each mark up to
   * the seq the write covered, and forgets the reactions of profiles the write found gone.
   */
  private async flushIndex(s: StateRow): Promise<void> {
    const { env, store, log } = this.deps;
    const db = createDb(env.DB);
    for (let round = 0; round < INDEX_WRITES_PER_ALARM; round++) {
      const marks = store.indexMarks(INDEX_PER_WRITE);
      if (marks.length === 0) return;
      const vanished = await writeIndex(db, s.video_id, marks);
      store.clearIndexMarks(marks);
      if (vanished.length > 0) {
        const removed = store.forget(vanished, Date.now());
        log("info", { event: "reactions-profiles-gone", videoId: s.video_id, shard: s.shard, removed });
      }
      if (marks.length < INDEX_PER_WRITE) return;
    }
  }

  /** Shard k: sends its counts and changed days; shard 0 answers the other shards' sum. */
  private async reportToShard0(s: StateRow): Promise<void> {
    const { env, store, aggregation } = this.deps;
    if (s.version <= s.reported_version) return;
    const report = aggregation.reportOf(s);
    const result = await shardStub(env, { videoId: s.video_id, shard: 0, shards: s.shards }).report(report);
    if (!result.ok) throw new Error(`shard 0 refused the report: ${result.reason}`);
    // Changes made while the report was in flight have a higher version and stay unreported.
    store.markReported(report.version);
    store.rememberOthers(result);
  }

  /** Shard 0: absorbs its own changes like any shard's report, then writes the sums to D1. */
  private async flushTotals(s: StateRow): Promise<void> {
    const { env, store, aggregation, log } = this.deps;
    aggregation.absorbOwn(s);
    const pending = aggregation.pendingFlush(store.state() as StateRow, MAX_DAYS_PER_FLUSH);
    if (!pending) return;
    if (!(await writeTotals(createDb(env.DB), s.video_id, pending))) {
      log("info", { event: "reactions-video-gone", videoId: s.video_id });
      await this.deps.wipe();
      return;
    }
    aggregation.markFlushed(pending);
  }
}
