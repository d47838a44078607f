/**
 * One shard object's own reactions in its SQLite storage: the state row (address, counts,
 * versions), who reacted how, today's deltas and the index marks. Every method is synchronous, so
 * a caller that reads, writes and counts without an `await` in between does it atomically.
 */
import {
  type Counts,
  checkAddress,
  type ReactionValue,
  type ShardAddress,
  type ShardMismatch,
  utcDay,
} from "./shard-protocol";

export interface StateRow extends Record<string, SqlStorageValue> {
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

/** A profile whose D1 index row may be stale, with its reaction now (null: none). */
export interface IndexMark extends Record<string, SqlStorageValue> {
  profile_id: string;
  seq: number;
  value: ReactionValue | null;
  updated_at: number | null;
}

export const addressOf = (s: StateRow): ShardAddress => ({
  videoId: s.video_id,
  shard: s.shard,
  shards: s.shards,
});

function mismatch(s: StateRow, at: ShardAddress): ShardMismatch | null {
  if (s.video_id === at.videoId && s.shard === at.shard && s.shards === at.shards) return null;
  return { ok: false, reason: "shard_mismatch", pinned: addressOf(s) };
}

export class ReactionStore {
  constructor(private readonly sql: SqlStorage) {}

  state(): StateRow | null {
    return this.sql.exec<StateRow>("SELECT * FROM state WHERE id = 1").toArray()[0] ?? null;
  }

  /** The stored state, or null for an object nobody reacted through yet (reads never create storage). */
  peek(at: ShardAddress): { ok: true; state: StateRow | null } | ShardMismatch {
    checkAddress(at);
    const s = this.state();
    return (s && mismatch(s, at)) ?? { ok: true, state: s };
  }

  /** The stored state; the first call pins the address, a call with another layout is refused. */
  bind(at: ShardAddress): { ok: true; state: StateRow } | ShardMismatch {
    checkAddress(at);
    const s = this.state();
    if (s) return mismatch(s, at) ?? { ok: true, state: s };
    this.sql.exec(
      "INSERT INTO state (id, video_id, shard, shards) VALUES (1, ?, ?, ?)",
      at.videoId,
      at.shard,
      at.shards,
    );
    return { ok: true, state: this.state() as StateRow };
  }

  reactionOf(profileId: string): ReactionValue | null {
    const row = this.sql
      .exec<{ value: ReactionValue }>("SELECT value FROM reactions WHERE profile_id = ?", profileId)
      .toArray()[0];
    return row?.value ?? null;
  }

  /** Sets the profile's reaction and moves the counts. Returns whether anything changed. */
  set(profileId: string, value: ReactionValue, now: number): boolean {
    const prev = this.reactionOf(profileId);
    if (prev === value) return false;
    this.sql.exec(
      `INSERT INTO reactions (profile_id, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (profile_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      profileId,
      value,
      now,
    );
    this.move(profileId, prev, value, now);
    return true;
  }

  /** Deletes these profiles' reactions and moves the counts. Returns how many there were. */
  forget(profileIds: readonly string[], now: number): number {
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

  /** The other shards' counts as this shard last heard them from shard 0. */
  rememberOthers(others: Counts, at = Date.now()): void {
    this.sql.exec(
      "UPDATE state SET others_likes = ?, others_dislikes = ?, others_at = ? WHERE id = 1",
      others.likes,
      others.dislikes,
      at,
    );
  }

  /** Shard 0 acknowledged everything up to `version` (a later change keeps a higher one). */
  markReported(version: number): void {
    this.sql.exec("UPDATE state SET reported_version = MAX(reported_version, ?) WHERE id = 1", version);
  }

  setFailures(failures: number): void {
    this.sql.exec("UPDATE state SET failures = ? WHERE id = 1", failures);
  }

  /** The oldest `limit` index marks, with each profile's reaction now. */
  indexMarks(limit: number): IndexMark[] {
    return this.sql
      .exec<IndexMark>(
        `SELECT d.profile_id, d.seq, r.value, r.updated_at
           FROM index_dirty d LEFT JOIN reactions r ON r.profile_id = d.profile_id
          ORDER BY d.seq LIMIT ?`,
        limit,
      )
      .toArray();
  }

  /** Clears each mark up to the seq a D1 write covered: a change made meanwhile stays marked. */
  clearIndexMarks(written: readonly IndexMark[]): void {
    for (const m of written) {
      this.sql.exec("DELETE FROM index_dirty WHERE profile_id = ? AND seq <= ?", m.profile_id, m.seq);
    }
  }

  indexMarkCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM index_dirty").one().n;
  }
}
