/**
 * Comment reactions (D1 rows + counts on the comment), and erasing reactions when an account is
 * deleted. Comments are inserted straight into D1 (the comments domain owns their routes).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { insertComment, insertVideo, seedProfiles } from "./test-utils";

interface State {
  value: "like" | "dislike" | null;
  likes: number;
  dislikes?: number;
}

const path = (commentId: string) => `/api/v1/comments/${commentId}/reaction`;
const put = (commentId: string, token: string, value: "like" | "dislike") =>
  apiJson<State>(path(commentId), 200, { method: "PUT", token, json: { value } });
const clear = (commentId: string, token: string) =>
  apiJson<State>(path(commentId), 200, { method: "DELETE", token });

/** The stored truth: counts on the comment and the reaction rows behind them. */
async function stored(commentId: string) {
  const c = await env.DB.prepare(
    "SELECT like_count AS likes, dislike_count AS dislikes FROM comments WHERE id = ?",
  )
    .bind(commentId)
    .first<{ likes: number; dislikes: number }>();
  const rows = await env.DB.prepare(
    `SELECT COALESCE(SUM(value = 'like'), 0) AS likes, COALESCE(SUM(value = 'dislike'), 0) AS dislikes
       FROM comment_reactions WHERE comment_id = ?`,
  )
    .bind(commentId)
    .first<{ likes: number; dislikes: number }>();
  return { counts: c, rows };
}

let owner: SeededAccount;
let viewer: SeededAccount;
let videoId: string;

beforeAll(async () => {
  [owner, viewer] = await Promise.all([
    seedAccount({ tag: "crxowner", channel: true }),
    seedAccount({ tag: "crxviewer" }),
  ]);
  videoId = await insertVideo(owner);
});

describe("comment reactions", () => {
  it("is idempotent, switches, clears, and shows dislikes to the video's owner only", async () => {
    const commentId = await insertComment(videoId, owner);
    expect(await put(commentId, viewer.accessToken, "like")).toEqual({ value: "like", likes: 1 });
    expect(await put(commentId, viewer.accessToken, "like")).toEqual({ value: "like", likes: 1 });
    expect(await put(commentId, viewer.accessToken, "dislike")).toEqual({ value: "dislike", likes: 0 });
    expect(await put(commentId, owner.accessToken, "like")).toEqual({ value: "like", likes: 1, dislikes: 1 });
    expect(await clear(commentId, viewer.accessToken)).toEqual({ value: null, likes: 1 });
    expect(await clear(commentId, viewer.accessToken)).toEqual({ value: null, likes: 1 });
    expect(await clear(commentId, owner.accessToken)).toEqual({ value: null, likes: 0, dislikes: 0 });
    expect(await stored(commentId)).toEqual({
      counts: { likes: 0, dislikes: 0 },
      rows: { likes: 0, dislikes: 0 },
    });
  });

  it("stays exact under concurrency: 30 profiles at once, and one profile racing itself", async () => {
    const commentId = await insertComment(videoId, owner);
    const fans = await seedProfiles(30, "crxfan");
    const racer = fans[0] as { token: string };
    await Promise.all([
      ...fans.map((f) => put(commentId, f.token, "like")),
      // The same profile flips back and forth 40 times concurrently: whatever wins, it counts once.
      ...Array.from({ length: 40 }, (_, i) => put(commentId, racer.token, i % 2 ? "like" : "dislike")),
      ...Array.from({ length: 10 }, () => clear(commentId, (fans[1] as { token: string }).token)),
    ]);
    const { counts, rows } = await stored(commentId);
    expect(counts).toEqual(rows);
    expect((counts?.likes ?? 0) + (counts?.dislikes ?? 0)).toBeGreaterThanOrEqual(29);
    expect((counts?.likes ?? 0) + (counts?.dislikes ?? 0)).toBeLessThanOrEqual(30);
    // Settle the racer and the clearer, then the counts are known exactly.
    await put(commentId, racer.token, "like");
    await put(commentId, (fans[1] as { token: string }).token, "like");
    expect(await stored(commentId)).toEqual({
      counts: { likes: 30, dislikes: 0 },
      rows: { likes: 30, dislikes: 0 },
    });
  });

  it("refuses anonymous callers (401) and hides comments the caller cannot react to (404)", async () => {
    const commentId = await insertComment(videoId, owner);
    for (const method of ["PUT", "DELETE"]) {
      expect((await api(path(commentId), { method, json: { value: "like" } })).status).toBe(401);
    }
    const privateVideo = await insertVideo(owner, { visibility: "private" });
    const onPrivate = await insertComment(privateVideo, owner);
    const held = await insertComment(videoId, owner, "held");
    const removed = await insertComment(videoId, owner, "removed");
    for (const id of [onPrivate, held, removed, "cmt_doesnotexist"]) {
      const res = await api(path(id), { method: "PUT", token: viewer.accessToken, json: { value: "like" } });
      expect(res.status).toBe(404);
    }
    expect(
      (await api(path(commentId), { method: "PUT", token: viewer.accessToken, json: { value: "meh" } }))
        .status,
    ).toBe(400);
    expect(await stored(held)).toEqual({
      counts: { likes: 0, dislikes: 0 },
      rows: { likes: 0, dislikes: 0 },
    });
  });
});

describe("account.deleted", () => {
  it("erases the account's comment reactions and fixes the counts", async () => {
    const leaving = await seedAccount({ tag: "crxleaving", profiles: [{ name: "Second" }] });
    const second = leaving.profiles[1] as { token: string };
    const c1 = await insertComment(videoId, owner);
    const c2 = await insertComment(videoId, owner);
    await put(c1, leaving.accessToken, "like");
    await put(c1, second.token, "dislike");
    await put(c2, second.token, "like");
    await put(c1, viewer.accessToken, "like");
    await apiJson(`/api/v1/me`, 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    await eventually(async () => {
      const left = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM comment_reactions WHERE profile_id IN (SELECT value FROM json_each(?))",
      )
        .bind(JSON.stringify(leaving.profiles.map((p) => p.id)))
        .first<{ n: number }>();
      return left?.n === 0;
    }, 10_000);
    expect(await stored(c1)).toEqual({ counts: { likes: 1, dislikes: 0 }, rows: { likes: 1, dislikes: 0 } });
    expect(await stored(c2)).toEqual({ counts: { likes: 0, dislikes: 0 }, rows: { likes: 0, dislikes: 0 } });
  });
});

describe("profile.deleted", () => {
  it("erases the deleted profile's comment reactions and fixes the counts; its account's others stay", async () => {
    const family = await seedAccount({ tag: "crxprof", profiles: [{ name: "Leaving" }] });
    const goes = family.profiles[1] as { id: string; token: string };
    const comment = await insertComment(videoId, owner);
    await put(comment, goes.token, "dislike");
    await put(comment, family.accessToken, "like");
    await apiJson(`/api/v1/me/profiles/${goes.id}`, 204, { method: "DELETE", token: family.accessToken });
    await eventually(async () => {
      const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM comment_reactions WHERE profile_id = ?")
        .bind(goes.id)
        .first<{ n: number }>();
      return left?.n === 0;
    }, 10_000);
    expect(await stored(comment)).toEqual({
      counts: { likes: 1, dislikes: 0 },
      rows: { likes: 1, dislikes: 0 },
    });
  });
});
