import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { cascadeRef, now } from "./columns";
import { comments } from "./comments";
import { videoRef } from "./videos";

/** Likes and dislikes per day of one video, flushed from its Durable Object (creator stats). */
export const videoReactionDays = sqliteTable(
  "video_reaction_days",
  {
    videoId: videoRef(),
    /** UTC day, YYYY-MM-DD. */
    day: text("day").notNull(),
    likes: integer("likes").notNull().default(0),
    dislikes: integer("dislikes").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.day] })],
);

/** One reaction per profile per comment (comment traffic is modest: plain D1 rows). */
export const commentReactions = sqliteTable(
  "comment_reactions",
  {
    commentId: cascadeRef("comment_id", () => comments.id),
    profileId: text("profile_id").notNull(),
    value: text("value").$type<"like" | "dislike">().notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.commentId, t.profileId] }),
    index("comment_reactions_profile_idx").on(t.profileId),
  ],
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
    videoId: videoRef(),
    value: text("value").$type<"like" | "dislike">().notNull(),
    reactedAt: integer("reacted_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.videoId] }),
    index("video_reaction_index_video_idx").on(t.videoId),
    index("video_reaction_index_recent_idx").on(t.profileId, t.reactedAt),
  ],
);
