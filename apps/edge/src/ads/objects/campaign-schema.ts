/**
 * The AdCampaign object's SQLite schema, as numbered steps for lib/do-migrations.ts. Never edit a
 * step: append one. (Objects of this class never ran unversioned code, so there is no `adopt`.)
 */
import type { MigrationStep } from "../../lib/do-migrations";

export const CAMPAIGN_SCHEMA: readonly MigrationStep[] = [
  // 1: the config pushed by the campaign API (one row, JSON), the running totals (one row: every
  // check in `reserve` reads these instead of summing sessions), today's billed money per UTC day,
  // the ad sessions (a reservation until billed, lapsed or released; billed ones are the
  // impressions) and their tracked events. `flushed` marks facts written to D1 (the outbox).
  `CREATE TABLE config (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     body TEXT NOT NULL,
     status TEXT NOT NULL
   );
   CREATE TABLE totals (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     impressions INTEGER NOT NULL,
     spent_millicents INTEGER NOT NULL,
     reserved_millicents INTEGER NOT NULL,
     spent_flushed INTEGER NOT NULL,
     status_flushed TEXT
   );
   INSERT INTO totals (id, impressions, spent_millicents, reserved_millicents, spent_flushed, status_flushed)
     VALUES (1, 0, 0, 0, 0, NULL);
   CREATE TABLE days (
     day TEXT PRIMARY KEY,
     billed_millicents INTEGER NOT NULL,
     impressions INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     price_millicents INTEGER NOT NULL,
     creative_video_id TEXT NOT NULL,
     video_id TEXT,
     channel_id TEXT,
     viewer_key TEXT NOT NULL,
     reserved_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     state TEXT NOT NULL,
     billed_at INTEGER,
     flushed INTEGER NOT NULL DEFAULT 0,
     confirmed INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX sessions_held ON sessions (expires_at) WHERE state = 'held';
   CREATE INDEX sessions_unflushed ON sessions (billed_at) WHERE state = 'billed' AND flushed = 0;
   CREATE INDEX sessions_unconfirmed ON sessions (billed_at) WHERE state = 'billed' AND confirmed = 0;
   CREATE INDEX sessions_by_age ON sessions (reserved_at);
   CREATE TABLE events (
     session_id TEXT NOT NULL,
     type TEXT NOT NULL,
     at INTEGER NOT NULL,
     flushed INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (session_id, type)
   );
   CREATE INDEX events_unflushed ON events (at) WHERE flushed = 0;`,
];

/** A row of `sessions`. */
export type SessionState = "held" | "billed" | "lapsed" | "released";

export interface SessionRow extends Record<string, SqlStorageValue> {
  id: string;
  price_millicents: number;
  creative_video_id: string;
  video_id: string | null;
  channel_id: string | null;
  viewer_key: string;
  reserved_at: number;
  expires_at: number;
  state: SessionState;
  billed_at: number | null;
  flushed: number;
  confirmed: number;
}

export interface TotalsRow extends Record<string, SqlStorageValue> {
  impressions: number;
  spent_millicents: number;
  reserved_millicents: number;
  spent_flushed: number;
  status_flushed: string | null;
}
