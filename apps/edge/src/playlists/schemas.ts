import { z } from "@hono/zod-openapi";
import { VideoCard } from "../catalog/cards";
import { pageOf } from "../lib/pagination";
import { MultiLineText, SingleLineText } from "../lib/text";

const Visibility = z.enum(["public", "unlisted", "private"]);

export const CreatePlaylist = z.strictObject({
  title: SingleLineText(1, 150),
  description: MultiLineText(5000).optional(),
  visibility: Visibility.default("private"),
});
export const UpdatePlaylist = z.strictObject({
  title: SingleLineText(1, 150).optional(),
  description: MultiLineText(5000).optional(),
  visibility: Visibility.optional(),
});
export const MoveItem = z.strictObject({
  position: z.number().int().min(0).max(100_000).openapi({ description: "0-based; past the end means last" }),
});

export const Playlist = z
  .object({
    id: z.string(),
    kind: z.enum(["playlist", "watch_later"]),
    title: z.string(),
    description: z.string(),
    visibility: Visibility,
    itemCount: z
      .number()
      .int()
      .openapi({ description: "Every item, including videos this reader cannot watch" }),
    channel: z
      .object({ id: z.string(), handle: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "The owning account's channel, for a public playlist" }),
    mine: z.boolean().openapi({ description: "The caller's active profile owns it" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Playlist");

export const PlaylistPage = pageOf("PlaylistPage", Playlist);

export const PlaylistItem = z
  .object({ position: z.number().int(), addedAt: z.string(), video: VideoCard })
  .openapi("PlaylistItem");
export const PlaylistItemPage = pageOf("PlaylistItemPage", PlaylistItem);

export const ItemPlacement = z
  .object({ videoId: z.string(), position: z.number().int(), added: z.boolean().optional() })
  .openapi("PlaylistItemPlacement");
