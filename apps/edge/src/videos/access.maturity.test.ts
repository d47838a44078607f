import { describe, expect, it } from "vitest";
import { api, seedAccount, seedFamily } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";

const reads = (id: string) => [
  `/api/v1/videos/${id}`,
  `/api/v1/videos/${id}/playback`,
  `/api/v1/videos/${id}/comments`,
];

async function statuses(id: string, token?: string) {
  return Promise.all(reads(id).map(async (path) => (await api(path, { token })).status));
}

describe("maturity on direct fetches", () => {
  it("a kids profile gets 404 for teen and adult videos (metadata, playback, comments) and 200 for kids ones", async () => {
    const owner = await seedAccount({ tag: "mfowner", channel: true });
    const { adult: adultToken, kids: kidsToken, teen: teenToken } = await seedFamily("mffamily");
    const kids = await storedVideo(owner, { maturity: "kids" });
    const teen = await storedVideo(owner, { maturity: "teen" });
    const adult = await storedVideo(owner, { maturity: "adult" });

    expect(await statuses(kids, kidsToken)).toEqual([200, 200, 200]);
    expect(await statuses(teen, kidsToken)).toEqual([404, 404, 404]);
    expect(await statuses(adult, kidsToken)).toEqual([404, 404, 404]);

    expect(await statuses(kids, teenToken)).toEqual([200, 200, 200]);
    expect(await statuses(teen, teenToken)).toEqual([200, 200, 200]);
    expect(await statuses(adult, teenToken)).toEqual([404, 404, 404]);

    expect(await statuses(adult, adultToken)).toEqual([200, 200, 200]);
    expect(await statuses(adult)).toEqual([200, 200, 200]);
  });

  it("the 404 does not reveal that the video exists: it reads like a missing one", async () => {
    const owner = await seedAccount({ tag: "mfsame", channel: true });
    const family = await seedAccount({ tag: "mfsamefam", profiles: [{ maturity: "kids" }] });
    const adult = await storedVideo(owner, { maturity: "adult" });
    const hidden = await api(`/api/v1/videos/${adult}`, { token: family.profiles[1]?.token });
    const missing = await api("/api/v1/videos/vid_doesnotexist", { token: family.profiles[1]?.token });
    const strip = (doc: Record<string, unknown>) => ({ ...doc, requestId: undefined, instance: undefined });
    expect(strip(await hidden.json())).toEqual(strip(await missing.json()));
  });

  it("the owner's own kids profile gets 404 for the owner's adult video, even one still processing", async () => {
    const owner = await seedAccount({ tag: "mfownkids", channel: true, profiles: [{ maturity: "kids" }] });
    const kidsToken = owner.profiles[1]?.token;
    const ready = await storedVideo(owner, { maturity: "adult" });
    const unfinished = await storedVideo(owner, { maturity: "teen", status: "processing", playable: true });
    expect(await statuses(ready, kidsToken)).toEqual([404, 404, 404]);
    expect(await statuses(unfinished, kidsToken)).toEqual([404, 404, 404]);
    // The grown-up profile of the same account still sees both.
    expect(await statuses(ready, owner.accessToken)).toEqual([200, 200, 200]);
    expect((await api(`/api/v1/videos/${unfinished}`, { token: owner.accessToken })).status).toBe(200);
  });

  it("raising a video's rating hides it from a kids profile at once", async () => {
    const owner = await seedAccount({ tag: "mfraise", channel: true });
    const family = await seedAccount({ tag: "mfraisefam", profiles: [{ maturity: "kids" }] });
    const kidsToken = family.profiles[1]?.token;
    const id = await storedVideo(owner, { maturity: "kids" });
    expect((await api(`/api/v1/videos/${id}`, { token: kidsToken })).status).toBe(200);
    const patched = await api(`/api/v1/videos/${id}`, {
      method: "PATCH",
      token: owner.accessToken,
      json: { maturity: "teen" },
    });
    expect(patched.status).toBe(200);
    expect(await statuses(id, kidsToken)).toEqual([404, 404, 404]);
  });
});
