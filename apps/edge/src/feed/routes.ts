import { cardContext } from "../catalog/cards";
import { CardPage } from "../catalog/schemas";
import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonContent,
  optionalBearerSecurity,
  ProblemSchema,
  routesOf,
} from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller, services } from "../services";
import { FeedPage, FeedQuery, TrendingQuery } from "./schemas";
import { getFeed } from "./service";
import { subscriptionsFeed } from "./subscriptions";
import { listTrending } from "./trending";

const route = routesOf({ tags: ["feed"], security: bearerSecurity });

const expired = {
  description: "The feed this cursor walks has expired: load the feed again without a cursor",
  content: { "application/problem+json": { schema: ProblemSchema } },
} as const;

/** feed routes under /api/v1. */
export const feedRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/feed",
      summary: "The active profile's personal feed: rows of videos, each item with the reason it is there",
      description:
        "Rows: continue watching, new from subscriptions, because you watched X, trending in a category " +
        "you like, trending, popular, new (a profile without history gets trending, popular and new). A " +
        "video appears at most once in one walk of the feed (all its pages), at most twice per channel in " +
        "a row; finished videos never. `items` are the rows; pass `nextCursor` to get the next rows; an " +
        "expired cursor is 410.",
      request: { query: FeedQuery },
      responses: { 200: jsonContent(FeedPage, "Rows of the feed"), ...commonErrors, 410: expired },
    }),
    async (c) => c.json(await getFeed(...caller(c), c.req.valid("query").cursor, cardContext(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/feed/subscriptions",
      summary: "Videos of the channels the active profile follows, newest first (cursor-paginated)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(CardPage, "A page of videos"), ...commonErrors },
    }),
    async (c) => c.json(await subscriptionsFeed(...caller(c), c.req.valid("query"), cardContext(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/trending",
      security: optionalBearerSecurity,
      summary: "Trending videos, overall or in one category, by a time-decayed score (cursor-paginated)",
      description:
        "Recomputed every 30 minutes from the last week's views and likes, recent days weighing most. " +
        "A signed-in profile sees only videos within its maturity level.",
      request: { query: TrendingQuery },
      responses: { 200: jsonContent(CardPage, "A page of videos"), ...commonErrors },
    }),
    async (c) =>
      c.json(await listTrending(services(c), c.var.actor, c.req.valid("query"), cardContext(c)), 200),
  );
