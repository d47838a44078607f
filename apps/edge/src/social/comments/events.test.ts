import { describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { apiJson, eventually, seedAccount } from "../../../test/harness";
import { anonymiseComments } from "./events";
import { commentRow, handledEvent, ids, list, post, readyVideo, replies, token } from "./test-utils";

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
      expect(await commentRow(id)).toMatchObject({ profileId: null, accountId: null, status: "published" });
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
    await anonymiseComments(testDb(), {
      accountId: leaving.accountId,
      profileIds: leaving.profiles.map((p) => p.id),
      wholeAccount: true,
    });
    expect(await commentRow(top.id)).toMatchObject({ body: "I was here", profileId: null });
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
      profileId: null,
      accountId: null,
      status: "published",
    });
    expect(await commentRow(held.id)).toBeNull();
    expect(await commentRow(kept.id)).toMatchObject({
      profileId: family.profileId,
      accountId: family.accountId,
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
