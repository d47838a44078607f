import { describe, expect, it } from "vitest";
import { api, apiJson, seedCastBeforeAll } from "../../../test/harness";
import { acquireStream } from "./service";
import { play, sleep, streamsOf, testServices } from "./test-utils";

const cast = seedCastBeforeAll("streams", {
  owner: { profiles: [{ name: "Second" }, { name: "Kid", maturity: "kids" }] },
  stranger: {},
  lapsing: {},
});

const heartbeat = (streamId: string, token?: string) =>
  api(`/api/v1/playback/streams/${streamId}/heartbeat`, { method: "POST", token });
const end = (streamId: string, token?: string) =>
  api(`/api/v1/playback/streams/${streamId}`, { method: "DELETE", token });
const start = (accountId: string, profileId: string | null, limit = 4) =>
  acquireStream(testServices(), {
    accountId,
    profileId,
    limit,
    device: "Chrome on Linux",
    videoId: "video_test",
  }).then((s) => s.streamId);

async function problemOf(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { code: string; detail?: string };
}

describe("stream routes", () => {
  it("a heartbeat keeps the caller's stream (204); once it ended the heartbeat is 404: ask again", async () => {
    const { owner } = cast;
    const id = await start(owner.accountId, owner.profileId);
    expect((await heartbeat(id, owner.accessToken)).status).toBe(204);
    expect((await end(id, owner.accessToken)).status).toBe(204);
    const problem = await problemOf(await heartbeat(id, owner.accessToken), 404);
    expect(problem).toMatchObject({
      code: "not_found",
      detail: "This stream has ended; ask for playback again",
    });
    await problemOf(await end(id, owner.accessToken), 404);
  });

  it("ending a stream frees its slot at once: a new one starts on a limit-1 account", async () => {
    const { owner } = cast;
    const account = owner.accountId;
    for (const s of await streamsOf(account).list()) await streamsOf(account).end(s.streamId);
    const first = await start(account, owner.profileId, 1);
    await expect(start(account, owner.profileId, 1)).rejects.toMatchObject({ code: "too_many_streams" });
    expect((await end(first, owner.accessToken)).status).toBe(204);
    expect(await start(account, owner.profileId, 1)).not.toBe(first);
  });

  it("GET /me/streams lists the account's live streams of every profile, from any profile", async () => {
    const { owner } = cast;
    const [second, kid] = [owner.profiles[1], owner.profiles[2]];
    const mine = await start(owner.accountId, owner.profileId);
    const theirs = await start(owner.accountId, second?.id ?? null);
    for (const token of [owner.accessToken, second?.token, kid?.token]) {
      const { items } = await apiJson<{ items: { streamId: string; profileId: string | null }[] }>(
        "/api/v1/me/streams",
        200,
        { token },
      );
      expect(items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ streamId: mine, profileId: owner.profileId, device: "Chrome on Linux" }),
          expect.objectContaining({ streamId: theirs, profileId: second?.id }),
        ]),
      );
    }
    await end(mine, owner.accessToken);
    await end(theirs, owner.accessToken);
  });

  it("after the lapse a new stream starts, and the lapsed one's heartbeat is 404", async () => {
    const { lapsing } = cast;
    const lapsed = await streamsOf(lapsing.accountId).acquire(play(1, { lapseSeconds: 1 }));
    if (!lapsed.ok) throw new Error("refused");
    await expect(start(lapsing.accountId, lapsing.profileId, 1)).rejects.toMatchObject({
      code: "too_many_streams",
    });
    await sleep(1200);
    const fresh = await start(lapsing.accountId, lapsing.profileId, 1);
    expect(fresh).not.toBe(lapsed.streamId);
    await problemOf(await heartbeat(lapsed.streamId, lapsing.accessToken), 404);
    expect((await heartbeat(fresh, lapsing.accessToken)).status).toBe(204);
  });

  it("another account's stream id is 404 on heartbeat and delete, and its stream is unaffected", async () => {
    const { owner, stranger } = cast;
    const id = await start(owner.accountId, owner.profileId);
    const [before] = (await streamsOf(owner.accountId).list()).filter((s) => s.streamId === id);
    await sleep(10);
    await problemOf(await heartbeat(id, stranger.accessToken), 404);
    await problemOf(await end(id, stranger.accessToken), 404);
    const [after] = (await streamsOf(owner.accountId).list()).filter((s) => s.streamId === id);
    // Still live, and the stranger's heartbeat did not refresh it.
    expect(after).toEqual(before);
    const listed = await apiJson<{ items: unknown[] }>("/api/v1/me/streams", 200, {
      token: stranger.accessToken,
    });
    expect(listed.items).toEqual([]);
    expect((await end(id, owner.accessToken)).status).toBe(204);
  });

  it("a kids profile ends its own streams but not another profile's", async () => {
    const { owner } = cast;
    const kid = owner.profiles[2];
    const parents = await start(owner.accountId, owner.profileId);
    const kids = await start(owner.accountId, kid?.id ?? null);
    await problemOf(await end(parents, kid?.token), 404);
    expect((await heartbeat(parents, owner.accessToken)).status).toBe(204);
    expect((await end(kids, kid?.token)).status).toBe(204);
    expect((await end(parents, owner.accessToken)).status).toBe(204);
  });

  it("needs a signed-in caller and a well-formed stream id", async () => {
    const { owner } = cast;
    const id = await start(owner.accountId, owner.profileId);
    await problemOf(await heartbeat(id), 401);
    await problemOf(await end(id), 401);
    await problemOf(await api("/api/v1/me/streams"), 401);
    expect((await problemOf(await heartbeat("not a stream", owner.accessToken), 400)).code).toBe(
      "validation_failed",
    );
    expect((await end(id, owner.accessToken)).status).toBe(204);
  });
});
