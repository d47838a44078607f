/**
 * Watch history and its entries (what "continue watching" resumes) never show a video held or
 * removed by moderation, or one whose channel is hidden, to anyone but its own account.
 */
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { videos } from "../db/schema";
import { entry, history, sendBeacons, watchSession } from "./test-utils";

describe("history of moderated videos", () => {
  it("drops held, removed and channel-hidden videos for viewers, not for the owner", async () => {
    const creator = await seedAccount({ tag: "histmod", channel: true });
    const viewer = await seedAccount({ tag: "histmodv" });
    const [ok, held, removed, hidden] = await Promise.all(
      Array.from({ length: 4 }, () => storedVideo(creator)),
    );
    const all = [ok, held, removed, hidden] as string[];
    for (const who of [viewer, creator]) {
      await sendBeacons(
        who.accessToken,
        all.flatMap((id) => watchSession(id, 30_000)),
      );
    }
    const db = testDb();
    await db
      .update(videos)
      .set({ moderationState: "held" })
      .where(eq(videos.id, held as string));
    await db
      .update(videos)
      .set({ moderationState: "removed" })
      .where(eq(videos.id, removed as string));
    await db
      .update(videos)
      .set({ channelHidden: true })
      .where(eq(videos.id, hidden as string));

    const seen = (await history(viewer.accessToken)).items.map((e) => e.video.id);
    expect(seen).toEqual([ok]);
    for (const id of [held, removed, hidden] as string[]) {
      expect((await entry(viewer.accessToken, id)).status).toBe(404);
    }
    expect((await entry(viewer.accessToken, ok as string)).status).toBe(200);

    // The owner still finds their own videos in their history.
    const own = (await history(creator.accessToken)).items.map((e) => e.video.id);
    expect(own.sort()).toEqual([...all].sort());
    expect((await entry(creator.accessToken, held as string)).status).toBe(200);
    await db.update(videos).set({ moderationState: "visible" }).where(inArray(videos.id, all));
  });
});
