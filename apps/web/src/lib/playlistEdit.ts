/**
 * What editing a playlist does to the lists on screen, before (optimistic) or after the API says so
 * (docs/playlists.md). No API here, so it is unit-tested in Node beside it.
 */
import type { Playlist } from "./playlists";

/** The list with the entry at `from` moved to `to` (clamped to the end), as the API moves an item. */
export function moveEntry<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const next = [...list];
  const [moved] = next.splice(from, 1) as [T];
  next.splice(Math.max(0, Math.min(to, next.length)), 0, moved);
  return next;
}

/** Where "up" or "down" takes the video at `index` of `length` items, or null at either end. */
export function stepTarget(index: number, length: number, direction: "up" | "down"): number | null {
  if (index < 0 || index >= length) return null;
  const to = direction === "up" ? index - 1 : index + 1;
  return to < 0 || to >= length ? null : to;
}

/** The items without the one of `videoId`. */
export function withoutVideo<T extends { video: { id: string } }>(items: readonly T[], videoId: string): T[] {
  return items.filter((item) => item.video.id !== videoId);
}

/** The profile's playlists with Watch later first, the rest in the order given (newest first). */
export function watchLaterFirst<T extends Pick<Playlist, "kind">>(lists: readonly T[]): T[] {
  return [...lists.filter((l) => l.kind === "watch_later"), ...lists.filter((l) => l.kind !== "watch_later")];
}

/** Which playlists hold the video: true, false, or undefined when not checked. */
export type Membership = Readonly<Record<string, boolean | undefined>>;

/** How many of a profile's playlists the save dialog checks for the video (each read in full). */
export const MEMBERSHIP_CHECKS = 20;

/**
 * Asks `contains` about the first MEMBERSHIP_CHECKS lists, in parallel; a list it could not check
 * (beyond them, or a failed read) stays undefined.
 */
export async function membershipOf(
  lists: readonly Pick<Playlist, "id">[],
  contains: (playlistId: string) => Promise<boolean>,
): Promise<Membership> {
  const checked = lists.slice(0, MEMBERSHIP_CHECKS);
  const answers = await Promise.all(checked.map((l) => contains(l.id).catch(() => undefined)));
  return Object.fromEntries(checked.map((l, n) => [l.id, answers[n]]));
}
