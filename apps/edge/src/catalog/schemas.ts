import { z } from "@hono/zod-openapi";
import { pageOf } from "../lib/pagination";
import { SingleLineText } from "../lib/text";
import { Tag, VideoSchema } from "../videos/schemas";
import { VideoCard } from "./cards";

export const CategorySlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Lower-case letters and digits, words joined by single hyphens")
  .max(40, "At most 40 characters")
  .openapi({ example: "science-tech" });
const CategoryName = SingleLineText(1, 60).openapi({ description: "1–60 characters, one line" });
const Position = z
  .number()
  .int()
  .min(0)
  .max(100_000)
  .openapi({ description: "Sort order of the public list (ascending, then name)" });

export const CategorySchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), position: z.number().int() })
  .openapi("Category");
export type CategoryView = z.infer<typeof CategorySchema>;

export const CategoryList = z.object({ items: z.array(CategorySchema) }).openapi("CategoryList");

export const CategoryCreate = z
  .strictObject({ slug: CategorySlug, name: CategoryName, position: Position.optional() })
  .openapi("CategoryCreate");
export type CategoryCreate = z.infer<typeof CategoryCreate>;

export const CategoryPatch = z
  .strictObject({
    slug: CategorySlug.optional(),
    name: CategoryName.optional(),
    position: Position.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change")
  .openapi("CategoryPatch");
export type CategoryPatch = z.infer<typeof CategoryPatch>;

/** A category named in a query (`?category=`): its id or its slug. */
export const CategoryRef = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "A category id or slug");

export const TagParam = z.object({
  tag: Tag.openapi({ description: "Normalised like video tags (trimmed, lower case, one space)" }),
});

/** A page of video cards: every card list answers it (tags, channels, search, trending, subscriptions). */
export const CardPage = pageOf("VideoCardPage", VideoCard);

/** A studio row: the owner's full view of the video, plus its poster once it has one. */
export const StudioVideo = VideoSchema.extend({
  posterUrl: z.string().nullable().openapi({
    description:
      "Poster image once the video is playable (null before); the link is valid for at least a day",
  }),
}).openapi("StudioVideo");

export const StudioPage = pageOf("StudioVideoPage", StudioVideo);
