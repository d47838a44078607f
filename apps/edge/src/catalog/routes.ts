import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  publicSecurity,
  routesOf,
} from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { CategoryParam, ChannelParam } from "../lib/params";
import { caller, services } from "../services";
import { cardContext } from "./cards";
import * as categories from "./categories";
import * as listings from "./listings";
import {
  CardPage,
  CategoryCreate,
  CategoryList,
  CategoryPatch,
  CategorySchema,
  StudioPage,
  TagParam,
} from "./schemas";

const route = routesOf({ tags: ["categories"], security: bearerSecurity });
const discoveryRoute = routesOf({ tags: ["discovery"], security: optionalBearerSecurity });

/** catalog routes under /api/v1 (issue 5). */
export const catalogRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/categories",
      security: publicSecurity,
      summary: "Every category, ordered by position then name",
      responses: { 200: jsonContent(CategoryList, "The categories"), ...commonErrors },
    }),
    async (c) => c.json(await categories.listCategories(services(c)), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/admin/categories",
      summary: "Create a category (admins)",
      description: "409 when another category has the slug.",
      request: { body: jsonBody(CategoryCreate) },
      responses: { 201: jsonContent(CategorySchema, "Created"), ...commonErrors },
    }),
    async (c) => c.json(await categories.createCategory(...caller(c), c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "patch",
      path: "/admin/categories/{categoryId}",
      summary: "Rename, re-slug or reorder a category (admins)",
      request: { params: CategoryParam, body: jsonBody(CategoryPatch) },
      responses: { 200: jsonContent(CategorySchema, "Updated"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await categories.updateCategory(...caller(c), c.req.valid("param").categoryId, c.req.valid("json")),
        200,
      ),
  )
  .openapi(
    route({
      method: "delete",
      path: "/admin/categories/{categoryId}",
      summary: "Delete a category (admins); its videos keep going with no category",
      request: { params: CategoryParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await categories.deleteCategory(...caller(c), c.req.valid("param").categoryId);
      return c.body(null, 204);
    },
  )
  .openapi(
    discoveryRoute({
      method: "get",
      path: "/tags/{tag}/videos",
      summary: "Listed videos with this tag, newest first",
      description:
        "Public and premium videos that are watchable, within the caller's maturity level. 404 when no " +
        "such video carries the tag.",
      request: { params: TagParam, query: ListQuery },
      responses: { 200: jsonContent(CardPage, "A page of video cards"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await listings.listTagVideos(
          services(c),
          c.var.actor,
          c.req.valid("param").tag,
          c.req.valid("query"),
          cardContext(c),
        ),
        200,
      ),
  )
  .openapi(
    discoveryRoute({
      method: "get",
      path: "/channels/{channelId}/videos",
      summary: "A channel's listed videos, newest first (channel id or @handle)",
      request: { params: ChannelParam, query: ListQuery },
      responses: { 200: jsonContent(CardPage, "A page of video cards"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await listings.listChannelVideos(
          services(c),
          c.var.actor,
          c.req.valid("param").channelId,
          c.req.valid("query"),
          cardContext(c),
        ),
        200,
      ),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/videos",
      tags: ["videos"],
      summary: "The studio: the account's own videos in every state but deleted, newest first",
      request: { query: ListQuery },
      responses: { 200: jsonContent(StudioPage, "A page of videos"), ...commonErrors },
    }),
    async (c) => c.json(await listings.listMyVideos(...caller(c), c.req.valid("query"), cardContext(c)), 200),
  );
