import { describe, expect, it } from "vitest";
import { excerpt, findWatchedWord, MAX_MENTIONS, normaliseForMatching, parseMentions } from "./text";

describe("mentions", () => {
  it("finds @handles, lower-cased and deduplicated, but not emails or glued text", () => {
    expect(parseMentions("Hi @Ada_Films and @bob, also @ada_films!")).toEqual(["ada_films", "bob"]);
    expect(parseMentions("(@abc) @xy @toolong_handle_over_thirty_chars_x")).toEqual(["abc"]);
    expect(parseMentions("mail ada@example.com or a.@bcd or x@yz9")).toEqual([]);
    expect(parseMentions("line\n@start_of_line")).toEqual(["start_of_line"]);
    expect(parseMentions("no mentions here")).toEqual([]);
  });

  it("keeps at most MAX_MENTIONS handles", () => {
    const body = Array.from({ length: 30 }, (_, i) => `@user${i}`).join(" ");
    expect(parseMentions(body)).toHaveLength(MAX_MENTIONS);
  });
});

describe("watched words", () => {
  it("match whole words, case-insensitively, after Unicode normalisation", () => {
    const words = ["spoiler", "plot twist", "éclair"].map(normaliseForMatching);
    expect(findWatchedWord("Huge SPOILER ahead", words)).toBe("spoiler");
    expect(findWatchedWord("ｓｐｏｉｌｅｒ in full width", words)).toBe("spoiler");
    expect(findWatchedWord("spoilers are fine, so is unspoiler", words)).toBeNull();
    expect(findWatchedWord("spoiler_ is glued", words)).toBeNull();
    expect(findWatchedWord("what a PLOT\n\tTWIST!", words)).toBe("plot twist");
    expect(findWatchedWord("an Éclair", words)).toBe("éclair");
    expect(findWatchedWord("anything", [])).toBeNull();
  });

  it("treat regular-expression characters in words literally", () => {
    expect(findWatchedWord("a+b is math", ["a+b"])).toBe("a+b");
    expect(findWatchedWord("aab", ["a+b"])).toBeNull();
    expect(findWatchedWord("any (text)", [".*"])).toBeNull();
  });
});

describe("excerpts", () => {
  it("are one line and cut by code points", () => {
    expect(excerpt("one\n\ntwo")).toBe("one two");
    const cut = excerpt("😀".repeat(200), 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut.endsWith("…")).toBe(true);
  });
});
