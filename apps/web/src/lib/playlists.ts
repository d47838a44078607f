/**
 * Playlists from the browser (docs/playlists.md): a playlist and its items, Watch later, adding a
 * video. What plays next is playlistOrder.ts's (no API there, so it is unit-tested in Node).
 * The wire types are the generated schema's (api/schema.d.ts).
 */
import { api, must } from "../api/client";
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type Playlist = Schemas["Playlist"];

/** Items a playlist page and the watch page's panel show at once (the API's largest page). */
const ITEMS_SHOWN = 100;

export const playlistsApi = {
  get: (playlistId: string) =>
    must(api.GET("/api/v1/playlists/{playlistId}", { params: { path: { playlistId } } })),
  items: (playlistId: string) =>
    must(
      api.GET("/api/v1/playlists/{playlistId}/items", {
        params: { path: { playlistId }, query: { limit: ITEMS_SHOWN } },
      }),
    ),
  watchLater: () => must(api.GET("/api/v1/me/watch-later")),
  add: (playlistId: string, videoId: string) =>
    must(
      api.PUT("/api/v1/playlists/{playlistId}/items/{videoId}", {
        params: { path: { playlistId, videoId } },
      }),
    ),
};
