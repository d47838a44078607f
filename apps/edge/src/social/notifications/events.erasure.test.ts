/**
 * Erasure (events.ts): account.deleted erases every inbox of the account, profile.deleted one
 * profile's inbox and preferences; the account's other profiles keep theirs.
 */
import { env } from "cloudflare:test";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../../test/fixtures";
import { apiJson, eventually, type SeededProfile, seedAccount } from "../../../test/harness";
import { notificationPreferences } from "../../db/schema";
import { subscribe } from "../subscriptions/test-utils";
import { notificationsEventHandlers } from "./events";
import { connectLive, inbox, notificationFor, publishVideo, unreadOf } from "./test-utils";

/** How many preference rows the profile has. */
const preferencesOf = async (profileId: string) =>
  (
    await testDb()
      .select({ n: count() })
      .from(notificationPreferences)
      .where(eq(notificationPreferences.profileId, profileId))
  )[0]?.n;

describe("account.deleted", () => {
  it("erases every inbox of the account; late deliveries do not bring it back", async () => {
    const creator = await seedAccount({ tag: "delcreator", channel: true });
    const leaving = await seedAccount({ tag: "delfan", profiles: [{ name: "Two" }] });
    for (const p of leaving.profiles) await subscribe(p.token, creator.channelId as string);
    const live = await connectLive(leaving.accessToken);
    const event = await publishVideo(creator, await insertVideo(creator));
    for (const p of leaving.profiles) expect(await unreadOf(p.id)).toBe(1);

    const closed = new Promise<number>((resolve) =>
      live.ws.addEventListener("close", (e) => resolve(e.code)),
    );
    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    await eventually(
      async () =>
        (await unreadOf(leaving.profileId)) === 0 &&
        (await unreadOf(leaving.profiles[1]?.id as string)) === 0,
    );
    // 4401 when the session-end call (accounts service) closes it first, 4410 when the erasure does.
    expect([4401, 4410]).toContain(await closed);
    // A batch still in flight for the deleted profiles is ignored.
    const late = notificationsEventHandlers["notification.batch"]?.[0];
    await late?.(
      {
        id: "evt_late",
        type: "notification.batch",
        occurredAt: new Date().toISOString(),
        payload: {
          notificationType: "video.published",
          sourceEventId: `${event.id}_late`,
          recipientProfileIds: leaving.profiles.map((p) => p.id),
          data: {},
        },
      },
      env,
    );
    for (const p of leaving.profiles) {
      expect(await inbox(p.id).list(null, 10, "adult")).toEqual({ items: [], nextSeq: null, unread: 0 });
    }
    expect(await preferencesOf(leaving.profileId)).toBe(0);
  });
});

describe("profile.deleted", () => {
  it("erases the deleted profile's inbox and preferences, closes its socket; the other profiles keep theirs", async () => {
    const family = await seedAccount({ tag: "ntfprof", profiles: [{ name: "Leaving" }] });
    const [keeps, goes] = family.profiles as [SeededProfile, SeededProfile];
    for (const p of family.profiles)
      await inbox(p.id).deliver([await notificationFor(`evt_pd_${p.id}`, p.id)]);
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
    expect(await inbox(goes.id).deliver([await notificationFor("evt_pd_late", goes.id)])).toEqual({
      delivered: 0,
    });
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
    expect(await inbox(goes.id).list(null, 10, "adult")).toEqual({ items: [], nextSeq: null, unread: 0 });
    expect(await inbox(keeps.id).unreadCount("adult")).toBe(1);
    expect(await preferencesOf(goes.id)).toBe(0);
  });
});
