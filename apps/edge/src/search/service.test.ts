import { describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount, seedAccount, seedFamily } from "../../test/harness";
import { ids, makeCategory, storedVideo, uniqueWord, walk } from "../catalog/test-utils";

const searchPath = (q: string, extra = "") => `/api/v1/search?q=${encodeURIComponent(q)}${extra}`;
const suggestPath = (q: string) => `/api/v1/search/suggest?q=${encodeURIComponent(q)}`;
const found = async (q: string, extra = "", token?: string) =>
  ids(await walk(searchPath(q, extra), token, 50));

interface SuggestionsJson {
  items: { text: string; kind: "title" | "tag" | "channel" }[];
}

async function renameChannel(owner: SeededAccount, name: string) {
  await apiJson(`/api/v1/channels/${owner.channelId}`, 200, {
    method: "PATCH",
    token: owner.accessToken,
    json: { name },
  });
}

describe("search finds listed videos", () => {
  it("by a word of the title, by a tag, by the channel's name, and by a prefix of the last word", async () => {
    const owner = await seedAccount({ tag: "srfind", channel: true });
    const channelWord = uniqueWord("chan");
    await renameChannel(owner, `The ${channelWord} Studio`);
    const titleWord = uniqueWord("ti");
    const tagWord = uniqueWord("tg");
    const byTitle = await storedVideo(owner, { title: `Making ${titleWord} at home` });
    const byTag = await storedVideo(owner, { tags: [`${tagWord} recipes`] });
    const byDescription = await storedVideo(owner, { description: `all about ${titleWord}` });

    expect(await found(titleWord)).toEqual([byTitle, byDescription]);
    expect(await found(titleWord.toUpperCase())).toEqual([byTitle, byDescription]);
    expect(await found(`making ${titleWord}`)).toEqual([byTitle]);
    expect(await found(tagWord)).toEqual([byTag]);
    expect((await found(channelWord)).sort()).toEqual([byTitle, byTag, byDescription].sort());
    expect(await found(titleWord.slice(0, -3))).toEqual([byTitle, byDescription]);
    // Prefixes only for the last word: an unfinished earlier word matches nothing.
    expect(await found(`${titleWord.slice(0, -3)} making`)).toEqual([]);
  });

  it("follows edits: a new title is found, the old one no longer", async () => {
    const owner = await seedAccount({ tag: "sredit", channel: true });
    const before = uniqueWord("old");
    const after = uniqueWord("new");
    const id = await storedVideo(owner, { title: `Clip ${before}` });
    expect(await found(before)).toEqual([id]);
    await apiJson(`/api/v1/videos/${id}`, 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { title: after },
    });
    expect(await found(before)).toEqual([]);
    expect(await found(after)).toEqual([id]);
  });

  it("ranks a title match above a tag match above a channel-name match above a description match", async () => {
    const owner = await seedAccount({ tag: "srrank", channel: true });
    const other = await seedAccount({ tag: "srrankch", channel: true });
    const word = uniqueWord("rk");
    await renameChannel(other, `${word} channel`);
    const inDescription = await storedVideo(owner, { description: `something ${word} something` });
    const inChannel = await storedVideo(other, { title: "Plain" });
    const inTags = await storedVideo(owner, { tags: [word] });
    const inTitle = await storedVideo(owner, { title: `${word} explained` });
    expect(await found(word)).toEqual([inTitle, inTags, inChannel, inDescription]);
  });

  it("lifts the more popular of two equal text matches", async () => {
    const owner = await seedAccount({ tag: "srpop", channel: true });
    const word = uniqueWord("pp");
    const quiet = await storedVideo(owner, { title: `${word} tutorial`, likeCount: 0, viewCount: 3 });
    const popular = await storedVideo(owner, { title: `${word} tutorial`, likeCount: 50, viewCount: 5000 });
    const liked = await storedVideo(owner, { title: `${word} tutorial`, likeCount: 20, viewCount: 0 });
    expect(await found(word)).toEqual([popular, liked, quiet]);
  });
});

