import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  routesOf,
} from "../../lib/openapi";
import { CommentParam, VideoParam } from "../../lib/params";
import { caller, services } from "../../services";
import * as comments from "./comment-reactions";
import {
  ReactionInput,
  ReactionStateSchema,
  ReactionStatsSchema,
  StatsQuery,
  VideoReactionsSchema,
} from "./schemas";
import * as reactions from "./service";

const route = routesOf({ tags: ["reactions"], security: bearerSecurity });

/** Reactions routes under /api/v1 (docs/social.md, "Reactions"). */
export const reactionsRoutes = createRouter()
  .openapi(
    route({
      method: "put",
      path: "/videos/{videoId}/reaction",
      summary: "Like or dislike a video as the active profile (idempotent; switching moves the counts)",
      description:
        "One reaction per profile. `dislikes` is answered to the video's owner and admins only. With a " +
        "sharded hot video, other profiles' reactions in the answer may be a few seconds old.",
      request: { params: VideoParam, body: jsonBody(ReactionInput) },
      responses: {
        200: jsonContent(ReactionStateSchema, "The reaction and the video's counts"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        await reactions.setVideoReaction(...caller(c), c.req.valid("param").videoId, c.req.valid("json")),
        200,
      ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/videos/{videoId}/reaction",
      summary: "Clear the active profile's reaction to a video (idempotent)",
      request: { params: VideoParam },
      responses: {
        200: jsonContent(ReactionStateSchema, "No reaction; the video's counts"),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await reactions.clearVideoReaction(...caller(c), c.req.valid("param").videoId), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/reactions",
      security: optionalBearerSecurity,
      summary: "A video's exact like count (dislikes for its owner and admins) and the caller's reaction",
      request: { params: VideoParam },
      responses: { 200: jsonContent(VideoReactionsSchema, "Counts"), ...commonErrors },
    }),
    async (c) =>
      c.json(await reactions.getVideoReactions(services(c), c.var.actor, c.req.valid("param").videoId), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/videos/{videoId}/reactions/stats",
      summary: "Likes, dislikes and net per UTC day (the video's owner and admins)",
      description:
        "Per-day net changes of the counts, flushed from the reaction objects within a few seconds.",
      request: { params: VideoParam, query: StatsQuery },
      responses: { 200: jsonContent(ReactionStatsSchema, "Per-day stats"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await reactions.getReactionStats(
          ...caller(c),
          c.req.valid("param").videoId,
          c.req.valid("query").days,
        ),
        200,
      ),
  )
  .openapi(
    route({
      method: "put",
      path: "/comments/{commentId}/reaction",
      summary: "Like or dislike a published comment as the active profile (idempotent)",
      request: { params: CommentParam, body: jsonBody(ReactionInput) },
      responses: {
        200: jsonContent(ReactionStateSchema, "The reaction and the comment's counts"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        await comments.setCommentReaction(...caller(c), c.req.valid("param").commentId, c.req.valid("json")),
        200,
      ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/comments/{commentId}/reaction",
      summary: "Clear the active profile's reaction to a comment (idempotent)",
      request: { params: CommentParam },
      responses: {
        200: jsonContent(ReactionStateSchema, "No reaction; the comment's counts"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(await comments.clearCommentReaction(...caller(c), c.req.valid("param").commentId), 200),
  );
