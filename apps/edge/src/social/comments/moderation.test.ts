import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, seedCast } from "../../../test/harness";
import {
  allPages,
  approve,
  type CommentJson,
  castWithVideo,
  commentApi,
  commentRow,
  handledEvent,
  ids,
  list,
  post,
  putChannelWords,
  readyVideo,
  replies,
  send,
  token,
  uniqueWord,
  videoCounts,
} from "./test-utils";

describe("held comments", () => {
  it("a channel watched word holds a comment: only its author, the owner and staff see it until approved", async () => {
    const { owner, author, stranger, moderator } = await seedCast("mdword", {
      owner: { channel: true },
      author: {},
      stranger: {},
      moderator: { roles: ["moderator"] },
    });
    const word = uniqueWord("spoiler");
    const set = await putChannelWords(owner.channelId ?? "", owner.accessToken, [
      `  ${word.toUpperCase()} `,
      "Plot   TWIST",
    ]);
    expect(await set.json()).toEqual({ words: [word, "plot twist"].sort() });
    const video = await readyVideo(owner);

    const held = await post(author.accessToken, video, `This has ${word.toUpperCase()}, sorry!`);
    expect(held).toMatchObject({ status: "held", heldReason: null });
    // Whole words only: the word inside a longer one is fine; a phrase matches across spacing and case.
    expect((await post(author.accessToken, video, `pre${word}post is fine`)).status).toBe("published");
    expect((await post(author.accessToken, video, "what a plot\n twist")).status).toBe("held");

    const visibleTo = async (t?: string) => ids((await list(video, t)).items).includes(held.id);
    expect(await visibleTo(stranger.accessToken)).toBe(false);
    expect(await visibleTo()).toBe(false);
    expect(await visibleTo(author.accessToken)).toBe(true);
    expect(await visibleTo(moderator.accessToken)).toBe(true);
    const ownerView = (await list(video, owner.accessToken)).items.find((c) => c.id === held.id);
    expect(ownerView).toMatchObject({ status: "held", heldReason: `watched_word:${word}` });
    expect((await list(video)).commentCount).toBe(1);

    // To everyone else the held comment does not exist.
    expect((await api(`/api/v1/comments/${held.id}/replies`, { token: stranger.accessToken })).status).toBe(
      404,
    );
    expect((await commentApi(held.id, stranger.accessToken, "DELETE")).status).toBe(404);
    expect((await approve(held.id, stranger.accessToken)).status).toBe(404);
    const replyToHeld = await send(stranger.accessToken, video, { body: "me too", parentId: held.id });
    expect(replyToHeld.status).toBe(404);
    // Its author cannot approve it.
    expect((await approve(held.id, author.accessToken)).status).toBe(403);

    const approved = await apiJson<CommentJson>(`/api/v1/comments/${held.id}/approve`, 200, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(approved).toMatchObject({ status: "published", heldReason: null });
    expect(await visibleTo(stranger.accessToken)).toBe(true);
    expect((await videoCounts(video))?.commentCount).toBe(2);
    // Approving again changes nothing.
    expect((await approve(held.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.commentCount).toBe(2);
    await eventually(() => handledEvent("comment.created", held.id));
  });

  it("a video set to hold holds every comment but the owner's; approval publishes and only then announces", async () => {
    const { owner, author, admin, video } = await castWithVideo(
      "mdhold",
      {
        author: {},
        admin: { roles: ["admin"] },
      },
      { mode: "hold" },
    );

    const held = await post(author.accessToken, video, "Hello there");
    expect(held.status).toBe("held");
    const ownNote = await post(owner.accessToken, video, "Owner's note");
    expect(ownNote.status).toBe("published");
    const heldReply = await post(author.accessToken, video, "a held reply", ownNote.id);
    expect(heldReply.status).toBe("held");
    expect(await commentRow(held.id)).toMatchObject({ heldReason: "video_hold" });
    expect((await videoCounts(video))?.commentCount).toBe(1);
    expect((await replies(ownNote.id)).items).toEqual([]);
    expect(ids((await replies(ownNote.id, author.accessToken)).items)).toEqual([heldReply.id]);

    // A comment published on another video is announced; the held one is not.
    const sentinel = await post(author.accessToken, await readyVideo(owner), "elsewhere");
    await eventually(() => handledEvent("comment.created", sentinel.id));
    expect(await handledEvent("comment.created", held.id)).toBeNull();
    expect(await handledEvent("comment.replied", heldReply.id)).toBeNull();

    expect((await approve(held.id, admin.accessToken)).status).toBe(200);
    expect((await approve(heldReply.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.commentCount).toBe(3);
    expect((await commentRow(ownNote.id))?.replyCount).toBe(1);
    await eventually(() => handledEvent("comment.created", held.id));
    await eventually(() => handledEvent("comment.replied", heldReply.id));
    expect(ids((await replies(ownNote.id)).items)).toEqual([heldReply.id]);
  });

  it("only the video's owner, moderators and admins approve; not others, nor the owner's kids profile", async () => {
    const { owner, other, author, moderator, video } = await castWithVideo(
      "mdwho",
      {
        owner: { profiles: [{ maturity: "kids" }] },
        other: { channel: true },
        author: {},
        moderator: { roles: ["moderator"] },
      },
      { mode: "hold" },
    );
    const first = await post(author.accessToken, video, "first");
    const second = await post(author.accessToken, video, "second");

    // A held comment does not exist for them (404); a published one is not theirs to approve (403).
    expect((await approve(first.id, other.accessToken)).status).toBe(404);
    expect((await approve(first.id, token(owner, 1))).status).toBe(404);
    expect((await approve(first.id, undefined)).status).toBe(401);
    expect((await approve(first.id, moderator.accessToken)).status).toBe(200);
    expect((await approve(first.id, other.accessToken)).status).toBe(403);
    expect((await approve(first.id, token(owner, 1))).status).toBe(403);
    expect((await approve(second.id, owner.accessToken)).status).toBe(200);
    expect((await commentRow(second.id))?.status).toBe("published");
  });
});

describe("video owner's controls", () => {
  it("pins one published top-level comment, shown first on the first page only; deleting it unpins", async () => {
    const { owner, viewer, video } = await castWithVideo("cmpin", {
      owner: { profiles: [{ maturity: "kids" }] },
      viewer: {},
    });
    const a = await post(viewer.accessToken, video, "oldest");
    const b = await post(viewer.accessToken, video, "middle");
    const c = await post(viewer.accessToken, video, "newest");
    const reply = await post(owner.accessToken, video, "a reply", a.id);
    const pin = (t: string | undefined, commentId: string | null, v = video) =>
      api(`/api/v1/videos/${v}/pinned-comment`, { method: "PUT", token: t, json: { commentId } });

    expect(await (await pin(owner.accessToken, a.id)).json()).toEqual({
      videoId: video,
      pinnedCommentId: a.id,
    });
    const first = await list(video, viewer.accessToken, "?sort=newest");
    expect(ids(first.items)).toEqual([a.id, c.id, b.id]);
    expect(first.items[0]?.pinned).toBe(true);
    // With limit=1 the pinned comment fills page one and the rest follows without repeating it.
    const pages = await allPages((cursor) =>
      list(video, undefined, `?sort=newest&limit=1${cursor ? `&cursor=${cursor}` : ""}`),
    );
    expect(pages.flat().map((x) => x.id)).toEqual([a.id, c.id, b.id]);

    expect((await pin(owner.accessToken, reply.id)).status).toBe(409);
    const otherVideo = await readyVideo(owner);
    const elsewhere = await post(viewer.accessToken, otherVideo, "elsewhere");
    expect((await pin(owner.accessToken, elsewhere.id)).status).toBe(404);
    expect((await pin(owner.accessToken, "cmt_nosuchcomment")).status).toBe(404);
    expect((await pin(viewer.accessToken, b.id)).status).toBe(403);
    expect((await pin(token(owner, 1), b.id)).status).toBe(403);
    expect((await pin(undefined, b.id)).status).toBe(401);

    expect((await pin(owner.accessToken, null)).status).toBe(200);
    expect((await videoCounts(video))?.pinnedCommentId).toBeNull();
    expect((await pin(owner.accessToken, b.id)).status).toBe(200);
    expect((await commentApi(b.id, viewer.accessToken, "DELETE")).status).toBe(204);
    expect((await videoCounts(video))?.pinnedCommentId).toBeNull();
  });

  it("comments off: posting is refused with a reason and the comments are hidden from all but the owner", async () => {
    const { owner, viewer, video } = await castWithVideo("cmoff", {
      owner: { profiles: [{ maturity: "kids" }] },
      viewer: {},
    });
    const comment = await post(viewer.accessToken, video, "before");
    const settings = (t: string | undefined, mode: string) =>
      api(`/api/v1/videos/${video}/comment-settings`, { method: "PUT", token: t, json: { mode } });

    expect((await settings(viewer.accessToken, "off")).status).toBe(403);
    expect((await settings(token(owner, 1), "off")).status).toBe(403);
    expect((await settings(owner.accessToken, "sideways")).status).toBe(400);
    expect(await (await settings(owner.accessToken, "off")).json()).toEqual({ videoId: video, mode: "off" });

    const refused = await send(viewer.accessToken, video, { body: "after" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/turned off/);
    expect((await commentApi(comment.id, viewer.accessToken, "PATCH", { body: "edit" })).status).toBe(403);
    expect(await list(video, viewer.accessToken)).toMatchObject({ items: [], commentsMode: "off" });
    expect((await list(video)).items).toEqual([]);
    expect((await replies(comment.id)).items).toEqual([]);
    expect(ids((await list(video, owner.accessToken)).items)).toEqual([comment.id]);

    expect((await settings(owner.accessToken, "open")).status).toBe(200);
    expect(ids((await list(video)).items)).toEqual([comment.id]);
  });
});
