import { describe, expect, it } from "vitest";
import { apiJson, seedCast } from "../../../test/harness";
import {
  approve,
  type CommentJson,
  castWithVideo,
  commentApi,
  commentRow,
  ids,
  list,
  post,
  putChannelWords,
  readyVideo,
  send,
  token,
  uniqueWord,
  videoCounts,
} from "./test-utils";

describe("editing", () => {
  it("only the author profile edits (not another profile of the same account); an edit marks it edited", async () => {
    const { owner, family, stranger, video } = await castWithVideo("cmedit", {
      family: { profiles: [{ name: "Sibling" }] },
      stranger: { roles: ["moderator"] },
    });
    const comment = await post(family.accessToken, video, "Frist");

    for (const [who, t, status] of [
      ["sibling profile", token(family, 1), 403],
      ["video owner", owner.accessToken, 403],
      ["moderator", stranger.accessToken, 403],
      ["anonymous", undefined, 401],
    ] as const) {
      const res = await commentApi(comment.id, t, "PATCH", { body: "hijacked" });
      expect(res.status, who).toBe(status);
    }
    expect((await commentRow(comment.id))?.body).toBe("Frist");

    const edited = await apiJson<CommentJson>(`/api/v1/comments/${comment.id}`, 200, {
      method: "PATCH",
      token: family.accessToken,
      json: { body: "First" },
    });
    expect(edited).toMatchObject({ body: "First", edited: true, status: "published" });
    expect(edited.editedAt).not.toBeNull();
    expect((await list(video)).items[0]).toMatchObject({ id: comment.id, body: "First", edited: true });
    expect((await commentApi(comment.id, family.accessToken, "PATCH", { body: "" })).status).toBe(400);
    expect((await commentApi("cmt_nosuchcomment", family.accessToken, "PATCH", { body: "x" })).status).toBe(
      404,
    );
  });

  it("an edit that adds a watched word sends a published comment back to review (and out of the pin)", async () => {
    const { owner, author } = await seedCast("mdedit", { owner: { channel: true }, author: {} });
    const word = uniqueWord("leak");
    await putChannelWords(owner.channelId ?? "", owner.accessToken, [word]);
    const video = await readyVideo(owner);
    const comment = await post(author.accessToken, video, "clean words");
    await apiJson(`/api/v1/videos/${video}/pinned-comment`, 200, {
      method: "PUT",
      token: owner.accessToken,
      json: { commentId: comment.id },
    });
    expect((await videoCounts(video))?.commentCount).toBe(1);

    const edited = await apiJson<CommentJson>(`/api/v1/comments/${comment.id}`, 200, {
      method: "PATCH",
      token: author.accessToken,
      json: { body: `now with ${word}` },
    });
    expect(edited).toMatchObject({ status: "held", edited: true, pinned: false });
    expect(await videoCounts(video)).toMatchObject({ commentCount: 0, pinnedCommentId: null });
    expect((await list(video)).items).toEqual([]);

    expect((await approve(comment.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.commentCount).toBe(1);
    expect(ids((await list(video)).items)).toEqual([comment.id]);
  });
});

describe("rate limit", () => {
  it("the 11th comment of a profile within a minute is 429 with Retry-After; other profiles go on", async () => {
    const { viewer, video } = await castWithVideo("cmrate", {
      viewer: { profiles: [{ name: "Second" }] },
    });
    for (let i = 0; i < 10; i++) await post(viewer.accessToken, video, `comment number ${i}`);
    const res = await send(viewer.accessToken, video, { body: "one too many" });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    await post(token(viewer, 1), video, "the other profile is fine");
    expect((await videoCounts(video))?.commentCount).toBe(11);
  });
});
