import { describe, expect, it } from "vitest";
import {
  applyPrefs,
  markMutedByPolicy,
  type PrefsMedia,
  type PrefsStorage,
  prefsKey,
  prefsToSave,
  readPrefs,
  rememberCaptions,
  savePrefs,
} from "./playerPrefs";

function memoryStorage(): PrefsStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

const media = (over: Partial<PrefsMedia> = {}): PrefsMedia => ({
  volume: 1,
  muted: false,
  playbackRate: 1,
  defaultPlaybackRate: 1,
  ...over,
});

describe("the player's remembered volume, mute and speed", () => {
  it("are kept per profile: one profile's choice is not another's", () => {
    const storage = memoryStorage();
    savePrefs(storage, "prof_a", { volume: 0.4, muted: true, rate: 1.5 });
    savePrefs(storage, "prof_b", { volume: 0.9, muted: false, rate: 1 });
    expect(readPrefs(storage, "prof_a")).toEqual({ volume: 0.4, muted: true, rate: 1.5 });
    expect(readPrefs(storage, "prof_b")).toEqual({ volume: 0.9, muted: false, rate: 1 });
    expect(readPrefs(storage, "prof_c")).toEqual({});
    // Signed out has its own slot.
    expect(prefsKey(null)).toBe("marquee.player.signed-out");
    expect(prefsKey("prof_a")).toBe("marquee.player.prof_a");
  });

  it("drop what is not a volume, a mute or an offered speed", () => {
    const storage = memoryStorage();
    storage.setItem(prefsKey("p"), JSON.stringify({ volume: 3, muted: "yes", rate: 1.5 }));
    expect(readPrefs(storage, "p")).toEqual({ rate: 1.5 });
    storage.setItem(prefsKey("p"), JSON.stringify({ volume: 0, muted: false, rate: 16 }));
    expect(readPrefs(storage, "p")).toEqual({ volume: 0, muted: false });
    storage.setItem(prefsKey("p"), "{not json");
    expect(readPrefs(storage, "p")).toEqual({});
    storage.setItem(prefsKey("p"), "null");
    expect(readPrefs(storage, "p")).toEqual({});
  });

  it("a storage that refuses to write leaves the player working", () => {
    const full: PrefsStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => savePrefs(full, "p", { volume: 1, muted: false, rate: 1 })).not.toThrow();
  });

  it("are put on the element, the speed as its default too (a new source resets playbackRate to it)", () => {
    const video = media();
    applyPrefs(video, { volume: 0.3, muted: true, rate: 0.75 });
    expect(video).toEqual({ volume: 0.3, muted: true, playbackRate: 0.75, defaultPlaybackRate: 0.75 });
    // Nothing stored: the element keeps its own values.
    const untouched = media({ volume: 0.5 });
    applyPrefs(untouched, {});
    expect(untouched).toEqual(media({ volume: 0.5 }));
  });

  it("save what the element has after the viewer's change", () => {
    expect(prefsToSave(media({ volume: 0.6, muted: true, playbackRate: 2 }), {})).toEqual({
      volume: 0.6,
      muted: true,
      rate: 2,
    });
  });

  it("do not take autoplay's muting for the viewer's; a mute after unmuting is the viewer's", () => {
    const video = media();
    markMutedByPolicy(video);
    video.muted = true;
    expect(prefsToSave(video, { muted: false }).muted).toBe(false);
    video.muted = false;
    expect(prefsToSave(video, { muted: false }).muted).toBe(false);
    video.muted = true;
    expect(prefsToSave(video, { muted: false }).muted).toBe(true);
  });
});

describe("the player's remembered captions", () => {
  it("round-trip per profile beside the other prefs: a language, then off keeping the language", () => {
    const storage = memoryStorage();
    savePrefs(storage, "prof_a", { volume: 0.4, muted: false, rate: 1.5 });
    rememberCaptions(storage, "prof_a", "pt-BR");
    expect(readPrefs(storage, "prof_a")).toEqual({
      volume: 0.4,
      muted: false,
      rate: 1.5,
      captions: "pt-BR",
      captionsLanguage: "pt-BR",
    });
    rememberCaptions(storage, "prof_a", "off");
    expect(readPrefs(storage, "prof_a")).toMatchObject({ captions: "off", captionsLanguage: "pt-BR" });
    // Another profile, and signed out, have their own.
    expect(readPrefs(storage, "prof_b")).toEqual({});
    rememberCaptions(storage, null, "de");
    expect(readPrefs(storage, null)).toEqual({ captions: "de", captionsLanguage: "de" });
    expect(readPrefs(storage, "prof_a").captions).toBe("off");
  });

  it("survive a volume or speed change (saved from the element, which knows nothing of them)", () => {
    const storage = memoryStorage();
    rememberCaptions(storage, "p", "de-AT");
    savePrefs(storage, "p", prefsToSave(media({ volume: 0.2 }), readPrefs(storage, "p")));
    expect(readPrefs(storage, "p")).toEqual({
      volume: 0.2,
      muted: false,
      rate: 1,
      captions: "de-AT",
      captionsLanguage: "de-AT",
    });
  });

  it("drop what is not off or a language tag", () => {
    const storage = memoryStorage();
    storage.setItem(prefsKey("p"), JSON.stringify({ captions: "<script>", captionsLanguage: 42 }));
    expect(readPrefs(storage, "p")).toEqual({});
    storage.setItem(prefsKey("p"), JSON.stringify({ captions: "zh-Hant-TW", captionsLanguage: "off" }));
    expect(readPrefs(storage, "p")).toEqual({ captions: "zh-Hant-TW" });
    rememberCaptions(storage, "q", "not a tag");
    expect(readPrefs(storage, "q")).toEqual({});
  });
});
