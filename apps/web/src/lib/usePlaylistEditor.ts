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
 * list is read again once the calls are done. Positions are the list's as shown: a video the owner
 * may not watch (made private, held) is not shown, so a step next to one may look like no move.
 */
export function usePlaylistEditor(
  playlistId: string,
  items: Loaded<PlaylistItem[]>,
  playlist: Loaded<Playlist>,
) {
  const { t } = useTranslation("playlists");
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const inFlight = useRef(0);
  const failed = useRef(false);
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
        failed.current = true;
        items.setData(before);
        onFail();
      })
      .finally(() => {
        inFlight.current -= 1;
        if (inFlight.current === 0 && failed.current) {
          failed.current = false;
          items.reload();
          playlist.reload();
        }
      });
  }

  function move(videoId: string, direction: "up" | "down") {
    const list = shown.current ?? [];
    const from = list.findIndex((i) => i.video.id === videoId);
    const to = stepTarget(from, list.length, direction);
    if (to === null) return;
    change(
      moveEntry(list, from, to),
      () => playlistsApi.move(playlistId, videoId, to),
      () => undefined,
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
