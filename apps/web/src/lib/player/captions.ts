/**
 * The captions menu's logic, pure so it is tested without a browser: the stream's subtitle tracks
 * in the order the menu lists them (the viewer's language first), the track a remembered choice
 * means in this video, and what the `c` key turns on. useCaptions.ts applies it to hls.js or to
 * the <video>'s own text tracks.
 */

/** One subtitle track of the stream: `index` is hls.js' subtitleTrack (or the text track's place). */
export interface CaptionTrack {
  index: number;
  /** The BCP 47 tag (LANGUAGE in the master playlist); "" when the stream gives none. */
  language: string;
  /** What the menu shows (NAME in the master playlist). */
  label: string;
}

/** "off", or a language tag: what the captions menu remembers per profile (playerPrefs.ts). */
export type CaptionsChoice = "off" | (string & {});

/** The language of a tag without its region or script: "de-AT" → "de", "pt-BR" → "pt". */
export function primarySubtag(tag: string | null | undefined): string {
  return (tag ?? "").trim().toLowerCase().replace(/_/g, "-").split("-")[0] ?? "";
}

const sameTag = (a: string, b: string) =>
  a.toLowerCase().replace(/_/g, "-") === b.toLowerCase().replace(/_/g, "-");

/**
 * The menu's order: the tracks in the viewer's language first (the same primary subtag: a `de`
 * profile gets `de` and `de-AT` on top, the exact tag before its neighbours), then the rest by
 * label. `collator` sorts the labels (the UI's language; tests pass their own).
 */
export function orderTracks(
  tracks: readonly CaptionTrack[],
  viewerLanguage: string | null | undefined,
  collator?: Intl.Collator,
): CaptionTrack[] {
  if (tracks.length < 2) return [...tracks];
  const labels = collator ?? new Intl.Collator(undefined, { sensitivity: "base" });
  const viewer = primarySubtag(viewerLanguage);
  const rank = (t: CaptionTrack) => {
    if (!viewer || primarySubtag(t.language) !== viewer) return 2;
    return viewerLanguage && sameTag(t.language, viewerLanguage) ? 0 : 1;
  };
  return [...tracks].sort(
    (a, b) => rank(a) - rank(b) || labels.compare(a.label, b.label) || a.index - b.index,
  );
}

/**
 * The track a remembered language means in this video: the same tag, else one of the same
 * language (remembered `pt-BR`, the video has `pt`), the first in `tracks`' order. Null for "off",
 * nothing remembered, or a language the video lacks.
 */
export function trackFor(
  tracks: readonly CaptionTrack[],
  choice: CaptionsChoice | null | undefined,
): CaptionTrack | null {
  if (!choice || choice === "off") return null;
  return (
    tracks.find((t) => sameTag(t.language, choice)) ??
    tracks.find((t) => t.language !== "" && primarySubtag(t.language) === primarySubtag(choice)) ??
    null
  );
}

/**
 * What the `c` key does: captions showing → off (-1); off → the last language the viewer chose
 * (when the video has it), else the first in the menu's order. Null when there are no tracks.
 */
export function toggledTrack(
  ordered: readonly CaptionTrack[],
  active: number,
  lastLanguage: string | null | undefined,
): number | null {
  if (ordered.length === 0) return null;
  if (active >= 0) return -1;
  return (trackFor(ordered, lastLanguage) ?? ordered[0])?.index ?? null;
}

/** The key a track list is known by: the same tracks again (a re-sent list) are not a new video's. */
export const tracksKey = (tracks: readonly CaptionTrack[]) =>
  tracks.map((t) => `${t.language}\u0000${t.label}`).join("\u0001");
