import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { type SeededAccount, type SeededProfile, seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents } from "../db/schema";
import { erasePlaybackEvents, historyEventHandlers } from "./events";
import { sendBeacons, storedBeacons, watchSession } from "./test-utils";

let creator: SeededAccount;

beforeAll(async () => {
  creator = await seedAccount({ tag: "histcreator", channel: true });
});

describe("profile and account deletion", () => {
  it("erases the profiles' raw beacons, idempotently, and leaves other profiles' alone", async () => {
    const family = await seedAccount({ tag: "histerase", profiles: [{ name: "Leaving" }] });
    const [stay, leave] = family.profiles as [SeededProfile, SeededProfile];
    const videoId = await storedVideo(creator);
    await sendBeacons(stay.token, watchSession(videoId, 30_000));
    await sendBeacons(leave.token, watchSession(videoId, 60_000));
    const handler = historyEventHandlers["profile.deleted"]?.[0];
    const event = {
      id: `evt_${leave.id}`,
      type: "profile.deleted" as const,
      occurredAt: new Date().toISOString(),
      payload: { accountId: family.accountId, profileId: leave.id },
    };
    await handler?.(event, env);
    await handler?.(event, env);
    expect(await storedBeacons(leave.id)).toBe(0);
    expect(await storedBeacons(stay.id)).toBe(2);

    const accountHandler = historyEventHandlers["account.deleted"]?.[0];
    await accountHandler?.(
      {
        id: `evt_${family.accountId}`,
        type: "account.deleted",
        occurredAt: new Date().toISOString(),
        payload: { accountId: family.accountId, profileIds: [stay.id, leave.id] },
      },
      env,
    );
    expect(await storedBeacons(stay.id)).toBe(0);
  });

  it("deletes in bounded batches: past the limit it fails the run for a redelivery, which finishes", async () => {
    const viewer = await seedAccount({ tag: "histbatch" });
    const videoId = await storedVideo(creator);
    const now = Date.now();
    await testDb()
      .insert(playbackEvents)
      .values(
        Array.from({ length: 5 }, (_, i) => ({
          profileId: viewer.profileId,
          beaconId: `bounded-${i}`,
          accountId: viewer.accountId,
          videoId,
          sessionId: "s",
          kind: "heartbeat" as const,
          positionMs: i,
          occurredAt: now,
        })),
      );
    const limits = { batchRows: 2, maxBatches: 2 };
    await expect(erasePlaybackEvents(env, [viewer.profileId], limits)).rejects.toThrow(/redelivery/);
    expect(await storedBeacons(viewer.profileId)).toBe(1);
    await erasePlaybackEvents(env, [viewer.profileId], limits);
    expect(await storedBeacons(viewer.profileId)).toBe(0);
  });
});
