// An ad creative (videos.kind `ad`) through the videos routes: it stays private, and keeps its
// reviewed title and description, whoever edits it.
// (Made here straight in D1, as the campaigns' creative route makes it: private, in the advertiser's
// channel. The studio list's exclusion: studio-ads.test.ts.)
import { describe, expect, it } from "vitest";
import { insertVideo } from "../../test/fixtures";
import { api, apiJson, seedAccount, videoRow } from "../../test/harness";

const path = (id: string) => `/api/v1/videos/${id}`;

describe("an ad creative's visibility", () => {
  it("never leaves private: the advertiser and an admin are refused public, unlisted and premium (409)", async () => {
    const advertiser = await seedAccount({ tag: "advis", roles: ["advertiser"], channel: true });
    const admin = await seedAccount({ tag: "advisadmin", roles: ["admin"] });
    const ad = await insertVideo(advertiser, { kind: "ad", visibility: "private" });
    for (const token of [advertiser.accessToken, admin.accessToken]) {
      for (const visibility of ["public", "unlisted", "premium"]) {
        const res = await api(path(ad), {
          method: "PATCH",
          token,
          json: { visibility, title: "Now public" },
        });
        expect(res.status, `${visibility}`).toBe(409);
        expect(((await res.json()) as { detail: string }).detail).toContain("stays private");
      }
    }
    // Nothing of a refused edit was written.
    expect(await videoRow(ad)).toMatchObject({ visibility: "private", kind: "ad" });
    expect((await videoRow(ad))?.title).not.toBe("Now public");
    // Other edits, and "private" itself, go through.
    await apiJson(path(ad), 200, {
      method: "PATCH",
      token: advertiser.accessToken,
      json: { tags: ["spring"], visibility: "private" },
    });
    expect(await videoRow(ad)).toMatchObject({ tags: ["spring"], visibility: "private" });
  });

  it("keeps the reviewed title and description: the advertiser and an admin are refused changing them (409)", async () => {
    const advertiser = await seedAccount({ tag: "adtitle", roles: ["advertiser"], channel: true });
    const admin = await seedAccount({ tag: "adtitleadmin", roles: ["admin"] });
    const ad = await insertVideo(advertiser, { kind: "ad", visibility: "private", title: "Reviewed title" });
    const before = await videoRow(ad);
    for (const token of [advertiser.accessToken, admin.accessToken]) {
      for (const json of [{ title: "Click here, free money" }, { description: "Unreviewed words" }]) {
        const res = await api(path(ad), { method: "PATCH", token, json });
        expect(res.status, JSON.stringify(json)).toBe(409);
        expect(((await res.json()) as { detail: string }).detail).toContain("new creative");
      }
    }
    expect(await videoRow(ad)).toMatchObject({ title: "Reviewed title", description: before?.description });
    // Sending the current title back unchanged (a whole-form save) is no change.
    await apiJson(path(ad), 200, {
      method: "PATCH",
      token: advertiser.accessToken,
      json: { title: "Reviewed title", tags: ["x"] },
    });
  });

  it("leaves content videos' visibility, title and description to their owners as before", async () => {
    const creator = await seedAccount({ tag: "advisctl", channel: true });
    const video = await insertVideo(creator, { visibility: "private" });
    const res = await apiJson<{ visibility: string; title: string }>(path(video), 200, {
      method: "PATCH",
      token: creator.accessToken,
      json: { visibility: "public", title: "Renamed", description: "New words" },
    });
    expect(res).toMatchObject({ visibility: "public", title: "Renamed" });
  });
});
