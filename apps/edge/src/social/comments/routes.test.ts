import { describe, expect, it } from "vitest";
import { api, seedAccount } from "../../../test/harness";
import { commentsPath, list, post, readyVideo, send } from "./test-utils";

describe("comments routes", () => {
  it("refuses bad input with 400 problems, and hides videos the caller may not see", async () => {
    const owner = await seedAccount({ tag: "cmbad", channel: true });
    const viewer = await seedAccount({ tag: "cmbadv" });
    const video = await readyVideo(owner);
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
      const res = await send(viewer.accessToken, video, json);
      expect(res.status, JSON.stringify(json).slice(0, 60)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    // Limits count characters (code points), and the body is trimmed.
    const long = await post(viewer.accessToken, video, `  ${"😀".repeat(2000)}  `);
    expect(long.body).toBe("😀".repeat(2000));
    // Multi-line text is fine.
    expect((await post(viewer.accessToken, video, "line one\nline two")).body).toBe("line one\nline two");

    expect((await send(undefined, video, { body: "hi" })).status).toBe(401);
    expect((await send(viewer.accessToken, "vid_doesnotexist", { body: "hi" })).status).toBe(404);
    const hidden = await readyVideo(owner, { visibility: "private" });
    expect((await send(viewer.accessToken, hidden, { body: "hi" })).status).toBe(404);
    expect((await api(commentsPath(hidden), { token: viewer.accessToken })).status).toBe(404);
    await post(owner.accessToken, hidden, "a note to self");
    expect((await list(hidden, owner.accessToken)).items).toHaveLength(1);
  });
});
