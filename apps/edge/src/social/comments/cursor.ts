/**
 * Opaque keyset cursors for comment lists, on the shared cursor format (discovery/cursor.ts). A
 * cursor names the last item of the page it ends (its sort keys and id), so the next page starts
 * strictly after it: an item never appears twice while its sort keys stay put, and comments posted
 * meanwhile never push earlier ones onto the next page. The list kind includes the ordering: a
 * cursor of one ordering is meaningless in another (400).
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../../lib/errors";
import { decodeCursor as decodeListCursor, encodeCursor as encodeListCursor } from "../../lib/pagination";

export type CommentSort = "top" | "newest" | "oldest";

const Key = z.strictObject({
  /** Like count of the last item (top only). */
  l: z.number().int().min(0).optional(),
  /** created_at (ms) of the last item. */
  t: z.number().int().min(0),
  /** id of the last item. */
  i: z.string().min(1).max(64),
});
export type CursorPosition = z.infer<typeof Key> & { s: CommentSort };

const kindOf = (sort: CommentSort) => `comments:${sort}`;

export function encodeCursor({ s, ...key }: CursorPosition): string {
  return encodeListCursor(kindOf(s), key);
}

/** The position a cursor names, or a 400 when it is not one this list handed out for `sort`. */
export function decodeCursor(cursor: string, sort: CommentSort): CursorPosition {
  const key = decodeListCursor(cursor, kindOf(sort), Key);
  if (sort === "top" && key.l === undefined) {
    throw new AppError("validation_failed", "Some fields are missing or invalid.", {
      errors: [{ path: "query.cursor", message: "Not a cursor this list gave out" }],
    });
  }
  return { s: sort, ...key };
}
