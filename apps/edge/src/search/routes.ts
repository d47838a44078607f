import { cardContext } from "../catalog/cards";
import { CardPage } from "../catalog/schemas";
import { commonErrors, createRouter, jsonContent, optionalBearerSecurity, routesOf } from "../lib/openapi";
import { services } from "../services";
import { SearchQuery, SuggestionList, SuggestQuery } from "./schemas";
import * as searching from "./service";

const route = routesOf({ tags: ["discovery"], security: optionalBearerSecurity });

/** search routes under /api/v1 (issue 5). */
export const searchRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/search",
      summary: "Search listed videos by title, tags, channel name and description",
      description:
        "Ranked by text relevance (title > tags > channel name > description) mixed with popularity; " +
        "see docs/catalog-and-search.md. Only public and premium videos that are watchable, within the " +
        "caller's maturity level. A query with no searchable word answers an empty list.",
      request: { query: SearchQuery },
      responses: { 200: jsonContent(CardPage, "A page of video cards"), ...commonErrors },
    }),
    async (c) =>
      c.json(await searching.search(services(c), c.var.actor, c.req.valid("query"), cardContext(c)), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/search/suggest",
      summary: "Up to ten completions: video titles, tags and channel names",
      request: { query: SuggestQuery },
      responses: { 200: jsonContent(SuggestionList, "Suggestions"), ...commonErrors },
    }),
    async (c) => c.json(await searching.suggest(services(c), c.var.actor, c.req.valid("query").q), 200),
  );
