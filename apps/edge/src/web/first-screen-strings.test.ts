import { describe, expect, it } from "vitest";
import deHome from "../../../web/src/i18n/locales/de/home.json";
import enHome from "../../../web/src/i18n/locales/en/home.json";
import { esc, jsonForScript } from "./first-screen-html";
import { firstScreenStrings, languageOf } from "./first-screen-strings";

describe("languageOf", () => {
  it("takes the first language the app speaks, by q-value then by order", () => {
    const cases: [string | undefined, "en" | "de"][] = [
      ["de-AT,de;q=0.9", "de"],
      ["DE-at", "de"],
      ["en-US,de;q=0.9", "en"],
      // A language the app does not speak is skipped, not a reason for English.
      ["pt-BR,de;q=0.5", "de"],
      ["fr-CH, fr;q=0.9, de-CH;q=0.3, en;q=0.2", "de"],
      // The q-value decides, not the order.
      ["en;q=0.4,de;q=0.8", "de"],
      ["de;q=0.4,en-GB;q=0.8", "en"],
      // Equal q: the order decides.
      ["de;q=0.5,en;q=0.5", "de"],
      ["en;q=0.5,de;q=0.5", "en"],
      [" de-AT ; q=0.9 , en;q=0.8", "de"],
      // q=0 is "not acceptable"; an unreadable q counts as none.
      ["de;q=0,en;q=0.1", "en"],
      ["de;q=abc", "en"],
    ];
    for (const [header, lang] of cases) expect(languageOf(header), String(header)).toBe(lang);
  });

  it("is English for a missing, empty or garbage header", () => {
    for (const header of [undefined, "", "*", ",,;;", "!!!;q=x", "pt-BR", "deutsch", "q=1"]) {
      expect(languageOf(header), String(header)).toBe("en");
    }
  });
});

describe("firstScreenStrings", () => {
  it("counts views with the app's plural and compact number", () => {
    const en = firstScreenStrings("en");
    expect(en.views(1)).toBe("1 view");
    expect(en.views(0)).toBe("0 views");
    expect(en.views(1520)).toBe("1.5K views");
    expect(firstScreenStrings("de").views(1)).toBe("1 Aufruf");
  });

  it("takes its words from the app's locale files, and formats times and durations", () => {
    const now = Date.parse("2024-05-10T12:00:00Z");
    expect(firstScreenStrings("en").trending).toBe(enHome.reason.trending);
    expect(firstScreenStrings("de").trending).toBe(deHome.reason.trending);
    expect(firstScreenStrings("en", now).timeAgo("2024-05-07T12:00:00Z")).toBe("3 days ago");
    expect(firstScreenStrings("en", now).timeAgo(null)).toBe("");
    expect(firstScreenStrings("en").duration(75_000)).toBe("1:15");
  });
});

describe("esc and jsonForScript", () => {
  it("esc escapes the five HTML characters and nothing else", () => {
    expect(esc(`<a href="x">&'`)).toBe("&#60;a href=&#34;x&#34;&#62;&#38;&#39;");
    expect(esc("&#38;")).toBe("&#38;#38;");
    expect(esc("Grüße, 1.5K · 3:05")).toBe("Grüße, 1.5K · 3:05");
  });

  it("jsonForScript leaves no '<' and parses back to the same value", () => {
    const value = { title: `</script><script>alert(1)</script> "<b>& <!-- x`, n: [1, null], s: "\u2028" };
    const json = jsonForScript(value);
    expect(json).not.toContain("<");
    expect(json).toContain("\\u003c/script>");
    expect(JSON.parse(json)).toEqual(value);
  });
});
