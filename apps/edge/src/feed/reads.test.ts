import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { feedReads } from "./reads";

const db = testDb();

describe("feed reads", () => {
  it("are index range reads: no full scan of videos, history, likes, subscriptions or trending", async () => {
    const plans: string[] = [];
    for (const level of ["kids", "adult"] as const) {
      for (const read of feedReads(db, "prf_plan", level, Date.now())) {
        // Raw SQL: EXPLAIN QUERY PLAN has no drizzle builder.
        const rows = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${read.getSQL()}`);
        plans.push(rows.map((r) => r.detail).join("\n"));
      }
    }
    expect(plans).toHaveLength(24);
    for (const plan of plans) {
      // A SCAN names a table read whole; only small derived tables (subqueries, CTEs) may be.
      const scans = plan.split("\n").filter((line) => /^SCAN (?!\()/.test(line) && !/USING/.test(line));
      const tableScans = scans.filter((line) =>
        /^SCAN (v|videos|h|watch_history|r|video_reaction_index|s|subscriptions|t|trending|a|profile_affinities|c|channels)\b/.test(
          line,
        ),
      );
      expect(tableScans, plan).toEqual([]);
    }
  });
});
