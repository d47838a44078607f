import type { Maturity, RenditionInfo, VideoModerationState, VideoStatus, Visibility } from "@marquee/shared";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accountRef } from "./accounts";
import { channelRef } from "./channels";
import { cascadeRef, now, timestamps } from "./columns";

/**
 * A video and its lifecycle: awaiting_upload → uploaded → queued → processing → ready | failed,
 * plus deleted. `playable` turns true while processing once the first segments of every rung
 * are stored (progressive publish).
 */
export const videos = sqliteTable(
  "videos",
  {
    id: text("id").primaryKey(),
    channelId: channelRef(),
    accountId: accountRef(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    categoryId: text("category_id"),
    visibility: text("visibility").$type<Visibility>().notNull().default("public"),
    status: text("status").$type<VideoStatus>().notNull().default("awaiting_upload"),
    failureReason: text("failure_reason"),
    playable: integer("playable", { mode: "boolean" }).notNull().default(false),
    progress: integer("progress").notNull().default(0),
    durationMs: integer("duration_ms"),
    width: integer("width"),
    height: integer("height"),
    /** JSON array of RenditionInfo once ready (or while growing). */
    renditions: text("renditions", { mode: "json" }).$type<RenditionInfo[]>().notNull().default(sql`'[]'`),
    sourceKey: text("source_key").notNull(),
    sourceSize: integer("source_size").notNull(),
    sourceType: text("source_type").notNull(),
    /** R2 multipart upload id, for multipart uploads until completed or aborted. */
    uploadId: text("upload_id"),
    uploadPartSize: integer("upload_part_size"),
    uploadPartCount: integer("upload_part_count"),
    uploadedAt: integer("uploaded_at"),
    publishedAt: integer("published_at"),
    ...timestamps(),
    deletedAt: integer("deleted_at"),
    /** Totals flushed from the video's reactions Durable Object(s) for ranking and listings. */
    likeCount: integer("like_count").notNull().default(0),
    dislikeCount: integer("dislike_count").notNull().default(0),
    /** Published top-level comments and replies. */
    commentCount: integer("comment_count").notNull().default(0),
    /** `open`: comments publish at once; `hold`: every comment waits for the owner; `off`: none. */
    commentsMode: text("comments_mode").$type<"open" | "hold" | "off">().notNull().default("open"),
    pinnedCommentId: text("pinned_comment_id"),
    /**
     * Content rating: kids ≤ teen ≤ adult. Unrated uploads are `adult` until the creator says
     * otherwise, so nothing reaches a kids profile by default.
     */
    maturity: text("maturity").$type<Maturity>().notNull().default("adult"),
    /** Views counted from playback beacons (one per profile per video per day). */
    viewCount: integer("view_count").notNull().default(0),
    /**
     * `content`, or `ad`: an advertiser's creative (docs/ads.md), always private, transcoded into the
     * ad ladder (at most 60 s, audio always) and never listed, announced or made public.
     */
    kind: text("kind").$type<"content" | "ad">().notNull().default("content"),
    /** `held`: hidden pending review of reports; `removed`: taken down by a moderator (docs/moderation.md). */
    moderationState: text("moderation_state").$type<VideoModerationState>().notNull().default("visible"),
    /**
     * True while its channel is held or suspended, or its account suspended: denormalised from those
     * rows (moderation/targets.ts `syncChannelHidden`) so listings filter on the video row alone.
     */
    channelHidden: integer("channel_hidden", { mode: "boolean" }).notNull().default(false),
    /** No ads and no premium share (a moderator's decision on the video or its channel). */
    demonetised: integer("demonetised", { mode: "boolean" }).notNull().default(false),
    /** The lowest rating a moderator allows (age restriction): the owner cannot set it lower. */
    maturityFloor: text("maturity_floor").$type<Maturity>(),
  },
  (t) => [
    index("videos_channel_idx").on(t.channelId, t.createdAt),
    // The abandoned-upload sweep only. Partial on purpose: an index on `status` alone would select
    // nearly every video (they are almost all `ready`), and SQLite then drove listing queries through
    // it (bench/README.md, `feed`: 0.4–1.2 s per read at 100k videos).
    index("videos_awaiting_upload_idx").on(t.updatedAt).where(sql`status = 'awaiting_upload'`),
    // Listings: public, listed videos newest first (channel pages, subscription feed, categories).
    index("videos_channel_published_idx").on(t.channelId, t.publishedAt),
    index("videos_category_published_idx").on(t.categoryId, t.publishedAt),
    index("videos_published_idx").on(t.publishedAt),
  ],
);

/** The video's id, on rows deleted with it. */
export const videoRef = () => cascadeRef("video_id", () => videos.id);

/** Parts of a multipart upload that storage has confirmed, so an interrupted upload can resume. */
export const videoUploadParts = sqliteTable(
  "video_upload_parts",
  {
    videoId: videoRef(),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    uploadedAt: integer("uploaded_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.partNumber] })],
);
