import type { videos } from "../db/schema";
import { parseChapters } from "./chapters";

export type VideoRow = typeof videos.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public shape of a video (the `Video` schema); storage and upload internals stay inside. */
export function videoView(v: VideoRow) {
  return {
    id: v.id,
    channelId: v.channelId,
    title: v.title,
    description: v.description,
    tags: v.tags,
    categoryId: v.categoryId,
    visibility: v.visibility,
    status: v.status,
    failureReason: v.failureReason,
    playable: v.playable,
    progress: v.progress,
    durationMs: v.durationMs,
    width: v.width,
    height: v.height,
    createdAt: new Date(v.createdAt).toISOString(),
    updatedAt: new Date(v.updatedAt).toISOString(),
    publishedAt: iso(v.publishedAt),
    maturity: v.maturity,
    likeCount: v.likeCount,
    dislikeCount: v.dislikeCount,
    commentCount: v.commentCount,
    viewCount: v.viewCount,
    chapters: parseChapters(v.description, v.durationMs),
  };
}

/** Where a video's uploaded file lives (docs/media-pipeline.md, storage layout). */
export const sourceKey = (videoId: string) => `videos/${videoId}/source`;

const SOURCE_KEY = /^videos\/([a-z]+_[a-z0-9]+)\/source$/;

/** The video whose source `key` is, or null for any other object (e.g. transcoder outputs). */
export function videoIdOfSourceKey(key: string): string | null {
  return SOURCE_KEY.exec(key)?.[1] ?? null;
}
