/**
 * A channel held pending review or suspended (or whose account is suspended) is 404 to everyone but
 * its owner and staff: its video list too, exactly like its page (docs/moderation.md, "Visibility").
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, seedAccount } from "../../test/harness";
import { accounts, channels } from "../db/schema";
import { syncChannelHidden } from "../moderation/channel-hidden";
import { storedVideo } from "./test-utils";

const listPath = (channel: string) => `/api/v1/channels/${encodeURIComponent(channel)}/videos`;

describe("the video list of a hidden channel", () => {
  it("is 404 like the channel page for a held or suspended channel and a suspended account", async () => {
    const owner = await seedAccount({ tag: "lsthid", channel: true });
    const viewer = await seedAccount({ tag: "lsthidv" });
    const mod = await seedAccount({ tag: "lsthidm", roles: ["moderator"] });
    const channelId = owner.channelId as string;
    await storedVideo(owner, {});
    const db = testDb();
    expect((await api(listPath(channelId))).status).toBe(200);

    const states = [
      () => db.update(channels).set({ moderationState: "held" }).where(eq(channels.id, channelId)),
      () => db.update(channels).set({ moderationState: "suspended" }).where(eq(channels.id, channelId)),
      async () => {
        await db.update(channels).set({ moderationState: "active" }).where(eq(channels.id, channelId));
        await db.update(accounts).set({ suspendedAt: Date.now() }).where(eq(accounts.id, owner.accountId));
      },
    ];
    for (const [i, hide] of states.entries()) {
      await hide();
      await syncChannelHidden(db, { channelId });
      for (const token of [undefined, viewer.accessToken]) {
        const page = await api(`/api/v1/channels/${channelId}`, { token });
        const list = await api(listPath(channelId), { token });
        expect(page.status).toBe(404);
        expect(list.status).toBe(404);
        expect(await list.json()).toMatchObject({ code: "not_found" });
      }
      // Its owner (while signed in) and staff still get the list (its videos are unlisted while hidden).
      if (i < 2) expect((await api(listPath(channelId), { token: owner.accessToken })).status).toBe(200);
      expect((await api(listPath(channelId), { token: mod.accessToken })).status).toBe(200);
    }
  });
});
