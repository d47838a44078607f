import type { Maturity, RenditionInfo, Role, VideoStatus, Visibility } from "@marquee/shared";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

/** An account is a login: one email, one password, a set of roles, up to five profiles. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    emailVerifiedAt: integer("email_verified_at"),
    phone: text("phone"),
    phoneVerifiedAt: integer("phone_verified_at"),
    displayName: text("display_name").notNull(),
    /** JSON array; `viewer` is implied and always present. */
    roles: text("roles", { mode: "json" }).$type<Role[]>().notNull().default(sql`'["viewer"]'`),
    plan: text("plan").notNull().default("free"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("accounts_email_unique").on(t.email)],
);

export const credentials = sqliteTable("credentials", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  passwordHash: text("password_hash").notNull(),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * A session is one sign-in on one device, and also the refresh-token family: every refresh
 * token minted for it shares `session_id`, so revoking the session revokes the family.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    profileId: text("profile_id").references(() => profiles.id, { onDelete: "set null" }),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

/** Refresh tokens are stored only as SHA-256 hashes; `used_at` marks a rotated one. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

export const profiles = sqliteTable(
  "profiles",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    avatarUrl: text("avatar_url"),
    language: text("language").notNull().default("en"),
    maturity: text("maturity").$type<Maturity>().notNull().default("adult"),
    /** While true, playback beacons are accepted but not added to history or affinities. */
    historyPaused: integer("history_paused", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("profiles_account_idx").on(t.accountId)],
);

export const channels = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    handle: text("handle").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    subscriberCount: integer("subscriber_count").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("channels_handle_unique").on(t.handle),
    uniqueIndex("channels_account_unique").on(t.accountId),
  ],
);

export type OneTimeCodePurpose = "verify_email" | "verify_phone" | "password_reset" | "undo_email_change";

/** Email/phone verification codes and password-reset tokens, stored hashed, single use. */
export const oneTimeCodes = sqliteTable(
  "one_time_codes",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<OneTimeCodePurpose>().notNull(),
    codeHash: text("code_hash").notNull(),
    /** The address the code was sent to; a code is void if the address changed since. */
    target: text("target").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    index("one_time_codes_account_idx").on(t.accountId, t.purpose),
    index("one_time_codes_hash_idx").on(t.codeHash),
    // Signup and email change ask whether a live undo link holds an address for its owner.
    index("one_time_codes_target_idx").on(t.target, t.purpose),
  ],
);

/** Queue events already handled, so an at-least-once redelivery is acknowledged without rerunning handlers. */
export const processedEvents = sqliteTable("processed_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** The main id the event is about (e.g. the deleted account), for audits and tests. */
  subject: text("subject"),
  handledAt: integer("handled_at").notNull().default(now),
});

/**
 * A video and its lifecycle: awaiting_upload → uploaded → queued → processing → ready | failed,
 * plus deleted. `playable` turns true while processing once the first segments of every rung
 * are stored (progressive publish).
 */
export const videos = sqliteTable(
  "videos",
  {
    id: text("id").primaryKey(),
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
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
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
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

/** Parts of a multipart upload that storage has confirmed, so an interrupted upload can resume. */
export const videoUploadParts = sqliteTable(
  "video_upload_parts",
  {
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    uploadedAt: integer("uploaded_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.partNumber] })],
);

// ---- social ----

/** Likes and dislikes per day of one video, flushed from its Durable Object (creator stats). */
export const videoReactionDays = sqliteTable(
  "video_reaction_days",
  {
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    /** UTC day, YYYY-MM-DD. */
    day: text("day").notNull(),
    likes: integer("likes").notNull().default(0),
    dislikes: integer("dislikes").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.day] })],
);

export type CommentStatus = "published" | "held" | "removed" | "deleted";

/**
 * Comments are per profile. Replies are one level deep (`parentId` names a top-level comment).
 * A deleted comment with replies stays as a tombstone ("removed") so its thread holds together;
 * an erased account's comments keep their text but lose their author (`profileId` null).
 */
export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    parentId: text("parent_id"),
    profileId: text("profile_id"),
    accountId: text("account_id"),
    body: text("body").notNull(),
    status: text("status").$type<CommentStatus>().notNull().default("published"),
    /** Why it is held: "video_hold" or "watched_word:<word>". */
    heldReason: text("held_reason"),
    likeCount: integer("like_count").notNull().default(0),
    dislikeCount: integer("dislike_count").notNull().default(0),
    replyCount: integer("reply_count").notNull().default(0),
    editedAt: integer("edited_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("comments_video_top_idx").on(t.videoId, t.parentId, t.status, t.createdAt),
    index("comments_video_likes_idx").on(t.videoId, t.parentId, t.likeCount),
    index("comments_parent_idx").on(t.parentId, t.createdAt),
    index("comments_profile_idx").on(t.profileId),
    // account.deleted anonymises by account.
    index("comments_account_idx").on(t.accountId),
  ],
);

