import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { videoRef } from "./videos";

/** Admin-managed categories; a video references at most one. */
export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    ...timestamps(),
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
    videoId: videoRef(),
  },
  (t) => [primaryKey({ columns: [t.tag, t.videoId] }), index("video_tags_video_idx").on(t.videoId)],
);
