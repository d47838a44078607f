import { describe, expect, it } from "vitest";
import { insertBillingSubscription } from "../../../test/fixtures";
import { api, apiJson, randomIp, seedCastBeforeAll, storeReadyVideo } from "../../../test/harness";

/** Through the real playback route: what the player sees of the stream limit. */
const cast = seedCastBeforeAll("strplay", {
  viewer: { profiles: [{ name: "Second" }] },
  creator: { channel: true },
});

interface Playback {
  streamId: string | null;
  heartbeatSeconds: number | null;
}

const UA = {
  chrome:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
};

/** Another sign-in of the account (another device): a session of its own, optionally on another profile. */
async function signIn(account: { email: string; password: string }, profileId?: string): Promise<string> {
  const { accessToken } = await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: account.email, password: account.password },
    ip: randomIp(),
  });
  if (!profileId) return accessToken;
  const switched = await apiJson<{ accessToken: string }>(`/api/v1/me/profiles/${profileId}/switch`, 200, {
    method: "POST",
    token: accessToken,
  });
  return switched.accessToken;
}

describe("playback and the stream limit", () => {
  it("a standard (2-stream) account: the third playback is refused with both active streams; ending one lets a new one start", async () => {
    const { viewer, creator } = cast;
    await insertBillingSubscription(viewer.accountId, { planId: "standard" });
    const videoId = await storeReadyVideo(creator);
    const play = (token: string | undefined, ua: string, query = "") =>
      api(`/api/v1/videos/${videoId}/playback${query}`, { token, headers: { "user-agent": ua } });

    const laptop = viewer.accessToken;
    const phone = await signIn(viewer, viewer.profiles[1]?.id);
    const tv = await signIn(viewer);
    const first = (await (await play(laptop, UA.chrome)).json()) as Playback;
    const second = (await (await play(phone, UA.iphone)).json()) as Playback;
    expect(first).toMatchObject({ streamId: expect.stringMatching(/^stream_/), heartbeatSeconds: 30 });
    expect(second.streamId).not.toBe(first.streamId);

    const refused = await play(tv, UA.chrome);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await refused.json()) as { code: string; detail: string; activeStreams: unknown[] };
    expect(problem.code).toBe("too_many_streams");
    expect(problem.detail).toContain("2 streams");
    expect(problem.activeStreams).toEqual([
      expect.objectContaining({
        streamId: first.streamId,
        profileId: viewer.profileId,
        device: "Chrome on Linux",
      }),
      expect.objectContaining({
        streamId: second.streamId,
        profileId: viewer.profiles[1]?.id,
        device: "Safari on iPhone",
      }),
    ]);

    // A re-issue (token refresh, seek) of the player's own stream takes no new slot; nor does the
    // same sign-in asking again without it (a second tab, the next video).
    const again = (await (await play(laptop, UA.chrome, `?streamId=${first.streamId}`)).json()) as Playback;
    expect(again.streamId).toBe(first.streamId);
    const secondTab = (await (await play(laptop, UA.chrome)).json()) as Playback;
    expect(secondTab.streamId).toBe(first.streamId);
    // Another device naming the laptop's id (listed in the refusal) does not get to share it.
    expect((await play(tv, UA.chrome, `?streamId=${first.streamId}`)).status).toBe(409);

    const beat = await api(`/api/v1/playback/streams/${second.streamId}/heartbeat`, {
      method: "POST",
      token: phone,
    });
    expect(beat.status).toBe(204);
    const ended = await api(`/api/v1/playback/streams/${second.streamId}`, {
      method: "DELETE",
      token: viewer.accessToken,
    });
    expect(ended.status).toBe(204);
    const third = (await (await play(tv, UA.chrome)).json()) as Playback;
    expect(third.streamId).toMatch(/^stream_/);
    expect(third.streamId).not.toBe(second.streamId);
    const { items } = await apiJson<{ items: { streamId: string }[] }>("/api/v1/me/streams", 200, {
      token: viewer.accessToken,
    });
    expect(items.map((s) => s.streamId)).toEqual([first.streamId, third.streamId]);
  });

  it("signed-out viewers of a public video hold no stream", async () => {
    const videoId = await storeReadyVideo(cast.creator);
    for (let i = 0; i < 3; i++) {
      const body = await apiJson<Playback>(`/api/v1/videos/${videoId}/playback`, 200);
      expect(body).toMatchObject({ streamId: null, heartbeatSeconds: null });
    }
  });
});
