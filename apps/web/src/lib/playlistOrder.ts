import type { components } from "../api/schema";

export type PlaylistItem = components["schemas"]["PlaylistItem"];

/** The video after `videoId` in the list, or null at the end (or when it is not in the list). */
export function nextInPlaylist(items: readonly PlaylistItem[], videoId: string): PlaylistItem | null {
  const at = items.findIndex((i) => i.video.id === videoId);
  return at >= 0 ? (items[at + 1] ?? null) : null;
}

/** Where a video of a playlist plays: its watch page, with the list (so the next one follows). */
export const watchInPlaylist = (videoId: string, playlistId: string) =>
  `/watch/${videoId}?list=${encodeURIComponent(playlistId)}`;

/**
 * "Play this one now": set just before the app navigates to a playlist's next video (or Play all,
 * or a click in the list), read once by that watch page. In memory, not in the history entry, so a
 * reload or a Back to the page does not start playing by itself. `focus`: the viewer was in the
 * player (keyboard), so the next player takes the focus.
 */
let pending: { videoId: string; focus: boolean } | null = null;

export function autoplayNext(videoId: string, focus = false): void {
  pending = { videoId, focus };
}

/** The request for `videoId`, taken (later calls answer null until the next `autoplayNext`). */
export function takeAutoplay(videoId: string): { focus: boolean } | null {
  if (pending?.videoId !== videoId) return null;
  const taken = { focus: pending.focus };
  pending = null;
  return taken;
}
