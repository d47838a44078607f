import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  routesOf,
} from "../../lib/openapi";
import { ChannelParam, CommentParam, VideoParam } from "../../lib/params";
import { caller, services } from "../../services";
import { deleteComment } from "./deletion";
import { listComments, listReplies } from "./list";
import { approveComment, pinComment, setCommentsMode } from "./moderation";
import { createComment, editComment } from "./posting";
import {
  CommentCreate,
  CommentListQuery,
  CommentPage,
  CommentPatch,
  CommentSchema,
  CommentSettingsBody,
  CommentSettingsSchema,
  PinBody,
  PinnedSchema,
  ReplyListQuery,
  ReplyPage,
  WatchedWordsBody,
  WatchedWordsSchema,
} from "./schemas";
import * as words from "./watched-words";

const route = routesOf({ tags: ["comments"], security: bearerSecurity });

/** comments routes under /api/v1. */
export const commentsRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/comments",
      security: optionalBearerSecurity,
      summary: "Top-level comments of a video, the pinned one first",
      description:
        "Published comments, plus the caller's own held ones; the video's owner and staff also see every " +
        "held comment (status `held`, with its reason). A deleted comment that has replies shows as " +
        "`removed` (no body, no author). With comments `off`, only the owner and staff see any.",
      request: { params: VideoParam, query: CommentListQuery },
      responses: { 200: jsonContent(CommentPage, "A page of comments"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await listComments(services(c), c.var.actor, c.req.valid("param").videoId, c.req.valid("query")),
        200,
      ),
  )
  .openapi(
    route({
      method: "post",
      path: "/videos/{videoId}/comments",
      summary: "Comment on a video, or reply to a top-level comment (`parentId`)",
      description:
        "The comment is `held` for review when the video is set to hold or it contains a watched word " +
        "(global or the channel's list); otherwise it is published at once. 403 when comments are off; " +
        "429 (with Retry-After) past 10 comments a minute per profile.",
      request: { params: VideoParam, body: jsonBody(CommentCreate) },
      responses: { 201: jsonContent(CommentSchema, "Posted (published or held)"), ...commonErrors },
    }),
    async (c) =>
      c.json(await createComment(...caller(c), c.req.valid("param").videoId, c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/comments/{commentId}/replies",
      security: optionalBearerSecurity,
      summary: "Replies to a top-level comment, oldest first",
      request: { params: CommentParam, query: ReplyListQuery },
      responses: { 200: jsonContent(ReplyPage, "A page of replies"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await listReplies(services(c), c.var.actor, c.req.valid("param").commentId, c.req.valid("query")),
        200,
      ),
  )
  .openapi(
    route({
      method: "patch",
      path: "/comments/{commentId}",
      summary: "Edit a comment (its author profile only); marks it edited",
      description: "An edit that adds a watched word sends a published comment back to review.",
      request: { params: CommentParam, body: jsonBody(CommentPatch) },
      responses: { 200: jsonContent(CommentSchema, "Edited"), ...commonErrors },
    }),
    async (c) =>
      c.json(await editComment(...caller(c), c.req.valid("param").commentId, c.req.valid("json").body), 200),
  )
  .openapi(
    route({
      method: "delete",
      path: "/comments/{commentId}",
      summary: "Delete a comment (its author, the video's owner, moderators, admins)",
      description: "A comment with replies stays as a `removed` placeholder and its replies stay.",
      request: { params: CommentParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await deleteComment(...caller(c), c.req.valid("param").commentId);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/comments/{commentId}/approve",
      summary: "Publish a held comment (the video's owner, moderators, admins)",
      description: "Approving a comment that is already published changes nothing.",
      request: { params: CommentParam },
      responses: { 200: jsonContent(CommentSchema, "Published"), ...commonErrors },
    }),
    async (c) => c.json(await approveComment(...caller(c), c.req.valid("param").commentId), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/videos/{videoId}/pinned-comment",
      summary: "Pin a published top-level comment of the video, or unpin (`null`) (the video's owner)",
      request: { params: VideoParam, body: jsonBody(PinBody) },
      responses: { 200: jsonContent(PinnedSchema, "The pinned comment"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await pinComment(...caller(c), c.req.valid("param").videoId, c.req.valid("json").commentId),
        200,
      ),
  )
  .openapi(
    route({
      method: "put",
      path: "/videos/{videoId}/comment-settings",
      summary: "Comments on this video: open, held for review, or off (the video's owner)",
      request: { params: VideoParam, body: jsonBody(CommentSettingsBody) },
      responses: { 200: jsonContent(CommentSettingsSchema, "The settings"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await setCommentsMode(...caller(c), c.req.valid("param").videoId, c.req.valid("json").mode),
        200,
      ),
  )
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}/watched-words",
      summary: "The channel's watched words (its owner or an admin)",
      request: { params: ChannelParam },
      responses: { 200: jsonContent(WatchedWordsSchema, "The list"), ...commonErrors },
    }),
    async (c) => c.json(await words.getChannelWords(...caller(c), c.req.valid("param").channelId), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/channels/{channelId}/watched-words",
      summary: "Replace the channel's watched words (its owner or an admin)",
      description: "Comments on the channel's videos containing one of them are held for review.",
      request: { params: ChannelParam, body: jsonBody(WatchedWordsBody) },
      responses: { 200: jsonContent(WatchedWordsSchema, "The new list"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await words.putChannelWords(...caller(c), c.req.valid("param").channelId, c.req.valid("json").words),
        200,
      ),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/watched-words",
      tags: ["admin", "comments"],
      summary: "The global watched words (admin)",
      responses: { 200: jsonContent(WatchedWordsSchema, "The list"), ...commonErrors },
    }),
    async (c) => c.json(await words.getGlobalWords(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/admin/watched-words",
      tags: ["admin", "comments"],
      summary: "Replace the global watched words (admin); they hold comments on every video",
      request: { body: jsonBody(WatchedWordsBody) },
      responses: { 200: jsonContent(WatchedWordsSchema, "The new list"), ...commonErrors },
    }),
    async (c) => c.json(await words.putGlobalWords(...caller(c), c.req.valid("json").words), 200),
  );
