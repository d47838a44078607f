import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../../test/harness";
import { hasTable, migrate, schemaVersion } from "./do-migrations";

// Any SQLite-backed class gives a storage to migrate; a fresh name means an object nobody else uses.
// Its own tables are left alone: these steps only add scratch tables.
const scratch = () => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(unique("do-migrations")));

describe("migrate", () => {
  it("runs each step once, in order, and records the version", async () => {
    await runInDurableObject(scratch(), async (_instance, state) => {
      const sql = state.storage.sql;
      const base = schemaVersion(sql);
      const ran: number[] = [];
      const steps = [
        ...Array.from({ length: base }, () => () => ran.push(-1)),
        "CREATE TABLE t_one (id INTEGER PRIMARY KEY)",
        (s: SqlStorage) => {
          ran.push(2);
          s.exec("ALTER TABLE t_one ADD COLUMN note TEXT");
        },
      ];
      expect(migrate(state.storage, steps)).toBe(base + 2);
      expect(schemaVersion(sql)).toBe(base + 2);
      expect(ran).toEqual([2]);
      // Again: nothing runs (an ALTER TABLE twice would throw).
      migrate(state.storage, steps);
      expect(ran).toEqual([2]);
      // An appended step runs alone.
      migrate(state.storage, [...steps, "CREATE TABLE t_two (id INTEGER PRIMARY KEY)"]);
      expect(hasTable(sql, "t_two")).toBe(true);
      expect(schemaVersion(sql)).toBe(base + 3);
    });
  });

  it("refuses storage newer than the code instead of running on it", async () => {
    await runInDurableObject(scratch(), async (_instance, state) => {
      const v = schemaVersion(state.storage.sql);
      migrate(
        state.storage,
        Array.from({ length: v + 5 }, () => "SELECT 1"),
      );
      expect(() => migrate(state.storage, [])).toThrow(/schema version/);
    });
  });

  it("rolls a failing step back with its version bump", async () => {
    await runInDurableObject(scratch(), async (_instance, state) => {
      const sql = state.storage.sql;
      const base = schemaVersion(sql);
      const pad = Array.from({ length: base }, () => "SELECT 1");
      expect(() => migrate(state.storage, [...pad, "CREATE TABLE t_ok (id INTEGER)", "NOT SQL"])).toThrow();
      expect(schemaVersion(sql)).toBe(base);
      expect(hasTable(sql, "t_ok")).toBe(false);
    });
  });
});
