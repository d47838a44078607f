import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedAccount } from "../../test/harness";

describe("discovery migration", () => {
  it("keeps video_tags and the search index in step with videos, and subscriber counts with rows", async () => {
    const creator = await seedAccount({ roles: ["creator"], channel: true });
    const id = `vid_mig_${crypto.randomUUID()}`;
    await env.DB.prepare(
      `INSERT INTO videos (id, channel_id, account_id, title, description, tags, source_key, source_size, source_type)
       VALUES (?1, ?2, ?3, 'Crispy zucchini fritters', 'A weeknight recipe', '["cooking","vegetarian"]', 'k', 1, 'video/mp4')`,
    )
      .bind(id, creator.channelId, creator.accountId)
      .run();
    const tags = await env.DB.prepare("SELECT tag FROM video_tags WHERE video_id = ?1 ORDER BY tag")
      .bind(id)
      .all();
    expect(tags.results.map((r) => r.tag)).toEqual(["cooking", "vegetarian"]);
    const hit = await env.DB.prepare(
      "SELECT v.id FROM video_search s JOIN videos v ON v.rowid = s.rowid WHERE video_search MATCH ?1",
    )
      .bind("zucchin*")
      .all();
    expect(hit.results.map((r) => r.id)).toContain(id);
    await env.DB.prepare("UPDATE videos SET tags = '[\"baking\"]' WHERE id = ?1").bind(id).run();
    const byTag = await env.DB.prepare(
      "SELECT v.id FROM video_search s JOIN videos v ON v.rowid = s.rowid WHERE video_search MATCH 'tags:baking'",
    ).all();
    expect(byTag.results.map((r) => r.id)).toContain(id);
  });
});
