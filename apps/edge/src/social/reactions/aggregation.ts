/**
 * How a video's counts and days add up over its shards. Shard k sends shard 0 its absolute counts
 * and changed days (`reportOf`); shard 0 keeps the newest report of every shard (`absorb`, stale
 * or repeated reports are ignored by version), answers the other shards' sum (`othersOf`) and
 * hands the flush the sums D1 lacks (`pendingFlush`). Synchronous, like ReactionStore.
 */
import type { StateRow } from "./reaction-store";
import { addressOf } from "./reaction-store";
import type { Counts, DayCounts, ShardReport } from "./shard-protocol";

/** What shard 0's next D1 write holds: the sums, and the changed days (newest first, bounded). */
export interface PendingFlush {
  /** The aggregation seq the sums reflect: only marks up to it are cleared after the write. */
  seq: number;
  totals: Counts;
  days: DayCounts[];
}

type CountsRow = Counts & Record<string, SqlStorageValue>;

export class Aggregation {
  constructor(private readonly sql: SqlStorage) {}

  /** This shard's absolute counts and the days changed since shard 0 last acknowledged. */
  reportOf(s: StateRow): ShardReport {
    const days = this.sql
      .exec<DayCounts & Record<string, SqlStorageValue>>(
        "SELECT day, likes, dislikes FROM days WHERE version > ? ORDER BY day",
        s.reported_version,
      )
      .toArray()
      .map((d) => ({ day: d.day, likes: d.likes, dislikes: d.dislikes }));
    return { address: addressOf(s), version: s.version, likes: s.likes, dislikes: s.dislikes, days };
  }

  /**
   * Shard 0: keeps `shard`'s report if it is newer than the one held. Returns whether any sum
   * changed (then D1 needs a flush). Synchronous, so reports never interleave.
   */
  absorb(shard: number, report: Pick<ShardReport, "version" | "likes" | "dislikes" | "days">): boolean {
    const held = this.sql
      .exec<{ version: number }>("SELECT version FROM agg_shards WHERE shard = ?", shard)
      .toArray()[0];
    if (held && held.version >= report.version) return false;
    this.sql.exec("UPDATE state SET agg_seq = agg_seq + 1 WHERE id = 1");
    this.sql.exec(
      `INSERT INTO agg_shards (shard, version, likes, dislikes) VALUES (?, ?, ?, ?)
       ON CONFLICT (shard) DO UPDATE SET version = excluded.version, likes = excluded.likes, dislikes = excluded.dislikes`,
      shard,
      report.version,
      report.likes,
      report.dislikes,
    );
    for (const d of report.days) {
      this.sql.exec(
        `INSERT INTO agg_days (shard, day, version, likes, dislikes) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (shard, day) DO UPDATE SET version = excluded.version, likes = excluded.likes,
                                               dislikes = excluded.dislikes
         WHERE excluded.version > agg_days.version`,
        shard,
        d.day,
        report.version,
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

  /** Shard 0 absorbs its own changes like any shard's report (before each flush). */
  absorbOwn(s: StateRow): void {
    if (s.version <= s.reported_version) return;
    this.absorb(0, this.reportOf(s));
    this.sql.exec("UPDATE state SET reported_version = ? WHERE id = 1", s.version);
  }

  /** Shard 0: the sum of every shard but `shard` (shard 0's own part exact, the rest as reported). */
  othersOf(s: StateRow, shard: number): Counts {
    const reported = this.sql
      .exec<CountsRow>(
        `SELECT COALESCE(SUM(likes), 0) AS likes, COALESCE(SUM(dislikes), 0) AS dislikes
           FROM agg_shards WHERE shard NOT IN (0, ?)`,
        shard,
      )
      .one();
    // Shard 0's own part is read live, never from its (older) absorbed report.
    const own = shard === 0 ? { likes: 0, dislikes: 0 } : { likes: s.likes, dislikes: s.dislikes };
    return { likes: reported.likes + own.likes, dislikes: reported.dislikes + own.dislikes };
  }

  /** Whether shard 0 holds sums or days D1 has not seen. */
  unflushed(s: StateRow): boolean {
    return s.agg_seq > s.flushed_seq || this.dirtyDayCount() > 0;
  }

  /** The sums and at most `maxDays` changed days for D1, or null when D1 is up to date. */
  pendingFlush(s: StateRow, maxDays: number): PendingFlush | null {
    if (!this.unflushed(s)) return null;
    const totals = this.sql
      .exec<CountsRow>(
        "SELECT COALESCE(SUM(likes), 0) AS likes, COALESCE(SUM(dislikes), 0) AS dislikes FROM agg_shards",
      )
      .one();
    const days = this.sql
      .exec<DayCounts & Record<string, SqlStorageValue>>(
        `SELECT d.day AS day, COALESCE(SUM(a.likes), 0) AS likes, COALESCE(SUM(a.dislikes), 0) AS dislikes
           FROM (SELECT day FROM agg_dirty_days ORDER BY day DESC LIMIT ?) d
           JOIN agg_days a ON a.day = d.day
          GROUP BY d.day`,
        maxDays,
      )
      .toArray();
    return { seq: s.agg_seq, totals: { likes: totals.likes, dislikes: totals.dislikes }, days };
  }

  /**
   * Only what the write covered is clean: anything absorbed meanwhile has a higher seq, and days
   * beyond the write's bound stay dirty for the next round.
   */
  markFlushed(written: PendingFlush): void {
    this.sql.exec("UPDATE state SET flushed_seq = MAX(flushed_seq, ?) WHERE id = 1", written.seq);
    for (const d of written.days) {
      this.sql.exec("DELETE FROM agg_dirty_days WHERE day = ? AND seq <= ?", d.day, written.seq);
    }
  }

  private dirtyDayCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM agg_dirty_days").one().n;
  }
}
