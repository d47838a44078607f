import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { storedVideo, uniqueWord } from "../catalog/test-utils";
import { videos, videoTags } from "../db/schema";

/** Ids of the videos the FTS5 index finds for `match` (raw SQL: drizzle has no MATCH). */
async function searchIndexHits(match: string): Promise<string[]> {
  const rows = await testDb().all<{ id: string }>(
    sql`SELECT v.id FROM video_search s JOIN videos v ON v.rowid = s.rowid WHERE video_search MATCH ${match}`,
  );
  return rows.map((r) => r.id);
}

describe("the search index and tag rows (triggers of migration 0004)", () => {
  it("keeps video_tags and the search index in step with videos, and subscriber counts with rows", async () => {
    const creator = await seedAccount({ roles: ["creator"], channel: true });
    const id = `vid_mig_${crypto.randomUUID()}`;
    await insertVideo(creator, {
      id,
      title: "Crispy zucchini fritters",
      description: "A weeknight recipe",
      tags: ["cooking", "vegetarian"],
      sourceKey: "k",
      sourceSize: 1,
    });
    const tags = await testDb()
      .select({ tag: videoTags.tag })
      .from(videoTags)
      .where(eq(videoTags.videoId, id))
      .orderBy(asc(videoTags.tag));
    expect(tags.map((r) => r.tag)).toEqual(["cooking", "vegetarian"]);
    expect(await searchIndexHits("zucchin*")).toContain(id);
    await testDb()
      .update(videos)
      .set({ tags: ["baking"] })
      .where(eq(videos.id, id));
    expect(await searchIndexHits("tags:baking")).toContain(id);
  });

  it("is kept in step by triggers: a deleted row leaves the index", async () => {
    const owner = await seedAccount({ tag: "srtrig", channel: true });
    const word = uniqueWord("tr");
    const id = await storedVideo(owner, { title: word });
    // The index's own rows, not joined to videos: a stale entry would still count.
    const count = async () =>
      (
        await testDb().get<{ n: number }>(
          sql`SELECT COUNT(*) AS n FROM video_search WHERE video_search MATCH ${`"${word}"`}`,
        )
      )?.n;
    expect(await count()).toBe(1);
    await testDb().delete(videos).where(eq(videos.id, id));
    expect(await count()).toBe(0);
  });
});
