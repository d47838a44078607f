/**
 * A comment held by reports (moderation auto-hide, `heldReason` "reports") is the moderators' to
 * clear: the video's owner gets 409 "under review by moderators", a moderator who wrote it 403, and
 * another moderator approves it.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { seedCast } from "../../../test/harness";
import { comments } from "../../db/schema";
import { approve, commentRow, post, readyVideo } from "./test-utils";

describe("approving a comment held by reports", () => {
  it("the owner gets 409, its staff author 403, another moderator publishes it", async () => {
    const { owner, author, modAuthor, moderator } = await seedCast("cmrep", {
      owner: { channel: true },
      author: {},
      modAuthor: { roles: ["moderator"] },
      moderator: { roles: ["moderator"] },
    });
    // Held on arrival (the video holds comments), then re-marked as held by reports, as auto-hide would.
    const video = await readyVideo(owner, { mode: "hold" });
    const byViewer = await post(author.accessToken, video, "a reported comment");
    const byMod = await post(modAuthor.accessToken, video, "a moderator's reported comment");
    expect(byViewer.status).toBe("held");
    // Staff comments skip the video's hold; auto-hide holds them all the same (counts aside here).
    for (const c of [byViewer, byMod]) {
      await testDb()
        .update(comments)
        .set({ status: "held", heldReason: "reports" })
        .where(eq(comments.id, c.id));
    }

    const refused = await approve(byViewer.id, owner.accessToken);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: "conflict",
      detail: expect.stringContaining("under review by moderators"),
    });
    expect(await commentRow(byViewer.id)).toMatchObject({ status: "held", heldReason: "reports" });
    expect((await approve(byMod.id, modAuthor.accessToken)).status).toBe(403);
    expect(await commentRow(byMod.id)).toMatchObject({ status: "held" });

    expect((await approve(byViewer.id, moderator.accessToken)).status).toBe(200);
    expect((await approve(byMod.id, moderator.accessToken)).status).toBe(200);
    expect(await commentRow(byViewer.id)).toMatchObject({ status: "published", heldReason: null });
    expect(await commentRow(byMod.id)).toMatchObject({ status: "published", heldReason: null });
    // An ordinary hold is still the owner's to clear.
    const plain = await post(author.accessToken, video, "held by the video's mode");
    expect((await approve(plain.id, owner.accessToken)).status).toBe(200);
  });
});
