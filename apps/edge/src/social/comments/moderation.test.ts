import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, type SeededAccount, seedAccount, unique } from "../../../test/harness";
import {
  type CommentJson,
  commentApi,
  commentRow,
  commentsPath,
  countIntegrity,
  handledEvent,
  list,
  post,
  readyVideo,
  replies,
  videoCounts,
} from "./test-utils";

const token = (a: SeededAccount, profile = 0) => a.profiles[profile]?.token ?? a.accessToken;
const ids = (items: CommentJson[]) => items.map((c) => c.id);
/** A watched word no other test (or the fuzz test) will ever write. */
const uniqueWord = (tag: string) =>
  `${tag}${unique()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

const approve = (commentId: string, t: string | undefined) =>
  api(`/api/v1/comments/${commentId}/approve`, { method: "POST", token: t });

function putChannelWords(channelId: string, t: string | undefined, words: unknown) {
  return api(`/api/v1/channels/${channelId}/watched-words`, { method: "PUT", token: t, json: { words } });
}

describe("held comments", () => {
  it("a channel watched word holds a comment: only its author, the owner and staff see it until approved", async () => {
    const owner = await seedAccount({ tag: "mdword", channel: true });
    const author = await seedAccount({ tag: "mdworda" });
    const stranger = await seedAccount({ tag: "mdwords" });
    const moderator = await seedAccount({ tag: "mdwordm", roles: ["moderator"] });
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
    const replyToHeld = await api(commentsPath(video), {
      method: "POST",
      token: stranger.accessToken,
      json: { body: "me too", parentId: held.id },
    });
    expect(replyToHeld.status).toBe(404);
    // Its author cannot approve it.
    expect((await approve(held.id, author.accessToken)).status).toBe(403);

    const approved = await apiJson<CommentJson>(`/api/v1/comments/${held.id}/approve`, 200, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(approved).toMatchObject({ status: "published", heldReason: null });
    expect(await visibleTo(stranger.accessToken)).toBe(true);
    expect((await videoCounts(video))?.comment_count).toBe(2);
    // Approving again changes nothing.
    expect((await approve(held.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.comment_count).toBe(2);
    await eventually(() => handledEvent("comment.created", held.id));
  });

  it("global watched words (admin only) hold comments on every channel's videos", async () => {
    const admin = await seedAccount({ tag: "mdglobal", roles: ["admin"] });
    const owner = await seedAccount({ tag: "mdglobalo", channel: true });
    const author = await seedAccount({ tag: "mdglobala" });
    const word = uniqueWord("global");
    const path = "/api/v1/admin/watched-words";

    expect((await api(path, { token: owner.accessToken })).status).toBe(403);
    expect(
      (await api(path, { method: "PUT", token: owner.accessToken, json: { words: [word] } })).status,
    ).toBe(403);
    expect((await api(path)).status).toBe(401);

    const before = await apiJson<{ words: string[] }>(path, 200, { token: admin.accessToken });
    const after = await apiJson<{ words: string[] }>(path, 200, {
      method: "PUT",
      token: admin.accessToken,
      json: { words: [...before.words, word] },
    });
    expect(after.words).toContain(word);
    try {
      const video = await readyVideo(owner);
      const held = await post(author.accessToken, video, `A ${word} here`);
      expect(held.status).toBe("held");
      const ownerView = (await list(video, owner.accessToken)).items.find((c) => c.id === held.id);
      expect(ownerView?.heldReason).toBe(`watched_word:${word}`);
    } finally {
      const now = await apiJson<{ words: string[] }>(path, 200, { token: admin.accessToken });
      await apiJson(path, 200, {
        method: "PUT",
        token: admin.accessToken,
        json: { words: now.words.filter((w) => w !== word) },
      });
    }
  });

  it("a video set to hold holds every comment but the owner's; approval publishes and only then announces", async () => {
    const owner = await seedAccount({ tag: "mdhold", channel: true });
    const author = await seedAccount({ tag: "mdholda" });
    const admin = await seedAccount({ tag: "mdholdad", roles: ["admin"] });
    const video = await readyVideo(owner, { mode: "hold" });

    const held = await post(author.accessToken, video, "Hello there");
    expect(held.status).toBe("held");
    const ownNote = await post(owner.accessToken, video, "Owner's note");
    expect(ownNote.status).toBe("published");
    const heldReply = await post(author.accessToken, video, "a held reply", ownNote.id);
    expect(heldReply.status).toBe("held");
    expect(await commentRow(held.id)).toMatchObject({ held_reason: "video_hold" });
    expect((await videoCounts(video))?.comment_count).toBe(1);
    expect((await replies(ownNote.id)).items).toEqual([]);
    expect(ids((await replies(ownNote.id, author.accessToken)).items)).toEqual([heldReply.id]);

    // A comment published on another video is announced; the held one is not.
    const sentinel = await post(author.accessToken, await readyVideo(owner), "elsewhere");
    await eventually(() => handledEvent("comment.created", sentinel.id));
    expect(await handledEvent("comment.created", held.id)).toBeNull();
    expect(await handledEvent("comment.replied", heldReply.id)).toBeNull();

    expect((await approve(held.id, admin.accessToken)).status).toBe(200);
    expect((await approve(heldReply.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.comment_count).toBe(3);
    expect((await commentRow(ownNote.id))?.reply_count).toBe(1);
    await eventually(() => handledEvent("comment.created", held.id));
    await eventually(() => handledEvent("comment.replied", heldReply.id));
    expect(ids((await replies(ownNote.id)).items)).toEqual([heldReply.id]);
  });

  it("an edit that adds a watched word sends a published comment back to review (and out of the pin)", async () => {
    const owner = await seedAccount({ tag: "mdedit", channel: true });
    const author = await seedAccount({ tag: "mdedita" });
    const word = uniqueWord("leak");
    await putChannelWords(owner.channelId ?? "", owner.accessToken, [word]);
    const video = await readyVideo(owner);
    const comment = await post(author.accessToken, video, "clean words");
    await apiJson(`/api/v1/videos/${video}/pinned-comment`, 200, {
      method: "PUT",
      token: owner.accessToken,
      json: { commentId: comment.id },
    });
    expect((await videoCounts(video))?.comment_count).toBe(1);

    const edited = await apiJson<CommentJson>(`/api/v1/comments/${comment.id}`, 200, {
      method: "PATCH",
      token: author.accessToken,
      json: { body: `now with ${word}` },
    });
    expect(edited).toMatchObject({ status: "held", edited: true, pinned: false });
    expect(await videoCounts(video)).toMatchObject({ comment_count: 0, pinned_comment_id: null });
    expect((await list(video)).items).toEqual([]);

    expect((await approve(comment.id, owner.accessToken)).status).toBe(200);
    expect((await videoCounts(video))?.comment_count).toBe(1);
    expect(ids((await list(video)).items)).toEqual([comment.id]);
  });
});

describe("who moderates", () => {
  it("only the video's owner, moderators and admins approve; not others, nor the owner's kids profile", async () => {
    const owner = await seedAccount({ tag: "mdwho", channel: true, profiles: [{ maturity: "kids" }] });
    const other = await seedAccount({ tag: "mdwhoo", channel: true });
    const author = await seedAccount({ tag: "mdwhoa" });
    const moderator = await seedAccount({ tag: "mdwhom", roles: ["moderator"] });
    const video = await readyVideo(owner, { mode: "hold" });
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

  it("watched-word lists belong to the channel's owner and admins; words are normalised and deduplicated", async () => {
    const owner = await seedAccount({ tag: "mdlist", channel: true, profiles: [{ maturity: "kids" }] });
    const other = await seedAccount({ tag: "mdlisto", channel: true });
    const admin = await seedAccount({ tag: "mdlistad", roles: ["admin"] });
    const channel = owner.channelId ?? "";
    const path = `/api/v1/channels/${channel}/watched-words`;

    const set = await apiJson<{ words: string[] }>(path, 200, {
      method: "PUT",
      token: owner.accessToken,
      json: { words: ["Ｓｐｏｉｌｅｒ", "spoiler", "  Big   Reveal ", "ÉCLAIR"] },
    });
    expect(set.words).toEqual(["big reveal", "spoiler", "éclair"]);
    expect(await apiJson(path, 200, { token: owner.accessToken })).toEqual(set);
    expect(await apiJson(path, 200, { token: admin.accessToken })).toEqual(set);
    for (const [who, t, status] of [
      ["another account", other.accessToken, 403],
      ["the owner's kids profile", token(owner, 1), 403],
      ["anonymous", undefined, 401],
    ] as const) {
      expect((await api(path, { token: t })).status, `GET ${who}`).toBe(status);
      expect((await putChannelWords(channel, t, ["mine"])).status, `PUT ${who}`).toBe(status);
    }
    expect((await apiJson<{ words: string[] }>(path, 200, { token: owner.accessToken })).words).toEqual(
      set.words,
    );

    for (const words of [["!!!"], ["x".repeat(51)], ["nul\u0000"], [""], "spoiler", Array(501).fill("w")]) {
      const res = await putChannelWords(channel, owner.accessToken, words);
      expect(res.status, JSON.stringify(words).slice(0, 40)).toBe(400);
    }
    const many = Array.from({ length: 500 }, (_, i) => `word${String(i).padStart(3, "0")}`);
    expect(
      (
        await apiJson<{ words: string[] }>(path, 200, {
          method: "PUT",
          token: admin.accessToken,
          json: { words: many },
        })
      ).words,
    ).toEqual(many);
    expect((await putChannelWords(channel, owner.accessToken, [])).status).toBe(200);
    expect((await apiJson<{ words: string[] }>(path, 200, { token: owner.accessToken })).words).toEqual([]);
    expect((await putChannelWords("chn_nosuchchannel", admin.accessToken, ["x1"])).status).toBe(404);
  });
});

describe("counts under concurrency", () => {
  it("repeated approvals and deletions count once; replies racing their parent's deletion leave no orphans", async () => {
    const owner = await seedAccount({ tag: "mdrace", channel: true });
    const repliers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => seedAccount({ tag: `mdracer${i}` })),
    );
    const video = await readyVideo(owner, { mode: "hold" });
    const held = await post(repliers[0]?.accessToken ?? "", video, "approve me");
    const approvals = await Promise.all(Array.from({ length: 6 }, () => approve(held.id, owner.accessToken)));
    expect(approvals.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect((await videoCounts(video))?.comment_count).toBe(1);

    await apiJson(`/api/v1/videos/${video}/comment-settings`, 200, {
      method: "PUT",
      token: owner.accessToken,
      json: { mode: "open" },
    });
    const doomed = await post(repliers[1]?.accessToken ?? "", video, "delete me");
    const deletions = await Promise.all(
      Array.from({ length: 6 }, () => commentApi(doomed.id, owner.accessToken, "DELETE")),
    );
    expect(deletions.every((r) => r.status === 204 || r.status === 404)).toBe(true);
    expect((await videoCounts(video))?.comment_count).toBe(1);

    // The parent goes while replies arrive: each reply either lands (and the parent stays as a
    // placeholder) or is refused; the counters always match the rows.
    for (let round = 0; round < 3; round++) {
      const parent = await post(owner.accessToken, video, `parent ${round}`);
      const results = await Promise.all([
        ...repliers.map((r) =>
          api(commentsPath(video), {
            method: "POST",
            token: r.accessToken,
            json: { body: `reply ${round}`, parentId: parent.id },
          }),
        ),
        commentApi(parent.id, owner.accessToken, "DELETE"),
      ]);
      expect(results.every((r) => [201, 204, 404, 409].includes(r.status))).toBe(true);
      const landed = results.filter((r) => r.status === 201).length;
      const stored = await commentRow(parent.id);
      if (landed > 0) expect(stored).toMatchObject({ status: "removed", reply_count: landed });
      else expect(stored).toBeNull();
      expect(await countIntegrity(video)).toEqual({ videoDrift: 0, replyDrift: 0, orphans: 0 });
    }
  });
});
