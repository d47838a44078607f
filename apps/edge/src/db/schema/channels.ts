import type { ChannelModerationState } from "@marquee/shared";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accountRef } from "./accounts";
import { cascadeRef, timestamps } from "./columns";

export const channels = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    handle: text("handle").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    subscriberCount: integer("subscriber_count").notNull().default(0),
    /** `held` pending review of reports, `suspended` by strikes or a removal (docs/moderation.md). */
    moderationState: text("moderation_state").$type<ChannelModerationState>().notNull().default("active"),
    /** No ads on its videos and no premium share (a moderator's decision). */
    demonetised: integer("demonetised", { mode: "boolean" }).notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("channels_handle_unique").on(t.handle),
    uniqueIndex("channels_account_unique").on(t.accountId),
  ],
);

/** The channel's id, on rows deleted with it. */
export const channelRef = () => cascadeRef("channel_id", () => channels.id);
