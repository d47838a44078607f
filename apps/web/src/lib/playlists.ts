/**
 * Playlists from the browser (docs/playlists.md): a playlist and its items, Watch later, adding a
 * video. What plays next is playlistOrder.ts's (no API there, so it is unit-tested in Node).
 * The wire types are the generated schema's (api/schema.d.ts).
 */
import { api, must } from "../api/client";
import type { components } from "../api/schema";
import { cursorQuery } from "./usePagedList";

type Schemas = components["schemas"];
export type Playlist = Schemas["Playlist"];
export type PlaylistVisibility = Playlist["visibility"];
export interface PlaylistFields {
  title: string;
  description?: string;
  visibility: PlaylistVisibility;
}

/** The API's largest page. */
const PAGE = 100;

export const playlistsApi = {
  get: (playlistId: string) =>
    must(api.GET("/api/v1/playlists/{playlistId}", { params: { path: { playlistId } } })),
  /** Every item, page after page (a playlist holds at most 500): playing a list needs them all. */
  items: async (playlistId: string) => {
    const all: Schemas["PlaylistItem"][] = [];
    let cursor: string | undefined;
    do {
      const page = await must(
        api.GET("/api/v1/playlists/{playlistId}/items", {
          params: { path: { playlistId }, query: { limit: PAGE, ...cursorQuery(cursor) } },
        }),
      );
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  },
  watchLater: () => must(api.GET("/api/v1/me/watch-later")),
  /** The active profile's playlists, newest first, page after page (a profile has at most 200). */
  mine: async () => {
    const all: Playlist[] = [];
    let cursor: string | undefined;
    do {
      const page = await must(
        api.GET("/api/v1/me/playlists", { params: { query: { limit: PAGE, ...cursorQuery(cursor) } } }),
      );
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  },
  /** Whether `videoId` is in the list (reads every item the profile may watch). */
  contains: async (playlistId: string, videoId: string) =>
    (await playlistsApi.items(playlistId)).some((item) => item.video.id === videoId),
  create: (body: PlaylistFields) => must(api.POST("/api/v1/me/playlists", { body })),
  update: (playlistId: string, body: Partial<PlaylistFields>) =>
    must(api.PATCH("/api/v1/playlists/{playlistId}", { params: { path: { playlistId } }, body })),
  remove: (playlistId: string) =>
    must(api.DELETE("/api/v1/playlists/{playlistId}", { params: { path: { playlistId } } })),
  removeItem: (playlistId: string, videoId: string) =>
    must(
      api.DELETE("/api/v1/playlists/{playlistId}/items/{videoId}", {
        params: { path: { playlistId, videoId } },
      }),
    ),
  /** Moves a video to `position` (0-based, counting every item; past the end means last). */
  move: (playlistId: string, videoId: string, position: number) =>
    must(
      api.POST("/api/v1/playlists/{playlistId}/items/{videoId}/move", {
        params: { path: { playlistId, videoId } },
        body: { position },
      }),
    ),
  add: (playlistId: string, videoId: string) =>
    must(
      api.PUT("/api/v1/playlists/{playlistId}/items/{videoId}", {
        params: { path: { playlistId, videoId } },
      }),
    ),
};
