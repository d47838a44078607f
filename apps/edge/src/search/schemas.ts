import { z } from "@hono/zod-openapi";
import { CategoryRef } from "../catalog/schemas";
import { ListQuery } from "../lib/pagination";

const Q = z
  .string()
  .trim()
  .min(1, "Type something to search for")
  .max(200, "At most 200 characters")
  .openapi({ description: "What to look for, 1–200 characters; the last word matches as a prefix" });

export const DURATIONS = ["short", "medium", "long"] as const;
export const UPLOADED = ["hour", "day", "week", "month", "year"] as const;

export const SearchQuery = ListQuery.extend({
  q: Q,
  category: CategoryRef.optional().openapi({ description: "A category id or slug" }),
  duration: z
    .enum(DURATIONS)
    .optional()
    .openapi({ description: "short: under 4 minutes; medium: 4–20 minutes; long: over 20 minutes" }),
  uploaded: z.enum(UPLOADED).optional().openapi({ description: "Published within the last hour, day, ..." }),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SuggestQuery = z.object({ q: Q });

export const Suggestion = z
  .object({ text: z.string(), kind: z.enum(["title", "tag", "channel"]) })
  .openapi("SearchSuggestion");
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionList = z.object({ items: z.array(Suggestion) }).openapi("SearchSuggestions");
