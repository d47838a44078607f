/** The stream routes' zod shapes (the object's SQLite schema is schema.ts). */
import { z } from "@hono/zod-openapi";

export const ActiveStreamSchema = z
  .object({
    streamId: z.string(),
    profileId: z.string().nullable(),
    device: z.string().openapi({ example: "Chrome on Linux" }),
    startedAt: z.string().openapi({ format: "date-time" }),
    lastSeenAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("ActiveStream");

export const ActiveStreamList = z.object({ items: z.array(ActiveStreamSchema) }).openapi("ActiveStreamList");
