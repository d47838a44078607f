import { beforeAll, describe, expect, it } from "vitest";
import { apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";

interface Card {
  id: string;
  title: string;
  channel: { id: string };
  publishedAt: string;
}

/** Creators, each with a channel; the tests spread videos over them. */
let creators: SeededAccount[];

beforeAll(async () => {
  creators = await Promise.all(
    Array.from({ length: 4 }, () => seedAccount({ tag: "feedcreator", channel: true })),
  );
});

const creator = (i: number) => creators[i] as SeededAccount;

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
    for (const c of [0, 1]) {
      await apiJson(`/api/v1/channels/${creator(c).channelId}/subscription`, 200, {
        method: "PUT",
        token: viewer.accessToken,
        json: { level: "none" },
      });
    }
    const seen: Card[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Card[]; nextCursor: string | null } = await apiJson(
        `/api/v1/feed/subscriptions?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        200,
        { token: viewer.accessToken },
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
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
