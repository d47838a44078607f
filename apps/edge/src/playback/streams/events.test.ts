import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../../../test/harness";
import { streamsEventHandlers } from "./events";
import { play, streamsOf } from "./test-utils";

const run = async (type: "account.deleted" | "profile.deleted", payload: Record<string, unknown>) => {
  for (const handler of streamsEventHandlers[type] ?? []) {
    // Only the fields the handler reads: the envelope's id and time do not matter here.
    await handler({ type, payload } as never, env);
  }
};

describe("streams erasure", () => {
  it("a deleted profile's streams are dropped at once; the account's others keep their slots", async () => {
    const accountId = unique("acct");
    const streams = streamsOf(accountId);
    await streams.acquire(play(3, { profileId: "profile_gone" }));
    await streams.acquire(play(3, { profileId: "profile_gone" }));
    const kept = await streams.acquire(play(3, { profileId: "profile_kept" }));
    await run("profile.deleted", { accountId, profileId: "profile_gone" });
    await run("profile.deleted", { accountId, profileId: "profile_gone" });
    expect((await streams.list()).map((s) => s.streamId)).toEqual([kept.ok && kept.streamId]);
  });

  it("a deleted account's streams are all dropped", async () => {
    const accountId = unique("acct");
    const streams = streamsOf(accountId);
    await streams.acquire(play(3, { profileId: "profile_a" }));
    await streams.acquire(play(3, { profileId: null }));
    await run("account.deleted", { accountId, profileIds: ["profile_a"] });
    expect(await streams.list()).toEqual([]);
  });
});
