import { describe, expect, it } from "vitest";
import {
  castWithVideo,
  commentApi,
  commentRow,
  ids,
  list,
  post,
  replies,
  send,
  token,
  videoCounts,
} from "./test-utils";

describe("deleting", () => {
  it("a comment with replies becomes a removed placeholder and its replies stay; counts stay right", async () => {
    const { owner, a, b, video } = await castWithVideo("cmdel", { a: {}, b: {} });
    const top = await post(a.accessToken, video, "Parent");
    const r1 = await post(b.accessToken, video, "reply one", top.id);
    const r2 = await post(owner.accessToken, video, "reply two", top.id);
    const lone = await post(b.accessToken, video, "lone");
    expect((await videoCounts(video))?.commentCount).toBe(4);

    expect((await commentApi(top.id, a.accessToken, "DELETE")).status).toBe(204);
    const page = await list(video, undefined, "?sort=newest");
    expect(ids(page.items)).toEqual([lone.id, top.id]);
    expect(page.items[1]).toMatchObject({ status: "removed", body: null, author: null, replyCount: 2 });
    expect(page.commentCount).toBe(3);
    expect((await commentRow(top.id))?.body).toBe("");
    expect(ids((await replies(top.id)).items)).toEqual([r1.id, r2.id]);
    // A removed comment cannot be edited, deleted again or replied to.
    expect((await commentApi(top.id, a.accessToken, "PATCH", { body: "back" })).status).toBe(404);
    expect((await commentApi(top.id, a.accessToken, "DELETE")).status).toBe(404);
    const replyToRemoved = await send(b.accessToken, video, { body: "late", parentId: top.id });
    expect(replyToRemoved.status).toBe(409);

    // Without replies a comment disappears.
    expect((await commentApi(lone.id, b.accessToken, "DELETE")).status).toBe(204);
    expect(await commentRow(lone.id)).toBeNull();
    expect((await videoCounts(video))?.commentCount).toBe(2);

    expect((await commentApi(r1.id, b.accessToken, "DELETE")).status).toBe(204);
    expect((await commentRow(top.id))?.replyCount).toBe(1);
    // The last reply takes the placeholder with it.
    expect((await commentApi(r2.id, owner.accessToken, "DELETE")).status).toBe(204);
    expect(await commentRow(top.id)).toBeNull();
    expect((await videoCounts(video))?.commentCount).toBe(0);
    expect((await list(video)).items).toEqual([]);
  });

  it("the video's owner deletes any comment on their video; moderators remove any; nobody else", async () => {
    const { owner, author, stranger, moderator, video } = await castWithVideo("cmdelown", {
      owner: { profiles: [{ maturity: "kids" }] },
      author: { profiles: [{ name: "Sibling" }] },
      stranger: { channel: true },
      moderator: { roles: ["moderator"] },
    });
    const c1 = await post(author.accessToken, video, "one");
    const c2 = await post(author.accessToken, video, "two");
    const c3 = await post(author.accessToken, video, "three");
    const kidsOwn = await post(token(owner, 1), video, "hello from the kids profile");
    for (const [who, t, status] of [
      ["another account", stranger.accessToken, 403],
      ["another profile of the author's account", token(author, 1), 403],
      ["the owner's kids profile", token(owner, 1), 403],
      ["anonymous", undefined, 401],
    ] as const) {
      expect((await commentApi(c1.id, t, "DELETE")).status, who).toBe(status);
    }
    expect((await commentApi(c1.id, owner.accessToken, "DELETE")).status).toBe(204);
    expect((await commentApi(c2.id, moderator.accessToken, "DELETE")).status).toBe(204);
    expect((await commentApi(c3.id, author.accessToken, "DELETE")).status).toBe(204);
    // A kids profile may delete what it wrote itself.
    expect((await commentApi(kidsOwn.id, token(owner, 1), "DELETE")).status).toBe(204);
    expect((await list(video)).items).toEqual([]);
    expect((await videoCounts(video))?.commentCount).toBe(0);
  });
});
