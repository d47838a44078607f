import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrate, schemaVersion } from "../lib/do-migrations";
import { SCHEMA } from "./schema";
import { privateQueue } from "./test-utils";

const columnsOf = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM pragma_table_info('jobs')")
    .toArray()
    .map((c) => c.name);

describe("the queue's SQLite schema", () => {
  it("a new object is at the latest version, with the pinned-source column", async () => {
    const queue = privateQueue();
    await queue.enqueue("vid_schemanew", { sourceEtag: "etag-1" });
    await runInDurableObject(queue, (_instance, state) => {
      expect(schemaVersion(state.storage.sql)).toBe(SCHEMA.length);
      expect(columnsOf(state.storage.sql)).toContain("source_etag");
    });
  });

  it("an object from before versioning and before pinned sources is upgraded in place, keeping its jobs", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue("vid_schemaold");
    await runInDurableObject(queue, (_instance, state) => {
      const sql = state.storage.sql;
      // Make it look like an object of that era: no version table, no source_etag column.
      sql.exec("DROP TABLE schema_version");
      sql.exec("ALTER TABLE jobs DROP COLUMN source_etag");
      expect(schemaVersion(sql)).toBe(0);

      expect(migrate(state.storage, SCHEMA)).toBe(SCHEMA.length);
      expect(schemaVersion(sql)).toBe(SCHEMA.length);
      expect(columnsOf(sql)).toContain("source_etag");
      // Running again changes nothing.
      expect(migrate(state.storage, SCHEMA)).toBe(SCHEMA.length);
    });
    expect(await queue.status("vid_schemaold")).toMatchObject({ id: job.id, state: "queued" });
  });
});
