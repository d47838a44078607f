/**
 * Opaque keyset cursors of the discovery lists (catalogue, search, history, feed, trending): base64url of a small JSON object naming
 * the list it belongs to (`k`) and where the next page starts. A cursor of another list, or
 * anything that is not one we handed out, is a 400 problem.
 */
import { z } from "@hono/zod-openapi";
import { AppError } from "../lib/errors";
import { base64url } from "../lib/ids";

export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(50)
  .default(20)
  .openapi({ description: "Items per page, 1–50 (default 20)" });

export const Cursor = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a cursor")
  .optional()
  .openapi({ description: "nextCursor of the previous page" });

export const ListQuery = z.object({ limit: Limit, cursor: Cursor });
export type ListQuery = z.infer<typeof ListQuery>;

export function encodeCursor(kind: string, key: Record<string, unknown>): string {
  return base64url(new TextEncoder().encode(JSON.stringify({ k: kind, ...key })));
}

const badCursor = () =>
  new AppError("validation_failed", "Some fields are missing or invalid.", {
    errors: [{ path: "query.cursor", message: "Not a cursor this list gave out" }],
  });

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

/** The key a cursor of list `kind` names; a 400 problem for anything else. */
export function decodeCursor<T extends z.ZodObject>(cursor: string, kind: string, key: T): z.infer<T> {
  const json = fromBase64Url(cursor);
  if (json === null) throw badCursor();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw badCursor();
  }
  if (typeof value !== "object" || value === null || (value as { k?: unknown }).k !== kind) throw badCursor();
  const { k: _kind, ...rest } = value as Record<string, unknown>;
  const parsed = key.safeParse(rest);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}

/** Newest first: a time (ms) and the id of the last item. */
export const TimeKey = z.strictObject({ t: z.number().int(), i: z.string().min(1).max(64) });
export type TimeKey = z.infer<typeof TimeKey>;

/** By score: the last item's score and id. */
export const ScoreKey = z.strictObject({ s: z.number().finite(), i: z.string().min(1).max(64) });
export type ScoreKey = z.infer<typeof ScoreKey>;

/**
 * One page of a keyset list read with `LIMIT limit + 1`: the first `limit` rows, and the cursor after
 * the last of them when the extra row shows that more follow.
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  kind: string,
  keyOf: (last: R) => Record<string, unknown>,
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    page,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(kind, keyOf(last)) : null,
  };
}
