/**
 * A channel held pending review or suspended is 404 to everyone but its owner and staff: reading its
 * subscriber count and subscribing answer 404 as its page does; an existing subscriber can still
 * unsubscribe (the row and the count go).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { api, seedAccount } from "../../../test/harness";
import { channels } from "../../db/schema";
import { syncChannelHidden } from "../../moderation/channel-hidden";
import { counts, del, put, sub, subscribe } from "./test-utils";

describe("subscriptions to a hidden channel", () => {
  it("GET and PUT answer 404; DELETE still unsubscribes; staff still read it", async () => {
    const owner = await seedAccount({ tag: "subhid", channel: true });
    const fan = await seedAccount({ tag: "subhidfan" });
    const late = await seedAccount({ tag: "subhidlate" });
    const mod = await seedAccount({ tag: "subhidmod", roles: ["moderator"] });
    const channelId = owner.channelId as string;
    await subscribe(fan.accessToken, channelId);

    for (const state of ["held", "suspended"] as const) {
      await testDb().update(channels).set({ moderationState: state }).where(eq(channels.id, channelId));
      await syncChannelHidden(testDb(), { channelId });
      const read = await api(sub(channelId), { token: fan.accessToken });
      expect(read.status).toBe(404);
      expect(await read.json()).toMatchObject({ code: "not_found" });
      expect((await put(late.accessToken, channelId)).status).toBe(404);
      expect((await put(fan.accessToken, channelId, "none")).status).toBe(404);
      expect((await api(sub(channelId), { token: mod.accessToken })).status).toBe(200);
    }
    expect(await counts(channelId)).toEqual({ counted: 1, rows: 1 });
    expect((await del(fan.accessToken, channelId)).status).toBe(204);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });
});
