/**
 * The videos row follows its transcode job (docs/media-pipeline.md, "Video states"). Every update
 * here is conditional on the row's current status, which gives three guarantees whatever order
 * concurrent writers land in:
 *   - a `deleted` video is never moved to another state (no update lists it as a source);
 *   - a `ready` or `failed` video is never regressed by a late heartbeat or a stale requeue;
 *   - repeating an update is harmless (an origin retrying after a lost answer).
 * A late `requeued` landing after the next lease's `processing` leaves the row `queued` for one
 * heartbeat interval at most: every heartbeat sets `processing` again.
 */
import type { RenditionInfo } from "@marquee/shared";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { videos } from "../db/schema";

/** Statuses a video in the pipeline can have; the only ones the queue may move it from. */
const IN_PIPELINE = ["uploaded", "queued", "processing"] as const;

export interface TranscodeResult {
  durationMs: number;
  width: number;
  height: number;
  renditions: RenditionInfo[];
}

export type VideoUpdate =
  | { kind: "processing" }
  | { kind: "progress"; progress: number; playable: boolean }
  | { kind: "requeued" }
  | { kind: "failed"; reason: string };

const inPipeline = (videoId: string) => and(eq(videos.id, videoId), inArray(videos.status, [...IN_PIPELINE]));

/** Applies `update`; true when the row was in the pipeline and changed. */
export async function applyVideoUpdate(db: Db, videoId: string, update: VideoUpdate): Promise<boolean> {
  const updatedAt = Date.now();
  const set = (() => {
    switch (update.kind) {
      case "processing":
        return { status: "processing" as const, updatedAt };
      case "progress":
        return {
          status: "processing" as const,
          progress: Math.floor(update.progress),
          playable: update.playable,
          updatedAt,
        };
      case "requeued":
        // Nobody is producing output now; the next attempt reports playable again once its own
        // master playlist and first segments are stored.
        return { status: "queued" as const, progress: 0, playable: false, updatedAt };
      case "failed":
        return { status: "failed" as const, failureReason: update.reason, playable: false, updatedAt };
    }
  })();
  const changed = await db
    .update(videos)
    .set(set)
    .where(inPipeline(videoId))
    .returning({ id: videos.id })
    .all();
  return changed.length > 0;
}

/**
 * Turns `playable` on if it was off and returns what `video.published` needs, or null when it was
 * already on (or the video left the pipeline). A re-queued attempt turns it off again, so this can
 * fire once per attempt; the event's id is per video, so subscribers still hear of it once.
 */
export async function markFirstPlayable(db: Db, videoId: string) {
  const row = await db
    .update(videos)
    .set({ playable: true, updatedAt: Date.now() })
    .where(and(inPipeline(videoId), eq(videos.playable, false)))
    .returning(publishedFields)
    .get();
  return row ?? null;
}

const publishedFields = {
  videoId: videos.id,
  channelId: videos.channelId,
  accountId: videos.accountId,
  title: videos.title,
  visibility: videos.visibility,
  kind: videos.kind,
};

/** True when the video no longer exists for the pipeline (no row, or deleted). */
export async function videoGone(db: Db, videoId: string): Promise<boolean> {
  const row = await db.select({ status: videos.status }).from(videos).where(eq(videos.id, videoId)).get();
  return !row || row.status === "deleted";
}

/**
 * Marks the video ready with the transcode's result. Returns what `video.published` needs when
 * this call made the transition, or null when the row was not in the pipeline (deleted, or
 * already ready from an earlier call).
 */
export async function markReady(db: Db, videoId: string, result: TranscodeResult) {
  const now = Date.now();
  const row = await db
    .update(videos)
    .set({
      status: "ready",
      progress: 100,
      playable: true,
      failureReason: null,
      durationMs: result.durationMs,
      width: result.width,
      height: result.height,
      renditions: result.renditions,
      publishedAt: now,
      updatedAt: now,
    })
    .where(inPipeline(videoId))
    .returning(publishedFields)
    .get();
  return row ?? null;
}