/** One reaction per profile per comment (comment traffic is modest: plain D1 rows). */
export const commentReactions = sqliteTable(
  "comment_reactions",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    profileId: text("profile_id").notNull(),
    value: text("value").$type<"like" | "dislike">().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.commentId, t.profileId] }),
    index("comment_reactions_profile_idx").on(t.profileId),
  ],
);

/** Words that hold a comment for review: `scope` is "global" or a channel id. */
export const watchedWords = sqliteTable(
  "watched_words",
  {
    scope: text("scope").notNull(),
    word: text("word").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.scope, t.word] })],
);

/** A profile following a channel; `level` all = notify on new videos, none = just follow. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    level: text("level").$type<"all" | "none">().notNull().default("all"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.channelId] }),
    index("subscriptions_channel_idx").on(t.channelId, t.profileId),
  ],
);

/** Notification types a profile turned off (absent = on). Read at fan-out. */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.type] })],
);

/**
 * Which profile reacted how to which video: written by the reactions Durable Object's flush
 * (the object is the truth; this is its D1 mirror) so account deletion can find a profile's
 * likes and discovery can read a profile's likes as affinity.
 */
export const videoReactionIndex = sqliteTable(
  "video_reaction_index",
  {
    profileId: text("profile_id").notNull(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    value: text("value").$type<"like" | "dislike">().notNull(),
    reactedAt: integer("reacted_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.videoId] }),
    index("video_reaction_index_video_idx").on(t.videoId),
    index("video_reaction_index_recent_idx").on(t.profileId, t.reactedAt),
  ],
);

// ---- discovery ----

/** Admin-managed categories; a video references at most one. */
export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("categories_slug_unique").on(t.slug)],
);

/**
 * One row per (tag, video), kept in step with `videos.tags` by triggers (migration
 * 0004_discovery_search), so `GET /tags/{tag}/videos` is an index range scan.
 */
export const videoTags = sqliteTable(
  "video_tags",
  {
    tag: text("tag").notNull(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.tag, t.videoId] }), index("video_tags_video_idx").on(t.videoId)],
);

/**
 * Raw player beacons, one row each, idempotent by (profile, beacon id) so a retried batch counts
 * once. They are the raw material for history now and for analytics later.
 */
export const playbackEvents = sqliteTable(
  "playback_events",
  {
    profileId: text("profile_id").notNull(),
    beaconId: text("beacon_id").notNull(),
    accountId: text("account_id").notNull(),
    videoId: text("video_id").notNull(),
    /** One player session (a page load of the player): groups a start, heartbeats and an end. */
    sessionId: text("session_id").notNull(),
    kind: text("kind").$type<"start" | "heartbeat" | "end">().notNull(),
    positionMs: integer("position_ms").notNull(),
    /** Seconds of media actually played since this session's previous beacon (client-reported, capped). */
    playedMs: integer("played_ms").notNull().default(0),
    occurredAt: integer("occurred_at").notNull(),
    receivedAt: integer("received_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.beaconId] }),
    index("playback_events_video_idx").on(t.videoId, t.occurredAt),
    // "First start of the day" per (profile, video) for view counting.
    index("playback_events_profile_video_idx").on(t.profileId, t.videoId, t.occurredAt),
    index("playback_events_received_idx").on(t.receivedAt),
  ],
);

/** A profile's watch history and resume positions ("continue watching"). */
export const watchHistory = sqliteTable(
  "watch_history",
  {
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    positionMs: integer("position_ms").notNull().default(0),
    watchedMs: integer("watched_ms").notNull().default(0),
    completed: integer("completed", { mode: "boolean" }).notNull().default(false),
    firstWatchedAt: integer("first_watched_at").notNull(),
    lastWatchedAt: integer("last_watched_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.videoId] }),
    index("watch_history_recent_idx").on(t.profileId, t.lastWatchedAt),
  ],
);

/** Views and watch time per video per UTC day (popularity, trending velocity, later analytics). */
export const videoViewDays = sqliteTable(
  "video_view_days",
  {
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    views: integer("views").notNull().default(0),
    watchedMs: integer("watched_ms").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.day] })],
);

/**
 * A profile's taste: weights for categories, tags and channels, learned from history, likes and
 * subscriptions. `score` is the value as of `updated_at`; readers and writers decay it by age
 * (half-life in discovery/affinity.ts) before use, so no sweep is needed to age it.
 */
export const profileAffinities = sqliteTable(
  "profile_affinities",
  {
    profileId: text("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"category" | "tag" | "channel">().notNull(),
    key: text("key").notNull(),
    score: real("score").notNull(),
    /** What most recently raised it, for the feed's reason ("because you watched X"). */
    lastVideoId: text("last_video_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.kind, t.key] }),
    index("profile_affinities_rank_idx").on(t.profileId, t.kind, t.score),
  ],
);

/**
 * Trending, recomputed periodically (cron): the top videos overall (`scope` = "all") and per
 * category (`scope` = category id), with the video's maturity copied so kids' reads filter in
 * the index.
 */
export const trending = sqliteTable(
  "trending",
  {
    scope: text("scope").notNull(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    maturity: text("maturity").$type<Maturity>().notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.videoId] }), index("trending_rank_idx").on(t.scope, t.score)],
);