describe("search never shows what a caller may not see", () => {
  it("private, unlisted, deleted and not-yet-playable videos appear in neither search nor suggestions", async () => {
    const owner = await seedAccount({ tag: "srhidden", channel: true });
    const word = uniqueWord("hd");
    const channelWord = uniqueWord("hc");
    await renameChannel(owner, channelWord);
    const shown = await storedVideo(owner, { title: `${word} shown`, tags: [`${word} tag`] });
    for (const setup of [
      { visibility: "private" as const },
      { visibility: "unlisted" as const },
      { status: "deleted" as const },
      { status: "awaiting_upload" as const },
      { status: "processing" as const, playable: false },
      { status: "failed" as const },
    ]) {
      await storedVideo(owner, {
        ...setup,
        title: `${word} hidden ${setup.status ?? setup.visibility}`,
        tags: [`${word} secret`],
      });
    }
    expect(await found(word)).toEqual([shown]);
    expect(await found(`${word} hidden`)).toEqual([]);
    const suggestions = await apiJson<SuggestionsJson>(suggestPath(word), 200);
    expect(suggestions.items).toEqual([
      { text: `${word} shown`, kind: "title" },
      { text: `${word} tag`, kind: "tag" },
    ]);

    // A channel whose only videos are hidden is not suggested either.
    const lonely = await seedAccount({ tag: "srlonely", channel: true });
    const lonelyWord = uniqueWord("ln");
    await renameChannel(lonely, lonelyWord);
    await storedVideo(lonely, { visibility: "private" });
    expect((await apiJson<SuggestionsJson>(suggestPath(lonelyWord), 200)).items).toEqual([]);
    expect((await apiJson<SuggestionsJson>(suggestPath(channelWord), 200)).items).toEqual([
      { text: channelWord, kind: "channel" },
    ]);
  });

  it("a kids profile finds only kids videos, a teen kids and teen ones, in search and suggestions", async () => {
    const owner = await seedAccount({ tag: "srmat", channel: true });
    const { adult: adultToken, kids: kidsToken, teen: teenToken } = await seedFamily("srmatfam");
    const word = uniqueWord("mt");
    const kids = await storedVideo(owner, {
      title: `${word} kids`,
      tags: [`${word}-kids`],
      maturity: "kids",
    });
    const teen = await storedVideo(owner, {
      title: `${word} teen`,
      tags: [`${word}-teen`],
      maturity: "teen",
    });
    const adult = await storedVideo(owner, {
      title: `${word} adult`,
      tags: [`${word}-adult`],
      maturity: "adult",
    });

    expect(await found(word, "", kidsToken)).toEqual([kids]);
    expect((await found(word, "", teenToken)).sort()).toEqual([kids, teen].sort());
    expect((await found(word, "", adultToken)).sort()).toEqual([kids, teen, adult].sort());
    expect((await found(word)).sort()).toEqual([kids, teen, adult].sort());

    const suggest = async (token?: string) =>
      (await apiJson<SuggestionsJson>(suggestPath(word), 200, { token })).items.map((s) => s.text).sort();
    expect(await suggest(kidsToken)).toEqual([`${word} kids`, `${word}-kids`]);
    expect(await suggest(teenToken)).toEqual([
      `${word} kids`,
      `${word} teen`,
      `${word}-kids`,
      `${word}-teen`,
    ]);
    expect(await suggest()).toHaveLength(6);
  });
});

describe("search filters", () => {
  it("narrow by category (id or slug), duration bucket and upload date; an unknown category is a 400", async () => {
    const admin = await seedAccount({ tag: "srfiltadmin", roles: ["admin"] });
    const owner = await seedAccount({ tag: "srfilt", channel: true });
    const category = await makeCategory(admin, "Filtered");
    const word = uniqueWord("fl");
    const min = 60_000;
    const day = 86_400_000;
    const now = Date.now();
    const short = await storedVideo(owner, {
      title: word,
      durationMs: 3 * min,
      categoryId: category.id,
      publishedAt: now - 30 * min,
    });
    const medium = await storedVideo(owner, { title: word, durationMs: 4 * min, publishedAt: now - 2 * day });
    const mediumTop = await storedVideo(owner, {
      title: word,
      durationMs: 20 * min,
      categoryId: category.id,
      publishedAt: now - 20 * day,
    });
    const long = await storedVideo(owner, {
      title: word,
      durationMs: 20 * min + 1,
      publishedAt: now - 200 * day,
    });
    const ancient = await storedVideo(owner, {
      title: word,
      durationMs: 90 * min,
      publishedAt: now - 400 * day,
    });
    const unknownLength = await storedVideo(owner, { title: word, durationMs: null });

    const sorted = (list: string[]) => [...list].sort();
    expect(sorted(await found(word))).toEqual(
      sorted([short, medium, mediumTop, long, ancient, unknownLength]),
    );
    expect(sorted(await found(word, `&category=${category.id}`))).toEqual(sorted([short, mediumTop]));
    expect(sorted(await found(word, `&category=${category.slug}`))).toEqual(sorted([short, mediumTop]));
    expect(await found(word, "&duration=short")).toEqual([short]);
    expect(sorted(await found(word, "&duration=medium"))).toEqual(sorted([medium, mediumTop]));
    expect(sorted(await found(word, "&duration=long"))).toEqual(sorted([long, ancient]));
    expect(sorted(await found(word, "&uploaded=hour"))).toEqual(sorted([short, unknownLength]));
    expect(sorted(await found(word, "&uploaded=week"))).toEqual(sorted([short, medium, unknownLength]));
    expect(sorted(await found(word, "&uploaded=month"))).toEqual(
      sorted([short, medium, mediumTop, unknownLength]),
    );
    expect(sorted(await found(word, "&uploaded=year"))).toEqual(
      sorted([short, medium, mediumTop, long, unknownLength]),
    );
    expect(await found(word, `&category=${category.slug}&duration=short&uploaded=day`)).toEqual([short]);

    const unknown = await api(searchPath(word, "&category=no-such-category"));
    expect(unknown.status).toBe(400);
    for (const bad of ["&duration=tiny", "&uploaded=decade", "&limit=0", "&limit=101", "&category=a%20b"]) {
      expect((await api(searchPath(word, bad))).status, bad).toBe(400);
    }
  });
});

