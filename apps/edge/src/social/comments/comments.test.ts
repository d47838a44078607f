import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { createDb } from "../../db/client";
import { anonymiseAccountComments } from "./events";
import {
  allPages,
  type CommentJson,
  commentApi,
  commentRow,
  commentsPath,
  handledEvent,
  insertComment,
  list,
  post,
  readyVideo,
  replies,
  videoCounts,
} from "./test-utils";

const token = (a: SeededAccount, profile = 0) => a.profiles[profile]?.token ?? a.accessToken;
const ids = (items: CommentJson[]) => items.map((c) => c.id);

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
    const deeper = await api(commentsPath(video), {
      method: "POST",
      token: viewer.accessToken,
      json: { body: "deeper", parentId: reply.id },
    });
    expect(deeper.status).toBe(409);
    const elsewhere = await readyVideo(owner);
    const wrongVideo = await api(commentsPath(elsewhere), {
      method: "POST",
      token: viewer.accessToken,
      json: { body: "lost", parentId: top.id },
    });
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

  it("refuses bad input with 400 problems, and hides videos the caller may not see", async () => {
    const owner = await seedAccount({ tag: "cmbad", channel: true });
    const viewer = await seedAccount({ tag: "cmbadv" });
    const video = await readyVideo(owner);
    const send = (json: unknown, t: string | null = viewer.accessToken, v = video) =>
      api(commentsPath(v), { method: "POST", json, ...(t ? { token: t } : {}) });
    for (const json of [
      { body: "" },
      { body: "   \n " },
      { body: "x".repeat(2001) },
      { body: "bell\u0007" },
      { body: "\u202eevil" },
      { body: "ok", extra: true },
      { body: "ok", parentId: "not an id" },
      { body: 42 },
      {},
    ]) {
      const res = await send(json);
      expect(res.status, JSON.stringify(json).slice(0, 60)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    // Limits count characters (code points), and the body is trimmed.
    const long = await post(viewer.accessToken, video, `  ${"😀".repeat(2000)}  `);
    expect(long.body).toBe("😀".repeat(2000));
    // Multi-line text is fine.
    expect((await post(viewer.accessToken, video, "line one\nline two")).body).toBe("line one\nline two");

    expect((await send({ body: "hi" }, null)).status).toBe(401);
    expect((await send({ body: "hi" }, viewer.accessToken, "vid_doesnotexist")).status).toBe(404);
    const hidden = await readyVideo(owner, { visibility: "private" });
    expect((await send({ body: "hi" }, viewer.accessToken, hidden)).status).toBe(404);
    expect((await api(commentsPath(hidden), { token: viewer.accessToken })).status).toBe(404);
    await post(owner.accessToken, hidden, "a note to self");
    expect((await list(hidden, owner.accessToken)).items).toHaveLength(1);
  });
});

