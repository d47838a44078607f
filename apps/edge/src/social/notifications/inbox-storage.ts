/**
 * The Inbox object's SQLite storage: its schema steps, its row type, and the view the API shows.
 */
import { MATURITY_LEVELS, type Maturity } from "@marquee/shared";
import { hasTable, type MigrationStep, migrate } from "../../lib/do-migrations";
import type { NotificationInput, NotificationType, NotificationView } from "./types";

/** The newest notifications an inbox keeps; older ones are pruned as new ones arrive. */
export const INBOX_CAPACITY = 500;
/**
 * How long a delivered id is remembered after its notification was pruned, so a late redelivery
 * (queue retries last minutes; a message lives at most 14 days on a queue) is still recognised.
 */
export const SEEN_TTL_MS = 14 * 24 * 3600 * 1000;
/** Hard bound on remembered ids, whatever their age (a profile flooded with notifications). */
export const SEEN_MAX = 5000;

/**
 * Schema steps, in order (do-migrations.ts): append only. An object created before a step runs it
 * on its next start.
 */
export const INBOX_MIGRATIONS: readonly MigrationStep[] = [
  // 1: notifications in arrival order (`seq`), the delivered ids, and markers (`erased`).
  `CREATE TABLE notifications (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     read_at INTEGER
   );
   CREATE INDEX notifications_unread ON notifications (seq) WHERE read_at IS NULL;
   CREATE TABLE seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
   CREATE INDEX seen_by_age ON seen (at);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 2: the rating of the video a notification names; list/unread/push filter by the profile's level.
  "ALTER TABLE notifications ADD COLUMN maturity TEXT",
  // 3: the video a notification names, so reads can apply the video's current rating and existence.
  // Every type has carried it in `data` since the start: copy it over for the rows already stored.
  `ALTER TABLE notifications ADD COLUMN video_id TEXT;
   UPDATE notifications SET video_id = json_extract(data, '$.videoId')
    WHERE json_valid(data) AND json_type(data, '$.videoId') = 'text';`,
  // 4: the version now lives in `schema_version`, but the code from before do-migrations.ts reads its
  // own record in `meta` (the number of its ALTER steps, 2 at most): keep that at 2, so a re-deploy of
  // that code finds nothing to run instead of re-running an ALTER (which would throw on every call).
  `INSERT INTO meta (key, value) VALUES ('version', '2')
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
];

/**
 * Inboxes from before do-migrations.ts kept their version in `meta` ('version': the number of
 * ALTER steps run, 0–2) after creating the tables of step 1 on every start.
 */
function adopt(sql: SqlStorage): number {
  if (!hasTable(sql, "notifications")) return 0;
  const old = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").toArray()[0];
  return 1 + Number(old?.value ?? 0);
}

/** What the constructor runs (and `deleteAll`, after dropping everything). */
export const migrateInbox = (storage: DurableObjectStorage) => migrate(storage, INBOX_MIGRATIONS, { adopt });

export interface NotificationRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  type: string;
  data: string;
  created_at: number;
  read_at: number | null;
  maturity: string | null;
  /** The video the notification names (`data.videoId`); null when it names none. */
  video_id: string | null;
}

/**
 * A notification stored before ratings were recorded (step 2) has no maturity; it is treated as
 * the most restrictive rating, so a kids profile never sees an unrated one.
 */
export const UNRATED: Maturity = "adult";

export const isMaturity = (m: unknown): m is Maturity => (MATURITY_LEVELS as readonly unknown[]).includes(m);
export const ratingOf = (r: NotificationRow): Maturity => (isMaturity(r.maturity) ? r.maturity : UNRATED);

export const view = (r: NotificationRow): NotificationView => ({
  id: r.id,
  type: r.type as NotificationType,
  data: JSON.parse(r.data) as Record<string, string>,
  read: r.read_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Stores the notifications whose id was not seen before and answers their rows; prunes to the
 * newest INBOX_CAPACITY (the ids stay in `seen`, within SEEN_TTL_MS and SEEN_MAX). Synchronous on
 * purpose: the conditional insert into `seen` is the duplicate check, and no other call of the
 * single-threaded object can run between it and the store.
 */
export function storeNew(
  sql: SqlStorage,
  items: readonly NotificationInput[],
  now: number,
): NotificationRow[] {
  const fresh: NotificationRow[] = [];
  for (const item of items) {
    const isNew =
      sql
        .exec(
          "INSERT INTO seen (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id",
          item.id,
          now,
        )
        .toArray().length > 0;
    if (!isNew) continue;
    const row = sql
      .exec<NotificationRow>(
        `INSERT INTO notifications (id, type, data, created_at, maturity, video_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        item.id,
        item.type,
        JSON.stringify(item.data),
        item.createdAt,
        isMaturity(item.maturity) ? item.maturity : UNRATED,
        typeof item.data.videoId === "string" && item.data.videoId !== "" ? item.data.videoId : null,
      )
      .toArray()[0];
    if (row) fresh.push(row);
  }
  if (fresh.length === 0) return fresh;
  sql.exec(
    "DELETE FROM notifications WHERE seq <= (SELECT seq FROM notifications ORDER BY seq DESC LIMIT 1 OFFSET ?)",
    INBOX_CAPACITY,
  );
  sql.exec("DELETE FROM seen WHERE at < ?", now - SEEN_TTL_MS);
  sql.exec(
    "DELETE FROM seen WHERE rowid <= (SELECT rowid FROM seen ORDER BY rowid DESC LIMIT 1 OFFSET ?)",
    SEEN_MAX,
  );
  return fresh;
}
