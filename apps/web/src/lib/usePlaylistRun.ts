import { nextInPlaylist } from "./playlistOrder";
import { playlistsApi } from "./playlists";
import { useLoad } from "./useLoad";

/**
 * The playlist a watch page plays (`?list=`): the list and its items, and the video after this one.
 * Nothing is loaded without a list.
 */
export function usePlaylistRun(playlistId: string | null, videoId: string) {
  const playlist = useLoad(() => playlistsApi.get(playlistId ?? ""), [playlistId], {
    enabled: playlistId !== null,
  });
  const items = useLoad(() => playlistsApi.items(playlistId ?? ""), [playlistId], {
    enabled: playlistId !== null,
  });
  const list = items.data ?? [];
  return {
    playlist: playlist.data,
    /** Null until they are loaded. */
    items: items.data ?? null,
    next: playlistId ? nextInPlaylist(list, videoId) : null,
    error: playlist.error ?? items.error,
    reload: () => {
      playlist.reload();
      items.reload();
    },
  };
}
