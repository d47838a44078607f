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
