/**
 * The upload freeze of a strike (docs/moderation.md, "Strikes") covers an upload created before the
 * strike: resuming it (fresh part URLs) and completing it answer 403 uploads_frozen.
 */
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, completeUpload, createVideo, seedAccount, videoPath } from "../../test/harness";
import { strikes } from "../db/schema";

const DAY = 86_400_000;

async function freeze(channelId: string, accountId: string) {
  const now = Date.now();
  const freezeUntil = now + 7 * DAY;
  await testDb()
    .insert(strikes)
    .values({
      id: `strike_${crypto.randomUUID()}`,
      channelId,
      accountId,
      kind: "strike",
      ordinal: 1,
      reason: "spam_or_misleading",
      decidedBy: "test",
      issuedAt: now,
      expiresAt: now + 90 * DAY,
      freezeUntil,
    });
  return new Date(freezeUntil).toISOString();
}

describe("upload freeze on an upload started before the strike", () => {
  it("GET …/upload and POST …/upload-complete answer 403 uploads_frozen", async () => {
    const owner = await seedAccount({ tag: "frzres", channel: true });
    const { video } = await createVideo(owner, { size: 1024 });
    // Before the strike, resuming works.
    expect((await api(videoPath(video.id, "/upload"), { token: owner.accessToken })).status).toBe(200);

    const frozenUntil = await freeze(owner.channelId as string, owner.accountId);
    const status = await api(videoPath(video.id, "/upload"), { token: owner.accessToken });
    expect(status.status).toBe(403);
    expect(await status.json()).toMatchObject({ code: "uploads_frozen", frozenUntil });
    const done = await completeUpload(owner, video.id);
    expect(done.status).toBe(403);
    expect(await done.json()).toMatchObject({ code: "uploads_frozen", frozenUntil });
  });
});
