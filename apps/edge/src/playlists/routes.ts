import { cardContext } from "../catalog/cards";
import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  routesOf,
} from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { ChannelParam, PlaylistItemParam, PlaylistParam } from "../lib/params";
import { caller, services } from "../services";
import {
  CreatePlaylist,
  ItemPlacement,
  MoveItem,
  Playlist,
  PlaylistItemPage,
  PlaylistPage,
  UpdatePlaylist,
} from "./schemas";
import * as playlists from "./service";

const route = routesOf({ tags: ["playlists"], security: bearerSecurity });

export const playlistRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/me/playlists",
      summary: "The active profile's playlists, newest first (Watch later among them once used)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(PlaylistPage, "The playlists"), ...commonErrors },
    }),
    async (c) => c.json(await playlists.listMine(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/playlists",
      summary: "Make a playlist (private unless said otherwise; a kids profile's stay private)",
      request: { body: jsonBody(CreatePlaylist) },
      responses: { 201: jsonContent(Playlist, "Created"), ...commonErrors },
    }),
    async (c) => c.json(await playlists.createPlaylist(...caller(c), c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/watch-later",
      summary: "The active profile's Watch later playlist (made on first use); add to it like any playlist",
      responses: { 200: jsonContent(Playlist, "Watch later"), ...commonErrors },
    }),
    async (c) => c.json(await playlists.watchLater(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/playlists",
      security: optionalBearerSecurity,
      summary: "A channel's public playlists, newest first",
      request: { params: ChannelParam, query: ListQuery },
      responses: { 200: jsonContent(PlaylistPage, "The playlists"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await playlists.listChannelPlaylists(
          services(c),
          c.var.actor,
          c.req.valid("param").channelId,
          c.req.valid("query"),
        ),
        200,
      ),
  )
  .openapi(
    route({
      method: "get",
      path: "/playlists/{playlistId}",
      security: optionalBearerSecurity,
      summary: "A playlist: anyone's public or unlisted one, or the caller's own private one (404 otherwise)",
      request: { params: PlaylistParam },
      responses: { 200: jsonContent(Playlist, "The playlist"), ...commonErrors },
    }),
    async (c) =>
      c.json(await playlists.getPlaylist(services(c), c.var.actor, c.req.valid("param").playlistId), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/playlists/{playlistId}/items",
      security: optionalBearerSecurity,
      summary: "A playlist's videos in order (only those the caller may watch)",
      request: { params: PlaylistParam, query: ListQuery },
      responses: { 200: jsonContent(PlaylistItemPage, "The items"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await playlists.listItems(
          services(c),
          c.var.actor,
          c.req.valid("param").playlistId,
          c.req.valid("query"),
          cardContext(c),
        ),
        200,
      ),
  )
  .openapi(
    route({
      method: "patch",
      path: "/playlists/{playlistId}",
      summary: "Rename, describe or share one of the active profile's playlists (not Watch later)",
      request: { params: PlaylistParam, body: jsonBody(UpdatePlaylist) },
      responses: { 200: jsonContent(Playlist, "Updated"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await playlists.updatePlaylist(...caller(c), c.req.valid("param").playlistId, c.req.valid("json")),
        200,
      ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/playlists/{playlistId}",
      summary: "Delete one of the active profile's playlists (not Watch later)",
      request: { params: PlaylistParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await playlists.deletePlaylist(...caller(c), c.req.valid("param").playlistId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "put",
      path: "/playlists/{playlistId}/items/{videoId}",
      summary: "Add a video at the end (idempotent: one already there stays where it is)",
      request: { params: PlaylistItemParam },
      responses: { 200: jsonContent(ItemPlacement, "Where it is"), ...commonErrors },
    }),
    async (c) => {
      const { playlistId, videoId } = c.req.valid("param");
      return c.json(await playlists.addItem(...caller(c), playlistId, videoId), 200);
    },
  )
  .openapi(
    route({
      method: "delete",
      path: "/playlists/{playlistId}/items/{videoId}",
      summary: "Take a video out of the playlist",
      request: { params: PlaylistItemParam },
      responses: { 204: { description: "Removed" }, ...commonErrors },
    }),
    async (c) => {
      const { playlistId, videoId } = c.req.valid("param");
      await playlists.removeItem(...caller(c), playlistId, videoId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/playlists/{playlistId}/items/{videoId}/move",
      summary: "Move a video to another position (0-based); the others close up",
      request: { params: PlaylistItemParam, body: jsonBody(MoveItem) },
      responses: { 200: jsonContent(ItemPlacement, "Where it is now"), ...commonErrors },
    }),
    async (c) => {
      const { playlistId, videoId } = c.req.valid("param");
      return c.json(
        await playlists.moveItem(...caller(c), playlistId, videoId, c.req.valid("json").position),
        200,
      );
    },
  );
