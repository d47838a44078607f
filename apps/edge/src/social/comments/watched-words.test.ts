import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount } from "../../../test/harness";
import { list, post, putChannelWords, readyVideo, token, uniqueWord } from "./test-utils";

const words = (path: string, t: string) => apiJson<{ words: string[] }>(path, 200, { token: t });
const replace = (path: string, t: string, json: { words: string[] }) =>
  apiJson<{ words: string[] }>(path, 200, { method: "PUT", token: t, json });

describe("watched words", () => {
  it("global watched words (admin only) hold comments on every channel's videos", async () => {
    const admin = await seedAccount({ tag: "mdglobal", roles: ["admin"] });
    const owner = await seedAccount({ tag: "mdglobalo", channel: true });
    const author = await seedAccount({ tag: "mdglobala" });
    const word = uniqueWord("global");
    const path = "/api/v1/admin/watched-words";

    expect((await api(path, { token: owner.accessToken })).status).toBe(403);
    expect(
      (await api(path, { method: "PUT", token: owner.accessToken, json: { words: [word] } })).status,
    ).toBe(403);
    expect((await api(path)).status).toBe(401);

    const before = await words(path, admin.accessToken);
    const after = await replace(path, admin.accessToken, { words: [...before.words, word] });
    expect(after.words).toContain(word);
    try {
      const video = await readyVideo(owner);
      const held = await post(author.accessToken, video, `A ${word} here`);
      expect(held.status).toBe("held");
      const ownerView = (await list(video, owner.accessToken)).items.find((c) => c.id === held.id);
      expect(ownerView?.heldReason).toBe(`watched_word:${word}`);
    } finally {
      const now = await words(path, admin.accessToken);
      await replace(path, admin.accessToken, { words: now.words.filter((w) => w !== word) });
    }
  });

  it("watched-word lists belong to the channel's owner and admins; words are normalised and deduplicated", async () => {
    const owner = await seedAccount({ tag: "mdlist", channel: true, profiles: [{ maturity: "kids" }] });
    const other = await seedAccount({ tag: "mdlisto", channel: true });
    const admin = await seedAccount({ tag: "mdlistad", roles: ["admin"] });
    const channel = owner.channelId ?? "";
    const path = `/api/v1/channels/${channel}/watched-words`;

    const set = await replace(path, owner.accessToken, {
      words: ["Ｓｐｏｉｌｅｒ", "spoiler", "  Big   Reveal ", "ÉCLAIR"],
    });
    expect(set.words).toEqual(["big reveal", "spoiler", "éclair"]);
    expect(await words(path, owner.accessToken)).toEqual(set);
    expect(await words(path, admin.accessToken)).toEqual(set);
    for (const [who, t, status] of [
      ["another account", other.accessToken, 403],
      ["the owner's kids profile", token(owner, 1), 403],
      ["anonymous", undefined, 401],
    ] as const) {
      expect((await api(path, { token: t })).status, `GET ${who}`).toBe(status);
      expect((await putChannelWords(channel, t, ["mine"])).status, `PUT ${who}`).toBe(status);
    }
    expect((await words(path, owner.accessToken)).words).toEqual(set.words);

    for (const bad of [["!!!"], ["x".repeat(51)], ["nul\u0000"], [""], "spoiler", Array(501).fill("w")]) {
      const res = await putChannelWords(channel, owner.accessToken, bad);
      expect(res.status, JSON.stringify(bad).slice(0, 40)).toBe(400);
    }
    const many = Array.from({ length: 500 }, (_, i) => `word${String(i).padStart(3, "0")}`);
    expect((await replace(path, admin.accessToken, { words: many })).words).toEqual(many);
    expect((await putChannelWords(channel, owner.accessToken, [])).status).toBe(200);
    expect((await words(path, owner.accessToken)).words).toEqual([]);
    expect((await putChannelWords("chn_nosuchchannel", admin.accessToken, ["x1"])).status).toBe(404);
  });
});
