/**
 * Opaque keyset cursors for comment lists. A cursor names the last item of the page it ends (its
 * sort keys and id), so the next page starts strictly after it: an item never appears twice while
 * its sort keys stay put, and comments posted meanwhile never push earlier ones onto the next page.
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../../lib/errors";

export type CommentSort = "top" | "newest" | "oldest";

const Position = z.strictObject({
  /** Which ordering the cursor belongs to: a cursor of one ordering is meaningless in another. */
  s: z.enum(["top", "newest", "oldest"]),
  /** Like count of the last item (top only). */
  l: z.number().int().min(0).optional(),
  /** created_at (ms) of the last item. */
  t: z.number().int().min(0),
  /** id of the last item. */
  i: z.string().min(1).max(64),
});
export type CursorPosition = z.infer<typeof Position>;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(bin, (ch) => ch.charCodeAt(0)),
    );
  } catch {
    return null;
  }
}

export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(JSON.stringify(position));
}

const badCursor = () =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "query.cursor", message: "Not a cursor this list gave out (or one of another sort)" }],
  });

/** The position a cursor names, or a 400 when it is not one this list handed out for `sort`. */
export function decodeCursor(cursor: string, sort: CommentSort): CursorPosition {
  const json = fromBase64Url(cursor);
  if (json === null) throw badCursor();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw badCursor();
  }
  const parsed = Position.safeParse(value);
  if (!parsed.success || parsed.data.s !== sort) throw badCursor();
  if (sort === "top" && parsed.data.l === undefined) throw badCursor();
  return parsed.data;
}
