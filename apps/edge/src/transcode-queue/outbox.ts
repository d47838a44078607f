/**
 * The D1 updates the queue owes the videos table for transitions no HTTP caller asked for (leases
 * lapsing). They are written in the same synchronous step as the job change and delivered by the
 * alarm, retrying until D1 accepts, so none is lost.
 */
import type { Db } from "../db/client";
import { applyVideoUpdate } from "../jobs/video-state";
import type { Logger } from "../lib/logger";
import { LEASE_EXPIRED_REASON } from "./job";

type OutboxUpdate = { kind: "requeued" } | { kind: "failed"; reason: string };

interface OutboxRow extends Record<string, SqlStorageValue> {
  seq: number;
  video_id: string;
  kind: OutboxUpdate["kind"];
  reason: string | null;
}

export function recordVideoUpdate(sql: SqlStorage, videoId: string, update: OutboxUpdate, now: number): void {
  sql.exec(
    "INSERT INTO outbox (video_id, kind, reason, created_at) VALUES (?, ?, ?, ?)",
    videoId,
    update.kind,
    update.kind === "failed" ? update.reason : null,
    now,
  );
}

export const outboxSize = (sql: SqlStorage): number =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;

/** Delivers the entries to D1 in order; stops at the first failure. True when the outbox is empty. */
export async function deliverOutbox(
  sql: SqlStorage,
  db: Db,
  log: Logger,
  /** Told of each video failed for good, after D1 has it (again, if its entry is delivered again). */
  onFailed?: (videoId: string, reason: string, seq: number) => Promise<void>,
): Promise<boolean> {
  const entries = sql.exec<OutboxRow>("SELECT * FROM outbox ORDER BY seq").toArray();
  for (const entry of entries) {
    const update: OutboxUpdate =
      entry.kind === "failed"
        ? { kind: "failed", reason: entry.reason ?? LEASE_EXPIRED_REASON }
        : { kind: "requeued" };
    try {
      // D1 is outside the object: other calls may run while we wait. That is safe, because the
      // updates are conditional on the row's status (never resurrecting a deleted or ready video)
      // and each entry is deleted by its own sequence number once delivered.
      await applyVideoUpdate(db, entry.video_id, update);
      if (update.kind === "failed") await onFailed?.(entry.video_id, update.reason, entry.seq);
      sql.exec("DELETE FROM outbox WHERE seq = ?", entry.seq);
    } catch (error) {
      log("error", { event: "transcode-outbox-failed", videoId: entry.video_id, error: String(error) });
      return false;
    }
  }
  return true;
}
