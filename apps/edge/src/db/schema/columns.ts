import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, integer, text } from "drizzle-orm/sqlite-core";

/** The default of every created_at/updated_at: now, in milliseconds (what the app writes too). */
export const now = sql`(unixepoch('subsec') * 1000)`;

/** `created_at` and `updated_at`, both defaulting to now; spread into a table's columns. */
export const timestamps = () => ({
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * A required id of the row this one belongs to, deleted with it. Tables export their own
 * (`accountRef`, `profileRef`, `channelRef`, `videoRef`); `parentId` is lazy because tables refer
 * to each other across files.
 */
export const cascadeRef = (name: string, parentId: () => AnySQLiteColumn) =>
  text(name).notNull().references(parentId, { onDelete: "cascade" });
