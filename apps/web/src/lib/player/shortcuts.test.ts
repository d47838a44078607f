import { describe, expect, it } from "vitest";
import {
  type KeyPress,
  keyBelongsTo,
  SHORTCUTS,
  shortcutFor,
  steppedVolume,
  toggleCaptions,
} from "./shortcuts";

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  repeat: false,
  ...over,
});
const action = (p: KeyPress) => shortcutFor(p)?.action ?? null;

describe("player keyboard shortcuts", () => {
  it("map the keys to their actions", () => {
    expect(action(press(" "))).toEqual({ kind: "togglePlay" });
    expect(action(press("k"))).toEqual({ kind: "togglePlay" });
    expect(action(press("j"))).toEqual({ kind: "seekBy", seconds: -10 });
    expect(action(press("l"))).toEqual({ kind: "seekBy", seconds: 10 });
    expect(action(press("ArrowLeft"))).toEqual({ kind: "seekBy", seconds: -5 });
    expect(action(press("ArrowRight"))).toEqual({ kind: "seekBy", seconds: 5 });
    expect(action(press("ArrowUp"))).toEqual({ kind: "volumeBy", step: 0.1 });
    expect(action(press("ArrowDown"))).toEqual({ kind: "volumeBy", step: -0.1 });
    expect(action(press("f"))).toEqual({ kind: "fullscreen" });
    expect(action(press("m"))).toEqual({ kind: "mute" });
    expect(action(press("c"))).toEqual({ kind: "captions" });
    for (const digit of "0123456789") expect(action(press(digit))).toEqual({ kind: "seekToDigit" });
    expect(action(press("?", { shiftKey: true }))).toEqual({ kind: "help" });
    expect(action(press("x"))).toBeNull();
    expect(action(press("Enter"))).toBeNull();
  });

  it("take Caps Lock's capitals and shifted digits, leave the browser's and Shift+letter alone", () => {
    expect(action(press("K"))).toEqual({ kind: "togglePlay" });
    expect(action(press("5", { shiftKey: true }))).toEqual({ kind: "seekToDigit" });
    expect(action(press("F", { shiftKey: true }))).toBeNull();
    expect(action(press("f", { ctrlKey: true }))).toBeNull();
    expect(action(press("l", { metaKey: true }))).toBeNull();
    expect(action(press("j", { altKey: true }))).toBeNull();
  });

  it("repeat seeks and volume while held, but toggle once per press", () => {
    expect(action(press("l", { repeat: true }))).toEqual({ kind: "seekBy", seconds: 10 });
    expect(action(press("ArrowUp", { repeat: true }))).toEqual({ kind: "volumeBy", step: 0.1 });
    expect(action(press(" ", { repeat: true }))).toBeNull();
    expect(action(press("f", { repeat: true }))).toBeNull();
  });

  it("give the help a label for every shortcut", () => {
    expect(SHORTCUTS.map((s) => s.label)).toEqual([
      "playPause",
      "back10",
      "forward10",
      "back5",
      "forward5",
      "volumeUp",
      "volumeDown",
      "fullscreen",
      "mute",
      "captions",
      "seekToPercent",
      "help",
    ]);
  });

  it("leave the focused control the keys it needs", () => {
    const input = { tagName: "INPUT", type: "text" };
    expect(keyBelongsTo(input, "k")).toBe(true);
    expect(keyBelongsTo(input, " ")).toBe(true);
    expect(keyBelongsTo({ tagName: "TEXTAREA" }, "j")).toBe(true);
    expect(keyBelongsTo({ tagName: "DIV", isContentEditable: true }, "l")).toBe(true);
    expect(keyBelongsTo({ tagName: "SELECT" }, "7")).toBe(true);
    // The seek bar keeps its arrows; the rest is the player's.
    const range = { tagName: "INPUT", type: "range" };
    expect(keyBelongsTo(range, "ArrowRight")).toBe(true);
    expect(keyBelongsTo(range, "Home")).toBe(true);
    expect(keyBelongsTo(range, "k")).toBe(false);
    expect(keyBelongsTo(range, " ")).toBe(false);
    // A button is pressed by Space and Enter; letters still drive the player.
    expect(keyBelongsTo({ tagName: "BUTTON" }, " ")).toBe(true);
    expect(keyBelongsTo({ tagName: "BUTTON" }, "f")).toBe(false);
    expect(keyBelongsTo({ tagName: "A" }, " ")).toBe(true);
    // The video: its native controls' keys are the ones the shortcuts replace.
    expect(keyBelongsTo({ tagName: "VIDEO" }, " ")).toBe(false);
    expect(keyBelongsTo({ tagName: "VIDEO" }, "ArrowLeft")).toBe(false);
  });
});

describe("captions toggle", () => {
  it("does nothing without caption or subtitle tracks", () => {
    const metadata = { kind: "metadata", mode: "hidden" };
    expect(toggleCaptions([])).toBe(false);
    expect(toggleCaptions([metadata])).toBe(false);
    expect(metadata.mode).toBe("hidden");
  });

  it("shows the first track, then turns off whatever shows", () => {
    const tracks = [
      { kind: "metadata", mode: "hidden" },
      { kind: "subtitles", mode: "disabled" },
      { kind: "captions", mode: "disabled" },
    ];
    expect(toggleCaptions(tracks)).toBe(true);
    expect(tracks.map((t) => t.mode)).toEqual(["hidden", "showing", "disabled"]);
    expect(toggleCaptions(tracks)).toBe(true);
    expect(tracks.map((t) => t.mode)).toEqual(["hidden", "disabled", "disabled"]);
    // One the viewer chose elsewhere (the native menu) is the one turned off.
    const chosen = [
      { kind: "captions", mode: "disabled" },
      { kind: "captions", mode: "showing" },
    ];
    toggleCaptions(chosen);
    expect(chosen.map((t) => t.mode)).toEqual(["disabled", "disabled"]);
  });
});

describe("volume steps", () => {
  it("land on tenths, within 0 and 1", () => {
    expect(steppedVolume(0.2, 0.1)).toBe(0.3);
    expect(steppedVolume(0.95, 0.1)).toBe(1);
    expect(steppedVolume(0.04, -0.1)).toBe(0);
    expect(steppedVolume(0.33, -0.1)).toBe(0.2);
  });
});
