import { sql } from "drizzle-orm";

/** The default of every created_at/updated_at: now, in milliseconds (what the app writes too). */
export const now = sql`(unixepoch('subsec') * 1000)`;
