/** Playback issuance holds one of the plan's concurrent streams (the plan from entitlements). */
import { describe, expect, it } from "vitest";
import { insertBillingSubscription } from "../../test/fixtures";
import { api, apiJson, randomIp, seedAccount, storeReadyVideo } from "../../test/harness";

const signIn = async (email: string, password: string) =>
  (
    await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email, password },
      ip: randomIp(),
    })
  ).accessToken;
const playback = (videoId: string, token: string, query = "") =>
  api(`/api/v1/videos/${videoId}/playback${query}`, {
    token,
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0" },
  });

describe("playback and the plan's streams", () => {
  it("a standard plan plays on two sessions; the third is 409 too_many_streams listing the two", async () => {
    const owner = await seedAccount({ tag: "psowner", channel: true });
    const videoId = await storeReadyVideo(owner);
    const viewer = await seedAccount({ tag: "psviewer" });
    await insertBillingSubscription(viewer.accountId, { planId: "standard" });
    const tokens = [
      viewer.accessToken,
      await signIn(viewer.email, viewer.password),
      await signIn(viewer.email, viewer.password),
    ];
    const first = (await (await playback(videoId, tokens[0] as string)).json()) as { streamId: string };
    const second = (await (await playback(videoId, tokens[1] as string)).json()) as { streamId: string };
    expect(first.streamId).not.toBe(second.streamId);
    const third = await playback(videoId, tokens[2] as string);
    expect(third.status).toBe(409);
    const problem = (await third.json()) as {
      code: string;
      activeStreams: { streamId: string; device: string }[];
    };
    expect(problem.code).toBe("too_many_streams");
    expect(problem.activeStreams.map((s) => s.streamId).sort()).toEqual(
      [first.streamId, second.streamId].sort(),
    );
    expect(problem.activeStreams[0]?.device).toBe("Chrome on Linux");
    // Re-issuing for an existing stream (its own session, its streamId) takes no extra slot.
    const again = (await (
      await playback(videoId, tokens[0] as string, `?streamId=${first.streamId}`)
    ).json()) as {
      streamId: string;
    };
    expect(again.streamId).toBe(first.streamId);
    // One stops: the third session starts at once.
    expect(
      (await api(`/api/v1/playback/streams/${second.streamId}`, { method: "DELETE", token: tokens[1] }))
        .status,
    ).toBe(204);
    expect((await playback(videoId, tokens[2] as string)).status).toBe(200);
  });

  it("a free account holds one stream; a refused premium video takes no slot", async () => {
    const owner = await seedAccount({ tag: "psfreeowner", channel: true });
    const [open, premium] = [
      await storeReadyVideo(owner),
      await storeReadyVideo(owner, { visibility: "premium" }),
    ];
    const viewer = await seedAccount({ tag: "psfree" });
    const other = await signIn(viewer.email, viewer.password);
    const refused = await playback(premium, viewer.accessToken);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "plan_required", requiredPlan: "premium" });
    expect((await playback(open, viewer.accessToken)).status).toBe(200);
    expect((await playback(open, other)).status).toBe(409);
    expect((await playback(open, "", "?streamId=not-a-stream-id")).status).toBe(400);
  });
});
