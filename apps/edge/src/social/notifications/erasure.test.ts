/**
 * profile.deleted: one profile's inbox (and preferences) go, its account's other profiles keep
 * theirs. (account.deleted, every inbox of the account, is in fanout.test.ts.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiJson, eventually, type SeededProfile, seedAccount } from "../../../test/harness";
import { notificationsEventHandlers } from "./events";
import { notificationId } from "./ids";
import { connectLive, inbox } from "./test-utils";
import type { NotificationInput } from "./types";

const item = async (source: string, recipient: string): Promise<NotificationInput> => ({
  id: await notificationId(source, recipient),
  type: "video.published",
  // Names no video: the inbox then reads nothing from D1 for it (a named video must exist there,
  // at a rating the reader may see: maturity.test.ts).
  data: { title: `Video ${source}` },
  createdAt: Date.now(),
  maturity: "adult",
});

describe("profile.deleted", () => {
  it("erases the deleted profile's inbox and preferences, closes its socket; the other profiles keep theirs", async () => {
    const family = await seedAccount({ tag: "ntfprof", profiles: [{ name: "Leaving" }] });
    const [keeps, goes] = family.profiles as [SeededProfile, SeededProfile];
    for (const p of family.profiles) await inbox(p.id).deliver([await item(`evt_pd_${p.id}`, p.id)]);
    await apiJson("/api/v1/me/notification-preferences", 200, {
      method: "PUT",
      token: goes.token,
      json: { mention: false },
    });
    const live = await connectLive(goes.token);
    const closed = new Promise<number>((resolve) =>
      live.ws.addEventListener("close", (e) => resolve(e.code)),
    );

    await apiJson(`/api/v1/me/profiles/${goes.id}`, 204, { method: "DELETE", token: family.accessToken });
    await eventually(async () => (await inbox(goes.id).unreadCount("adult")) === 0, 10_000);
    // 4401 when the session-end call (accounts service) closes it first, 4410 when the erasure does.
    expect([4401, 4410]).toContain(await closed);
    expect(await inbox(keeps.id).unreadCount("adult")).toBe(1);

    // Erased stays erased: a late delivery or a redelivered event changes nothing.
    expect(await inbox(goes.id).deliver([await item("evt_pd_late", goes.id)])).toEqual({ delivered: 0 });
    const handle = notificationsEventHandlers["profile.deleted"]?.[0];
    await handle?.(
      {
        id: `evt_pd_again_${goes.id}`,
        type: "profile.deleted",
        occurredAt: new Date().toISOString(),
        payload: { accountId: family.accountId, profileId: goes.id },
      },
      env,
    );
    expect(await inbox(goes.id).list(null, 10, "adult")).toEqual({ items: [], nextCursor: null, unread: 0 });
    expect(await inbox(keeps.id).unreadCount("adult")).toBe(1);
    const prefs = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM notification_preferences WHERE profile_id = ?",
    )
      .bind(goes.id)
      .first<{ n: number }>();
    expect(prefs?.n).toBe(0);
  });
});
