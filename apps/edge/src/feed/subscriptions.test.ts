import { describe, expect, it } from "vitest";
import { listAll, seedAccount, seedCreatorsBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { subscribe } from "../social/subscriptions/test-utils";

interface Card {
  id: string;
  title: string;
  channel: { id: string };
  publishedAt: string;
}

/** Creators, each with a channel; the tests spread videos over them. */
const creator = seedCreatorsBeforeAll(4, "feedcreator");

describe("GET /feed/subscriptions", () => {
  it("lists the followed channels' videos newest first, page by page", async () => {
    const viewer = await seedAccount({ tag: "feedsubs" });
    const expected: { id: string; at: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const at = Date.now() - (i * 7 + 1) * 3_600_000;
      expected.push({ id: await storedVideo(creator(i % 2), { publishedAt: at }), at });
    }
    await storedVideo(creator(3), { title: "Not followed" });
    await storedVideo(creator(0), { visibility: "private", title: "Private" });
    for (const c of [0, 1]) await subscribe(viewer.accessToken, creator(c).channelId as string, "none");
    const seen = await listAll<Card>("/api/v1/feed/subscriptions", viewer.accessToken);
    // Other tests publish to the same channels: ours appear in order, nothing private, nothing unfollowed.
    const ours = seen.filter((c) => expected.some((e) => e.id === c.id)).map((c) => c.id);
    expect(ours).toEqual(expected.map((e) => e.id));
    const times = seen.map((c) => Date.parse(c.publishedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const c of seen) expect([creator(0).channelId, creator(1).channelId]).toContain(c.channel.id);
    expect(seen.map((c) => c.title)).not.toContain("Private");
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });
});
