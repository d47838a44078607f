import { describe, expect, it } from "vitest";
import { type CaptionTrack, orderTracks, primarySubtag, toggledTrack, trackFor, tracksKey } from "./captions";

// In the master playlist's order: hls.js numbers them so (its subtitleTrack).
const tracks: CaptionTrack[] = [
  { index: 0, language: "pt-BR", label: "Português (Brasil)" },
  { index: 1, language: "de-AT", label: "Deutsch (Österreich)" },
  { index: 2, language: "en", label: "English" },
  { index: 3, language: "de", label: "Deutsch" },
  { index: 4, language: "fr", label: "Français" },
];
const english = new Intl.Collator("en", { sensitivity: "base" });
const labels = (ordered: CaptionTrack[]) => ordered.map((t) => t.label);

describe("the captions menu's order", () => {
  it("puts the viewer's language first, its exact tag before its neighbours, then the rest by label", () => {
    expect(labels(orderTracks(tracks, "de", english))).toEqual([
      "Deutsch",
      "Deutsch (Österreich)",
      "English",
      "Français",
      "Português (Brasil)",
    ]);
    expect(labels(orderTracks(tracks, "de-AT", english))).toEqual([
      "Deutsch (Österreich)",
      "Deutsch",
      "English",
      "Français",
      "Português (Brasil)",
    ]);
  });

  it("matches the primary subtag whatever its case or separator", () => {
    expect(labels(orderTracks(tracks, "PT_pt", english)).slice(0, 2)).toEqual([
      "Português (Brasil)",
      "Deutsch",
    ]);
    expect(primarySubtag("zh-Hant-TW")).toBe("zh");
    expect(primarySubtag(undefined)).toBe("");
  });

  it("sorts by label alone when the video has nothing in the viewer's language (or it is unknown)", () => {
    const byLabel = ["Deutsch", "Deutsch (Österreich)", "English", "Français", "Português (Brasil)"];
    expect(labels(orderTracks(tracks, "ja", english))).toEqual(byLabel);
    expect(labels(orderTracks(tracks, null, english))).toEqual(byLabel);
  });

  it("keeps the tracks' indexes (what hls.js is told) and leaves the input alone", () => {
    const ordered = orderTracks(tracks, "en", english);
    expect(ordered[0]).toEqual({ index: 2, language: "en", label: "English" });
    expect(tracks[0]?.index).toBe(0);
    expect(orderTracks([], "en")).toEqual([]);
  });
});

describe("a remembered captions choice", () => {
  it("means the track of the same tag, else one of the same language, else none", () => {
    expect(trackFor(tracks, "de")?.index).toBe(3);
    expect(trackFor(tracks, "DE-at")?.index).toBe(1);
    expect(trackFor(tracks, "pt-PT")?.index).toBe(0);
    expect(trackFor(tracks, "ja")).toBeNull();
    expect(trackFor(tracks, "off")).toBeNull();
    expect(trackFor(tracks, undefined)).toBeNull();
  });

  it("is what the c key turns back on; with none remembered, the menu's first", () => {
    const ordered = orderTracks(tracks, "en", english);
    expect(toggledTrack(ordered, -1, "fr")).toBe(4);
    expect(toggledTrack(ordered, -1, undefined)).toBe(2);
    // Remembered a language this video lacks: the menu's first again.
    expect(toggledTrack(ordered, -1, "ja")).toBe(2);
    // On: the key turns captions off.
    expect(toggledTrack(ordered, 4, "fr")).toBe(-1);
    expect(toggledTrack([], -1, "fr")).toBeNull();
  });

  it("is applied once per track list: the same tracks again have the same key", () => {
    expect(tracksKey(tracks)).toBe(tracksKey(tracks.map((t) => ({ ...t }))));
    expect(tracksKey(tracks)).not.toBe(tracksKey(tracks.slice(1)));
    expect(tracksKey([])).toBe("");
  });
});
