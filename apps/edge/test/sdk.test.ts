// packages/sdk against the real edge in workerd: the client's fetch is SELF.fetch, so every call
// goes through the routes, validation and storage a deployed client would meet.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  createClient,
  type Fetch,
  MarqueeApiError,
  resumeUpload,
  type Tokens,
  uploadVideo,
} from "../../../packages/sdk/src";
import { BASE, MiB, randomIp, seedAccount, storedBytes, testBytes, videoRow } from "./harness";
import { sourceKey } from "./harness/videos";

/** SELF.fetch from one client address (the login throttle counts per address). */
function edgeFetch(): Fetch {
  const ip = randomIp();
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("cf-connecting-ip", ip);
    return SELF.fetch(String(input), { ...init, headers });
  };
}
const storageFetch: Fetch = (input, init) => SELF.fetch(String(input), init);

describe("the SDK", () => {
  it("signs in and calls operations by their operationId, typed from openapi.json", async () => {
    const owner = await seedAccount({ tag: "sdk", channel: true });
    const seen: Tokens[] = [];
    const client = createClient({ baseUrl: BASE, fetch: edgeFetch(), onTokens: (t) => seen.push(t) });
    const pair = await client.signIn(owner.email, owner.password);
    expect(pair.accountId).toBe(owner.accountId);
    expect(seen).toEqual([{ accessToken: pair.accessToken, refreshToken: pair.refreshToken }]);
    const me = await client.getMe();
    expect(me.id).toBe(owner.accountId);
    // The same call through the generic caller, and a path parameter filled in and escaped.
    expect((await client.call("getMe")).id).toBe(owner.accountId);
    expect(client.url("getVideosByVideoId", { videoId: "a/b" }).pathname).toBe("/api/v1/videos/a%2Fb");
  });

  it("turns a problem answer into MarqueeApiError with its code, status and field errors", async () => {
    const owner = await seedAccount({ tag: "sdkerr", channel: true });
    const client = createClient({
      baseUrl: BASE,
      fetch: edgeFetch(),
      tokens: { accessToken: owner.accessToken },
    });
    const missing = await client
      .getVideosByVideoId({ path: { videoId: "vid_nosuchvideo000000000000000" } })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(MarqueeApiError);
    expect(missing).toMatchObject({ status: 404, code: "not_found", requestId: expect.any(String) });
    const invalid = await client
      // @ts-expect-error a title must be a string: the types refuse it, the edge too
      .postVideos({ body: { title: 42, upload: { size: 10, contentType: "video/mp4" } } })
      .catch((e) => e);
    expect(invalid).toMatchObject({ status: 400, code: "validation_failed" });
    expect((invalid as MarqueeApiError).errors?.map((e) => e.path)).toContain("json.title");
  });

  it("refreshes an expired access token once for concurrent calls, retries them, and reports the new pair", async () => {
    const owner = await seedAccount({ tag: "sdkrefresh" });
    const seen: Tokens[] = [];
    const client = createClient({
      baseUrl: BASE,
      fetch: edgeFetch(),
      tokens: { accessToken: "not-a-valid-token", refreshToken: owner.refreshToken },
      onTokens: (t) => seen.push(t),
    });
    const answers = await Promise.all([client.getMe(), client.getMe(), client.getMe()]);
    expect(answers.map((me) => me.id)).toEqual([owner.accountId, owner.accountId, owner.accountId]);
    expect(seen).toHaveLength(1); // one refresh: refresh tokens rotate, a second would spend the new one
    expect(seen[0]?.refreshToken).not.toBe(owner.refreshToken);
    expect(client.tokens).toEqual(seen[0]);
  });

  it("leaves the 401 standing when the refresh token is refused, and never replays that token", async () => {
    const inner = edgeFetch();
    const refreshes: string[] = [];
    const client = createClient({
      baseUrl: BASE,
      fetch: (input, init) => {
        if (String(input).endsWith("/auth/refresh")) refreshes.push(String(init?.body));
        return inner(input, init);
      },
      tokens: { accessToken: "not-a-valid-token", refreshToken: "not-a-valid-refresh-token-000000000000" },
    });
    await expect(client.getMe()).rejects.toMatchObject({ status: 401 });
    expect(client.tokens).toEqual({ accessToken: "not-a-valid-token" });
    await expect(client.getMe()).rejects.toMatchObject({ status: 401 });
    expect(refreshes).toHaveLength(1);
  });

  it("never resends a request as another account that signed in while it waited", async () => {
    const first = await seedAccount({ tag: "sdkfirst" });
    const second = await seedAccount({ tag: "sdksecond" });
    const inner = edgeFetch();
    let refreshes = 0;
    let switched = false;
    const client = createClient({
      baseUrl: BASE,
      fetch: async (input, init) => {
        if (String(input).endsWith("/auth/refresh")) refreshes++;
        const res = await inner(input, init);
        // The first caller's 401 arrives after someone else signed in on the same client.
        if (res.status === 401 && !switched) {
          switched = true;
          await client.signIn(second.email, second.password);
        }
        return res;
      },
      tokens: { accessToken: "not-a-valid-token", refreshToken: first.refreshToken },
    });
    await expect(client.getMe()).rejects.toMatchObject({ status: 401 });
    expect(refreshes).toBe(0);
    expect((await client.getMe()).id).toBe(second.accountId);
  });

  it("refuses path parameters that would name another path", () => {
    const client = createClient({ baseUrl: BASE });
    for (const profileId of ["", ".", ".."])
      expect(() => client.url("deleteMeProfilesByProfileId", { profileId })).toThrow(TypeError);
  });

  it("uploads a small file with one PUT and completes it", async () => {
    const owner = await seedAccount({ tag: "sdkup", channel: true });
    const client = createClient({
      baseUrl: BASE,
      fetch: edgeFetch(),
      tokens: { accessToken: owner.accessToken },
    });
    const bytes = testBytes(4096, 7);
    const progress: number[] = [];
    let created = "";
    const videoId = await uploadVideo(
      client,
      new Blob([bytes], { type: "video/mp4" }),
      { title: "From the SDK" },
      {
        storageFetch,
        onCreated: (id) => {
          created = id;
        },
        onProgress: (p) => progress.push(p.bytesDone),
      },
    );
    expect(created).toBe(videoId);
    expect(progress).toEqual([0, 4096]);
    expect(await storedBytes(sourceKey(videoId))).toEqual(bytes);
    expect((await videoRow(videoId))?.status).not.toBe("awaiting_upload");
  });

  it("resumes a multipart upload, sending only the parts storage lacks", async () => {
    const owner = await seedAccount({ tag: "sdkresume", channel: true });
    const client = createClient({
      baseUrl: BASE,
      fetch: edgeFetch(),
      tokens: { accessToken: owner.accessToken },
    });
    const size = 2 * 5 * MiB + 1024;
    const bytes = testBytes(size, 9);
    const { video, upload } = await client.postVideos({
      body: { title: "Resumed", upload: { size, partSize: 5 * MiB, contentType: "video/mp4" } },
    });
    if (upload.kind !== "multipart") throw new Error("expected multipart");
    const [first] = upload.parts;
    if (!first) throw new Error("no part 1");
    expect(
      (await storageFetch(first.url, { method: "PUT", body: bytes.subarray(0, first.size) })).status,
    ).toBe(200);

    const sent: number[] = [];
    await resumeUpload(client, video.id, new Blob([bytes]), {
      storageFetch: (input, init) => {
        sent.push((init?.body as Blob | undefined)?.size ?? 0);
        return storageFetch(input, init);
      },
    });
    expect(sent.sort((a, b) => a - b)).toEqual([1024, 5 * MiB]); // parts 3 and 2, not part 1 again
    expect(await storedBytes(sourceKey(video.id))).toEqual(bytes);
  });
});