describe("editing", () => {
  it("only the author profile edits (not another profile of the same account); an edit marks it edited", async () => {
    const owner = await seedAccount({ tag: "cmedit", channel: true });
    const family = await seedAccount({ tag: "cmeditf", profiles: [{ name: "Sibling" }] });
    const stranger = await seedAccount({ tag: "cmedits", roles: ["moderator"] });
    const video = await readyVideo(owner);
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
});

describe("deleting", () => {
  it("a comment with replies becomes a removed placeholder and its replies stay; counts stay right", async () => {
    const owner = await seedAccount({ tag: "cmdel", channel: true });
    const a = await seedAccount({ tag: "cmdela" });
    const b = await seedAccount({ tag: "cmdelb" });
    const video = await readyVideo(owner);
    const top = await post(a.accessToken, video, "Parent");
    const r1 = await post(b.accessToken, video, "reply one", top.id);
    const r2 = await post(owner.accessToken, video, "reply two", top.id);
    const lone = await post(b.accessToken, video, "lone");
    expect((await videoCounts(video))?.comment_count).toBe(4);

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
    const replyToRemoved = await api(commentsPath(video), {
      method: "POST",
      token: b.accessToken,
      json: { body: "late", parentId: top.id },
    });
    expect(replyToRemoved.status).toBe(409);

    // Without replies a comment disappears.
    expect((await commentApi(lone.id, b.accessToken, "DELETE")).status).toBe(204);
    expect(await commentRow(lone.id)).toBeNull();
    expect((await videoCounts(video))?.comment_count).toBe(2);

    expect((await commentApi(r1.id, b.accessToken, "DELETE")).status).toBe(204);
    expect((await commentRow(top.id))?.reply_count).toBe(1);
    // The last reply takes the placeholder with it.
    expect((await commentApi(r2.id, owner.accessToken, "DELETE")).status).toBe(204);
    expect(await commentRow(top.id)).toBeNull();
    expect((await videoCounts(video))?.comment_count).toBe(0);
    expect((await list(video)).items).toEqual([]);
  });

  it("the video's owner deletes any comment on their video; moderators remove any; nobody else", async () => {
    const owner = await seedAccount({ tag: "cmdelown", channel: true, profiles: [{ maturity: "kids" }] });
    const author = await seedAccount({ tag: "cmdelau", profiles: [{ name: "Sibling" }] });
    const stranger = await seedAccount({ tag: "cmdelst", channel: true });
    const moderator = await seedAccount({ tag: "cmdelmod", roles: ["moderator"] });
    const video = await readyVideo(owner);
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
    expect((await videoCounts(video))?.comment_count).toBe(0);
  });
});

describe("video owner's controls", () => {
  it("pins one published top-level comment, shown first on the first page only; deleting it unpins", async () => {
    const owner = await seedAccount({ tag: "cmpin", channel: true, profiles: [{ maturity: "kids" }] });
    const viewer = await seedAccount({ tag: "cmpinv" });
    const video = await readyVideo(owner);
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
    expect((await videoCounts(video))?.pinned_comment_id).toBeNull();
    expect((await pin(owner.accessToken, b.id)).status).toBe(200);
    expect((await commentApi(b.id, viewer.accessToken, "DELETE")).status).toBe(204);
    expect((await videoCounts(video))?.pinned_comment_id).toBeNull();
  });

  it("comments off: posting is refused with a reason and the comments are hidden from all but the owner", async () => {
    const owner = await seedAccount({ tag: "cmoff", channel: true, profiles: [{ maturity: "kids" }] });
    const viewer = await seedAccount({ tag: "cmoffv" });
    const video = await readyVideo(owner);
    const comment = await post(viewer.accessToken, video, "before");
    const settings = (t: string | undefined, mode: string) =>
      api(`/api/v1/videos/${video}/comment-settings`, { method: "PUT", token: t, json: { mode } });

    expect((await settings(viewer.accessToken, "off")).status).toBe(403);
    expect((await settings(token(owner, 1), "off")).status).toBe(403);
    expect((await settings(owner.accessToken, "sideways")).status).toBe(400);
    expect(await (await settings(owner.accessToken, "off")).json()).toEqual({ videoId: video, mode: "off" });

    const refused = await api(commentsPath(video), {
      method: "POST",
      token: viewer.accessToken,
      json: { body: "after" },
    });
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

describe("rate limit", () => {
  it("the 11th comment of a profile within a minute is 429 with Retry-After; other profiles go on", async () => {
    const owner = await seedAccount({ tag: "cmrate", channel: true });
    const viewer = await seedAccount({ tag: "cmratev", profiles: [{ name: "Second" }] });
    const video = await readyVideo(owner);
    for (let i = 0; i < 10; i++) await post(viewer.accessToken, video, `comment number ${i}`);
    const res = await api(commentsPath(video), {
      method: "POST",
      token: viewer.accessToken,
      json: { body: "one too many" },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    await post(token(viewer, 1), video, "the other profile is fine");
    expect((await videoCounts(video))?.comment_count).toBe(11);
  });
});

describe("events", () => {
  it("publishing sends comment.created, comment.replied and mention (for existing channel handles)", async () => {
    const owner = await seedAccount({ tag: "cmevt", channel: true });
    const mentioned = await seedAccount({ tag: "cmevtm", channel: true });
    const viewer = await seedAccount({ tag: "cmevtv" });
    const video = await readyVideo(owner);
    const { handle } = await apiJson<{ handle: string }>(`/api/v1/channels/${mentioned.channelId}`, 200);

    const ownNote = await post(owner.accessToken, video, "Behind the scenes notes");
    const top = await post(
      viewer.accessToken,
      video,
      `Loved it @${handle.toUpperCase()} and @nosuchhandle_zz`,
    );
    const reply = await post(owner.accessToken, video, "Thanks for watching", top.id);

    const mention = await eventually(() => handledEvent("mention", top.id));
    expect(mention.id).toBe(`mention:${top.id}`);
    await eventually(() => handledEvent("comment.created", top.id));
    await eventually(() => handledEvent("comment.replied", reply.id));
    // Commenting on your own video is not news to you.
    expect(await handledEvent("comment.created", ownNote.id)).toBeNull();
  });
});

describe("account deletion", () => {
  it("anonymises the account's comments and keeps the threads; held ones nobody saw are erased", async () => {
    const owner = await seedAccount({ tag: "cmgone", channel: true });
    const leaving = await seedAccount({ tag: "cmgonel", profiles: [{ name: "Second" }] });
    const video = await readyVideo(owner);
    const top = await post(leaving.accessToken, video, "I was here");
    const reply = await post(owner.accessToken, video, "Welcome", top.id);
    const sibling = await post(token(leaving, 1), video, "Me too");
    const held = await post(leaving.accessToken, await readyVideo(owner, { mode: "hold" }), "pending");
    expect(held.status).toBe("held");

    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    await eventually(() => handledEvent("account.deleted", leaving.accountId));

    for (const id of [top.id, sibling.id]) {
      expect(await commentRow(id)).toMatchObject({ profile_id: null, account_id: null, status: "published" });
    }
    expect(await commentRow(held.id)).toBeNull();
    const page = await list(video, undefined, "?sort=newest");
    expect(page.items.find((c) => c.id === top.id)).toMatchObject({
      author: { profileId: null, name: "deleted user", avatarUrl: null },
      body: "I was here",
      replyCount: 1,
    });
    expect(ids((await replies(top.id)).items)).toEqual([reply.id]);
    expect(page.commentCount).toBe(3);

    // Running the handler again changes nothing.
    await anonymiseAccountComments(createDb(env.DB), {
      id: "evt_again",
      type: "account.deleted",
      occurredAt: new Date().toISOString(),
      payload: { accountId: leaving.accountId, profileIds: leaving.profiles.map((p) => p.id) },
    });
    expect(await commentRow(top.id)).toMatchObject({ body: "I was here", profile_id: null });
  });
});

describe("profile deletion", () => {
  it("anonymises the deleted profile's comments only; the account's other profile keeps its name", async () => {
    const owner = await seedAccount({ tag: "cmpgone", channel: true });
    const family = await seedAccount({ tag: "cmpgonef", profiles: [{ name: "Leaving" }] });
    const goes = family.profiles[1] as { id: string; token: string };
    const video = await readyVideo(owner);
    const kept = await post(family.accessToken, video, "Still here");
    const top = await post(goes.token, video, "Bye now");
    const reply = await post(owner.accessToken, video, "See you", top.id);
    const held = await post(goes.token, await readyVideo(owner, { mode: "hold" }), "pending");
    expect(held.status).toBe("held");

    await apiJson(`/api/v1/me/profiles/${goes.id}`, 204, { method: "DELETE", token: family.accessToken });
    await eventually(() => handledEvent("profile.deleted", goes.id));

    expect(await commentRow(top.id)).toMatchObject({
      profile_id: null,
      account_id: null,
      status: "published",
    });
    expect(await commentRow(held.id)).toBeNull();
    expect(await commentRow(kept.id)).toMatchObject({
      profile_id: family.profileId,
      account_id: family.accountId,
    });
    const page = await list(video, undefined, "?sort=newest");
    expect(page.items.find((c) => c.id === top.id)).toMatchObject({
      author: { profileId: null, name: "deleted user" },
      body: "Bye now",
      replyCount: 1,
    });
    expect(page.items.find((c) => c.id === kept.id)?.author).toMatchObject({ profileId: family.profileId });
    expect(ids((await replies(top.id)).items)).toEqual([reply.id]);
  });
});
