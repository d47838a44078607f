/**
 * The path parameters of the API, one schema each, so every route names an entity the same way
 * and gives the same 400 for a malformed id. Ids are `newId`s (`prefix_base32`); a channel may
 * also be named by its @handle.
 */
import { z } from "@hono/zod-openapi";

/** A path id as this API makes them (`newId`: `prefix_base32`), e.g. `entityId("video")`. */
export const entityId = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z]+_[a-z0-9]+$/, `Not ${/^[aeiou]/.test(what) ? "an" : "a"} ${what} id`);

export const VideoParam = z.object({ videoId: entityId("video") });
export const CommentParam = z.object({ commentId: entityId("comment") });
export const ProfileParam = z.object({ profileId: entityId("profile") });
export const CategoryParam = z.object({ categoryId: entityId("category") });
export const PlaylistParam = z.object({ playlistId: entityId("playlist") });
export const PlaylistItemParam = PlaylistParam.extend({ videoId: entityId("video") });
/** A stream id as AccountStreams makes them (`stream_<32 hex>`). */
export const StreamParam = z.object({ streamId: entityId("stream") });
/** A plan id: lower-case words (`free`, `standard`, `premium`): plans are named, not `newId`s. */
export const PlanId = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_-]*$/, "Not a plan id");
export const PlanParam = z.object({ planId: PlanId });

/** A channel by id or @handle, like GET /channels/{channelId}. */
export const ChannelParam = z.object({
  channelId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^@?[A-Za-z0-9_]+$/, "A channel id or @handle"),
});

/**
 * A caption language: a BCP 47 tag of a language and up to two subtags (`en`, `pt-BR`,
 * `zh-Hant-TW`); the service spells it canonically (`Intl.getCanonicalLocales`).
 */
export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,2}$/;
export const CaptionParam = VideoParam.extend({
  language: z.string().min(2).max(35).regex(LANGUAGE_TAG, "A language tag such as en or pt-BR"),
});
