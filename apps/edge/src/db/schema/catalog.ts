import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { now } from "./columns";
import { videos } from "./videos";

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
