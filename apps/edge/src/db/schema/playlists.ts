import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accountRef, profileRef } from "./accounts";
import { cascadeRef, now, timestamps } from "./columns";
import { videoRef } from "./videos";

export type PlaylistVisibility = "public" | "unlisted" | "private";

/**
 * A profile's playlist (docs/playlists.md). `kind` watch_later is the built-in "Watch later", one
 * per profile (the partial unique index), always private. `item_count` is kept by D1 triggers
 * (migration 0018) in the statement that adds or removes an item, cascades included.
 */
export const playlists = sqliteTable(
  "playlists",
  {
    id: text("id").primaryKey(),
    profileId: profileRef(),
    /** The profile's account: a channel page lists its account's public playlists. */
    accountId: accountRef(),
    kind: text("kind").$type<"playlist" | "watch_later">().notNull().default("playlist"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    visibility: text("visibility").$type<PlaylistVisibility>().notNull().default("private"),
    itemCount: integer("item_count").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    index("playlists_profile_idx").on(t.profileId, t.createdAt),
    index("playlists_account_idx").on(t.accountId, t.visibility, t.createdAt),
    uniqueIndex("playlists_watch_later_idx").on(t.profileId).where(sql`kind = 'watch_later'`),
  ],
);

/** A video in a playlist, at `position` (0-based, dense: moves renumber). A video is in a playlist once. */
export const playlistItems = sqliteTable(
  "playlist_items",
  {
    playlistId: cascadeRef("playlist_id", () => playlists.id),
    videoId: videoRef(),
    position: integer("position").notNull(),
    addedAt: integer("added_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.playlistId, t.videoId] }),
    index("playlist_items_order_idx").on(t.playlistId, t.position),
  ],
);
