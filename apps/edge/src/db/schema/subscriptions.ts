import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { profileRef } from "./accounts";
import { channelRef } from "./channels";
import { now } from "./columns";

/** A profile following a channel; `level` all = notify on new videos, none = just follow. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    profileId: profileRef(),
    channelId: channelRef(),
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
    profileId: profileRef(),
    type: text("type").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.type] })],
);
