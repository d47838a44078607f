import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "../ui";
import { moveEntry, stepTarget, withoutVideo } from "./playlistEdit";
import type { PlaylistItem } from "./playlistOrder";
import { type Playlist, playlistsApi } from "./playlists";
import type { Loaded } from "./useLoad";

/**
 * Arranging a playlist one owns (`pages/Playlist.tsx`): move a video up or down, or remove it. Each
 * change shows at once (optimistic); the calls go to the API one after another, in the order made.
 * A call that fails puts the list back as it was before that change, says so in a toast, and the
 * list is read again once the calls are done; so it is after moves. A move sends the neighbour's
 * `position` (its place among all the playlist's items, which the API moves by), not its place on
 * the page: a video the owner may no longer watch (made private, held) is not shown but still has
 * its place, and the page's own count would move the video beside the wrong one.
 */
export function usePlaylistEditor(
  playlistId: string,
  items: Loaded<PlaylistItem[]>,
  playlist: Loaded<Playlist>,
) {
  const { t } = useTranslation("playlists");
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const inFlight = useRef(0);
  /** Read the list again once the calls are done: a change failed, or a move renumbered it. */
  const stale = useRef(false);
  const shown = useRef(items.data);
  shown.current = items.data;

  function change(
    after: PlaylistItem[],
    call: () => Promise<unknown>,
    onDone: () => void,
    onFail: () => void,
  ) {
    const before = shown.current;
    if (!before) return;
    shown.current = after;
    items.setData(after);
    inFlight.current += 1;
    queue.current = queue.current
      .then(call)
      .then(onDone, () => {
        stale.current = true;
        items.setData(before);
        onFail();
      })
      .finally(() => {
        inFlight.current -= 1;
        if (inFlight.current === 0 && stale.current) {
          stale.current = false;
          items.reload();
          playlist.reload();
        }
      });
  }

  function move(videoId: string, direction: "up" | "down") {
    const list = shown.current ?? [];
    const from = list.findIndex((i) => i.video.id === videoId);
    const to = stepTarget(from, list.length, direction);
    const neighbour = to === null ? undefined : list[to];
    if (to === null || !neighbour) return;
    const moving = list[from] as PlaylistItem;
    // The two trade places in the list as the API numbers it too, so a next move before the list is
    // read again sends the right place.
    const swapped = list.map((i) =>
      i === moving
        ? { ...i, position: neighbour.position }
        : i === neighbour
          ? { ...i, position: moving.position }
          : i,
    );
    change(
      moveEntry(swapped, from, to),
      () => playlistsApi.move(playlistId, videoId, neighbour.position),
      () => {
        stale.current = true;
      },
      () => toast({ title: t("item.moveFailed"), tone: "danger" }),
    );
  }

  function remove(videoId: string) {
    const list = shown.current ?? [];
    const count = (delta: number) =>
      playlist.setData((p) => p && { ...p, itemCount: Math.max(0, p.itemCount + delta) });
    count(-1);
    change(
      withoutVideo(list, videoId),
      () => playlistsApi.removeItem(playlistId, videoId),
      () => toast({ title: t("item.removed"), tone: "success" }),
      () => {
        count(1);
        toast({ title: t("item.removeFailed"), tone: "danger" });
      },
    );
  }

  return { move, remove };
}
