/**
 * Inboxes made before a schema step upgrade on their next start (inbox-storage.ts): an object is
 * put back in an old layout with runInDurableObject, then started again.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { schemaVersion } from "../../lib/do-migrations";
import { Inbox } from "./inbox";
import { INBOX_MIGRATIONS } from "./inbox-storage";
import { notificationFor, scratchInbox } from "./test-utils";

let n = 0;
const item = (source = `evt_storage_${n++}`) => notificationFor(source, "prf_x");

/** What the runtime does when the object starts again: a new instance over the same storage. */
async function restart(state: DurableObjectState): Promise<void> {
  new Inbox(state, env);
  await state.blockConcurrencyWhile(async () => {});
}

describe("Inbox storage upgrades", () => {
  it("an object made before ratings gets the maturity column on its next start; its unrated rows count as adult", async () => {
    const box = scratchInbox();
    await box.unreadCount("adult"); // the object exists, at the current version
    const legacyId = (await item()).id;
    await runInDurableObject(box, async (_instance: Inbox, state) => {
      // Back to the layout of an inbox made before ratings (no version anywhere), with a row stored then.
      state.storage.sql.exec("DROP TABLE schema_version");
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'version'");
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN video_id");
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN maturity");
      state.storage.sql.exec(
        "INSERT INTO notifications (id, type, data, created_at) VALUES (?, 'video.published', '{}', ?)",
        legacyId,
        Date.now(),
      );
      await restart(state);
      expect(schemaVersion(state.storage.sql)).toBe(INBOX_MIGRATIONS.length);
    });
    expect((await box.list(null, 10, "kids")).items.map((i) => i.id)).toEqual([]);
    expect(await box.unreadCount("kids")).toBe(0);
    expect((await box.list(null, 10, "adult")).items.map((i) => i.id)).toEqual([legacyId]);
    expect(await box.unreadCount("adult")).toBe(1);
    const fresh = { ...(await item()), maturity: "kids" as const };
    await box.deliver([fresh]);
    expect((await box.list(null, 10, "kids")).items.map((i) => i.id)).toEqual([fresh.id]);
  });

  it("an object made before video ids gets the video_id column on its next start, filled from each row's data", async () => {
    const box = scratchInbox();
    await box.unreadCount("adult");
    const [named, unnamed] = [(await item()).id, (await item()).id];
    await runInDurableObject(box, async (_instance: Inbox, state) => {
      // Back to the layout of an inbox at its own version 1 (kept in `meta`), with rows stored then.
      state.storage.sql.exec("DROP TABLE schema_version");
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN video_id");
      state.storage.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', '1')");
      const insert =
        "INSERT INTO notifications (id, type, data, created_at, maturity) VALUES (?, 'video.published', ?, ?, 'kids')";
      state.storage.sql.exec(
        insert,
        named,
        JSON.stringify({ videoId: "vid_gone_legacy", title: "t" }),
        Date.now(),
      );
      state.storage.sql.exec(insert, unnamed, JSON.stringify({ title: "t" }), Date.now());
      // Adopted at its own version: the ALTER that added `maturity` does not run again (it would throw).
      await restart(state);
      expect(schemaVersion(state.storage.sql)).toBe(INBOX_MIGRATIONS.length);
      // The old code's own record is brought to its last step, so a re-deploy of it runs nothing.
      expect(state.storage.sql.exec("SELECT value FROM meta WHERE key = 'version'").toArray()).toEqual([
        { value: "2" },
      ]);
      expect(state.storage.sql.exec("SELECT id, video_id FROM notifications ORDER BY seq").toArray()).toEqual(
        [
          { id: named, video_id: "vid_gone_legacy" },
          { id: unnamed, video_id: null },
        ],
      );
    });
    // The named video does not exist in D1: its notification is hidden; the other one shows.
    expect((await box.list(null, 10, "adult")).items.map((i) => i.id)).toEqual([unnamed]);
    expect(await box.unreadCount("kids")).toBe(1);
  });
});
