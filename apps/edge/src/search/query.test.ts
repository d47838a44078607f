import { describe, expect, it } from "vitest";
import { MAX_TERMS, matchExpression, searchTerms } from "./query";

describe("turning typed text into an FTS5 query", () => {
  it("keeps words, drops punctuation and operators, lower-cases and de-duplicates", () => {
    expect(searchTerms('  Cats "AND" dogs: NEAR(cats, 2) -birds * cats ')).toEqual([
      "cats",
      "and",
      "dogs",
      "near",
      "2",
      "birds",
    ]);
    expect(searchTerms("Crème brûlée 🍮 日本語")).toEqual(["crème", "brûlée", "日本語"]);
    expect(searchTerms('"*-()^:🙂🙂')).toEqual([]);
  });

  it("quotes every word and makes the last one a prefix", () => {
    expect(matchExpression(["cats", "do"])).toBe('"cats" "do"*');
    expect(matchExpression(["cats"], "title")).toBe('{title} : "cats"*');
    expect(matchExpression(["a", "b"], "channel_name")).toBe(
      '{channel_name} : "a" AND {channel_name} : "b"*',
    );
    expect(matchExpression([])).toBeNull();
  });

  it(`searches at most ${MAX_TERMS} words`, () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    expect(searchTerms(words.join(" "))).toEqual(words.slice(0, MAX_TERMS));
  });
});
