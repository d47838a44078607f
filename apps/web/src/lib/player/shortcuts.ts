/**
 * The player's keyboard shortcuts: which key does what, and when a key is not the player's to take
 * (the focused control needs it). Pure, so it is tested without a browser; usePlayerShortcuts.ts
 * carries the actions out on the <video>.
 */

export type PlayerAction =
  | { kind: "togglePlay" }
  | { kind: "seekBy"; seconds: number }
  /** The digit key pressed: 0 % … 90 % of the content. */
  | { kind: "seekToDigit" }
  | { kind: "volumeBy"; step: number }
  | { kind: "fullscreen" }
  | { kind: "mute" }
  | { kind: "captions" }
  | { kind: "help" };

/** Each shortcut's line in the help overlay: `player:shortcuts.<label>`. */
export type ShortcutLabel =
  | "playPause"
  | "back10"
  | "forward10"
  | "back5"
  | "forward5"
  | "volumeUp"
  | "volumeDown"
  | "fullscreen"
  | "mute"
  | "captions"
  | "seekToPercent"
  | "help";

export interface Shortcut {
  /** KeyboardEvent.key values (letters in lower case). */
  keys: readonly string[];
  action: PlayerAction;
  label: ShortcutLabel;
  /** How the help shows the keys, where `keys` would not read well (arrows, the digits). */
  caps?: readonly string[];
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** In the order the help lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [" ", "k"], action: { kind: "togglePlay" }, label: "playPause" },
  { keys: ["j"], action: { kind: "seekBy", seconds: -10 }, label: "back10" },
  { keys: ["l"], action: { kind: "seekBy", seconds: 10 }, label: "forward10" },
  { keys: ["ArrowLeft"], action: { kind: "seekBy", seconds: -5 }, label: "back5", caps: ["←"] },
  { keys: ["ArrowRight"], action: { kind: "seekBy", seconds: 5 }, label: "forward5", caps: ["→"] },
  { keys: ["ArrowUp"], action: { kind: "volumeBy", step: 0.1 }, label: "volumeUp", caps: ["↑"] },
  { keys: ["ArrowDown"], action: { kind: "volumeBy", step: -0.1 }, label: "volumeDown", caps: ["↓"] },
  { keys: ["f"], action: { kind: "fullscreen" }, label: "fullscreen" },
  { keys: ["m"], action: { kind: "mute" }, label: "mute" },
  { keys: ["c"], action: { kind: "captions" }, label: "captions" },
  { keys: DIGITS, action: { kind: "seekToDigit" }, label: "seekToPercent", caps: ["0–9"] },
  { keys: ["?"], action: { kind: "help" }, label: "help" },
];

/** Held down, these repeat (seeking on, the volume on); a toggle acts once per press. */
const REPEATS = new Set<PlayerAction["kind"]>(["seekBy", "volumeBy"]);

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat: boolean;
}

/**
 * The shortcut a key press means, or null. Anything with Ctrl, Alt or Meta is the browser's or the
 * system's (Ctrl+F, Cmd+L); Shift only makes "?" (a Shift+letter is not ours). Digits are taken
 * with Shift too: some layouts (AZERTY) type them shifted.
 */
export function shortcutFor(press: KeyPress): Shortcut | null {
  if (press.ctrlKey || press.altKey || press.metaKey) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.shiftKey && key !== "?" && !DIGITS.includes(key)) return null;
  const found = SHORTCUTS.find((s) => s.keys.includes(key));
  if (!found || (press.repeat && !REPEATS.has(found.action.kind))) return null;
  return found;
}

/** What we read of the focused element. */
export interface FocusedElement {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
}

/** A range's own keys (the seek bar moves by them). */
const RANGE_KEYS = new Set([
  "ArrowLeft",
  "ArrowRight",
  "ArrowUp",
  "ArrowDown",
  "Home",
  "End",
  "PageUp",
  "PageDown",
]);

/**
 * Whether the focused element needs the key itself, so the player leaves it alone: anything typed
 * into a text field or an editable region, a select's keys (its type-ahead, and its list while it
 * is open), the seek bar's arrows, and Space on a button or link (it presses it). The <video>
 * itself is not listed: its native controls' keys are the ones the shortcuts replace.
 */
export function keyBelongsTo(focused: FocusedElement, key: string): boolean {
  const tag = focused.tagName.toLowerCase();
  if (focused.isContentEditable || tag === "textarea" || tag === "select") return true;
  if (tag === "input") return focused.type === "range" ? RANGE_KEYS.has(key) : true;
  if (tag === "button" || tag === "a" || tag === "summary") return key === " " || key === "Enter";
  return false;
}

/** What we use of a TextTrack. */
interface Track {
  kind: string;
  mode: string;
}

/**
 * Captions on or off: any caption or subtitle track showing is turned off; otherwise the first one
 * is shown. Returns false when the video has none (then the key does nothing).
 */
export function toggleCaptions(tracks: ArrayLike<Track>): boolean {
  const all = Array.from(tracks).filter((t) => t.kind === "captions" || t.kind === "subtitles");
  const first = all[0];
  if (!first) return false;
  const showing = all.filter((t) => t.mode === "showing");
  if (showing.length) for (const t of showing) t.mode = "disabled";
  else first.mode = "showing";
  return true;
}

/** The volume a step away, on the tenths (no drifting 0.30000000000000004), within 0…1. */
export function steppedVolume(volume: number, step: number): number {
  return Math.min(1, Math.max(0, Math.round((volume + step) * 10) / 10));
}
