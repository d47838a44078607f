import { describe, expect, it } from "vitest";
import { insertComment } from "../../../test/fixtures";
import { api, seedAccount } from "../../../test/harness";
import { allPages, commentsPath, ids, list, post, readyVideo, replies, send } from "./test-utils";

describe("comment threads", () => {
  it("lists top-level comments with reply counts; replies are one level deep", async () => {
    const owner = await seedAccount({ tag: "cmthread", channel: true });
    const viewer = await seedAccount({ tag: "cmthreadv" });
    const video = await readyVideo(owner);

    const top = await post(viewer.accessToken, video, "What a shot");
    expect(top).toMatchObject({
      videoId: video,
      parentId: null,
      status: "published",
      author: { profileId: viewer.profileId, name: "Seeded Person" },
      body: "What a shot",
      replyCount: 0,
      edited: false,
      pinned: false,
      heldReason: null,
    });
    const reply = await post(owner.accessToken, video, "Thanks!", top.id);
    expect(reply.parentId).toBe(top.id);

    // A reply to a reply is refused; so is a parent on another video.
    const deeper = await send(viewer.accessToken, video, { body: "deeper", parentId: reply.id });
    expect(deeper.status).toBe(409);
    const elsewhere = await readyVideo(owner);
    const wrongVideo = await send(viewer.accessToken, elsewhere, { body: "lost", parentId: top.id });
    expect(wrongVideo.status).toBe(404);

    const page = await list(video);
    expect(ids(page.items)).toEqual([top.id]);
    expect(page.items[0]?.replyCount).toBe(1);
    expect(page).toMatchObject({ commentCount: 2, commentsMode: "open", nextCursor: null });
    expect(ids((await replies(top.id)).items)).toEqual([reply.id]);
    expect((await replies(reply.id)).items).toEqual([]);
    // Others see the counts but not the dislikes (those are for the video's owner).
    expect(page.items[0]?.dislikeCount).toBeNull();
    expect((await list(video, owner.accessToken)).items[0]?.dislikeCount).toBe(0);
  });

  it("sorts top (most liked, then newest) and newest; pages never repeat or skip", async () => {
    const owner = await seedAccount({ tag: "cmsort", channel: true });
    const video = await readyVideo(owner);
    const base = Date.now() - 1_000_000;
    const rows: { id: string; t: number; l: number }[] = [];
    for (let i = 0; i < 23; i++) {
      // Pairs share a timestamp and likes repeat, so ties are broken by id.
      const t = base + Math.floor(i / 2) * 1000;
      const l = i % 4;
      rows.push({ id: await insertComment(video, owner, { createdAt: t, likeCount: l }), t, l });
    }
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    const newestOrder = [...rows].sort((a, b) => b.t - a.t || byId(a, b)).map((r) => r.id);
    const topOrder = [...rows].sort((a, b) => b.l - a.l || b.t - a.t || byId(a, b)).map((r) => r.id);

    for (const [sort, expected] of [
      ["newest", newestOrder],
      ["top", topOrder],
    ] as const) {
      const pages = await allPages((cursor) =>
        list(video, undefined, `?sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ""}`),
      );
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      expect(pages.flat().map((c) => c.id)).toEqual(expected);
    }
    // `top` is the default.
    expect(ids((await list(video, undefined, "?limit=3")).items)).toEqual(topOrder.slice(0, 3));

    // Comments posted between pages neither repeat nor push earlier ones onto the next page.
    const first = await list(video, undefined, "?sort=newest&limit=5");
    await insertComment(video, owner, { createdAt: Date.now() });
    await insertComment(video, owner, { createdAt: Date.now(), likeCount: 3 });
    const rest = await allPages((cursor) =>
      list(video, undefined, `?sort=newest&limit=7&cursor=${cursor ?? first.nextCursor}`),
    );
    expect([...ids(first.items), ...rest.flat().map((c) => c.id)]).toEqual(newestOrder);

    // A cursor belongs to its sort; junk is a 400 problem.
    const topCursor = (await list(video, undefined, "?sort=top&limit=2")).nextCursor;
    for (const query of [
      `?sort=newest&cursor=${topCursor}`,
      "?cursor=bm90LWpzb24",
      "?cursor=e30",
      "?limit=0",
    ]) {
      const res = await api(commentsPath(video, query));
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const at = query.includes("cursor") ? "query.cursor" : "query.limit";
      expect(await res.json(), query).toMatchObject({ code: "validation_failed", errors: [{ path: at }] });
    }
  });

  it("pages replies oldest first without repeats", async () => {
    const owner = await seedAccount({ tag: "cmreplies", channel: true });
    const video = await readyVideo(owner);
    const base = Date.now() - 100_000;
    const parent = await insertComment(video, owner, { createdAt: base });
    const expected: string[] = [];
    for (let i = 0; i < 7; i++) {
      expected.push(await insertComment(video, owner, { createdAt: base + 10 + i, parentId: parent }));
    }
    const pages = await allPages((cursor) =>
      replies(parent, undefined, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`),
    );
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((c) => c.id)).toEqual(expected);
  });
});