describe("search pagination", () => {
  it("walks every match exactly once, in rank order, and refuses a cursor it did not give", async () => {
    const owner = await seedAccount({ tag: "srpage", channel: true });
    const word = uniqueWord("pg");
    const made: string[] = [];
    // Distinct popularity gives a strict order; two pairs tie exactly and fall back to the id.
    for (const likes of [0, 5, 5, 40, 300, 300, 2000]) {
      made.push(await storedVideo(owner, { title: `${word} episode`, likeCount: likes }));
    }
    const walked = await found(word, "");
    const paged = ids(await walk(searchPath(word), undefined, 2));
    expect(paged).toEqual(walked);
    expect(new Set(paged).size).toBe(made.length);
    expect([...paged].sort()).toEqual([...made].sort());
    expect(paged[0]).toBe(made[6]);
    expect(paged[paged.length - 1]).toBe(made[0]);

    const tagCursor = (
      await apiJson<{ nextCursor: string }>(`/api/v1/channels/${owner.channelId}/videos?limit=1`, 200)
    ).nextCursor;
    expect((await api(searchPath(word, `&cursor=${tagCursor}`))).status).toBe(400);
    expect((await api(searchPath(word, "&cursor=abc"))).status).toBe(400);
  });
});

describe("odd queries", () => {
  const weird = [
    '"',
    '""',
    "*",
    "**",
    "NEAR(",
    "NEAR(a b",
    "-",
    "-a",
    "a OR",
    "AND",
    "NOT x",
    "title:x",
    "{title}: x",
    "^x",
    "x*y",
    "(",
    ")",
    "🙂",
    "👨‍👩‍👧 🎬",
    "'; DROP TABLE videos; --",
    "\\",
    "a\u0301",
    "\u0301",
    "!@#$%^&*()_+-=[]{}|;':\",./<>?`~".repeat(7).slice(0, 200),
    "x".repeat(200),
    "a ".repeat(100),
  ];

  it("answer 200 (or 400), never 500, in search and suggestions", async () => {
    for (const q of weird) {
      for (const path of [searchPath(q), suggestPath(q)]) {
        const res = await api(path);
        expect([200, 400], `${path} → ${res.status}`).toContain(res.status);
        if (res.status === 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
        await res.body?.cancel();
      }
    }
  });

  it("answer 400 for an empty or over-long query", async () => {
    for (const q of ["", "   ", "x".repeat(201)]) {
      expect((await api(searchPath(q))).status).toBe(400);
      expect((await api(suggestPath(q))).status).toBe(400);
    }
    expect((await api("/api/v1/search")).status).toBe(400);
  });

  it("a query of operators only is plain text: NEAR and OR find videos with those words", async () => {
    const owner = await seedAccount({ tag: "srops", channel: true });
    const word = uniqueWord("op");
    const id = await storedVideo(owner, { title: `near ${word} or far` });
    expect(await found(`NEAR(${word}`)).toEqual([id]);
    expect(await found(`${word} OR`)).toEqual([id]);
    expect(await found(`-${word}`)).toEqual([id]);
  });
});
