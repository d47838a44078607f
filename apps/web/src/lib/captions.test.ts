import { describe, expect, it, vi } from "vitest";

// lib/captions.ts imports the API client, which needs a window; only its pure helpers are tested here.
vi.mock("../api/client", () => ({ api: {}, must: () => Promise.reject(new Error("no API in unit tests")) }));

const { captionContentType, labelProblem, languageTag, withTrack } = await import("./captions");

const track = (language: string, label = language) => ({
  language,
  label,
  cueCount: 1,
  updatedAt: "2026-03-02T10:00:00.000Z",
});

describe("the studio's captions form", () => {
  it("takes language tags the API takes, spelled canonically", () => {
    expect(languageTag("pt-br")).toBe("pt-BR");
    expect(languageTag(" de ")).toBe("de");
    expect(languageTag("zh_hant_tw")).toBe("zh-Hant-TW");
    expect(languageTag("")).toBeNull();
    expect(languageTag("Portuguese")).toBeNull();
    expect(languageTag("en-US-x-private-more")).toBeNull();
  });

  it("checks the label as the API does: at most 40 characters, no double quote", () => {
    expect(labelProblem("")).toBeNull();
    expect(labelProblem("Português (Brasil)")).toBeNull();
    expect(labelProblem("x".repeat(41))).toBe("tooLong");
    expect(labelProblem('Say "hi"')).toBe("quote");
  });

  it("sends a file as one of the three types the API takes", () => {
    expect(captionContentType("talk.VTT")).toBe("text/vtt");
    expect(captionContentType("talk.de.srt")).toBe("application/x-subrip");
    expect(captionContentType("talk.txt")).toBe("text/plain");
  });

  it("puts a saved language in the list in place of its old entry, by tag", () => {
    const list = [track("de"), track("pt-BR")];
    expect(withTrack(list, track("en")).map((t) => t.language)).toEqual(["de", "en", "pt-BR"]);
    expect(withTrack(list, track("de", "Deutsch")).map((t) => t.label)).toEqual(["Deutsch", "pt-BR"]);
  });
});
