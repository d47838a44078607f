import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now, timestamps } from "./columns";
import { videoRef } from "./videos";

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
    videoId: videoRef(),
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
    ...timestamps(),
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
