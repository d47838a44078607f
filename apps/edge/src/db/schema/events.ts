import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

/** Queue events already handled, so an at-least-once redelivery is acknowledged without rerunning handlers. */
export const processedEvents = sqliteTable("processed_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** The main id the event is about (e.g. the deleted account), for audits and tests. */
  subject: text("subject"),
  handledAt: integer("handled_at").notNull().default(now),
});
