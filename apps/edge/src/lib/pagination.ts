/**
 * The one way every list of the API pages: `?limit=&cursor=` in, `{ items, nextCursor }` out.
 *
 * Cursors are opaque keysets: base64url of a small JSON object naming the list it belongs to (`k`)
 * and the sort keys of the last item served, so the next page starts strictly after it (items added
 * meanwhile never push earlier ones onto the next page, and none repeats while its keys stay put).
 * A cursor of another list, or anything that is not one we handed out, is a 400 problem at
 * `query.cursor`. Example: catalog/listings.ts (a keyset read with `keysetWhere` + `keysetPage`).
 */
import { z } from "@hono/zod-openapi";
import { and, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { AppError } from "./errors";
import { base64url } from "./ids";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_LIMIT)
  .openapi({ description: `Items per page, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})` });

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

/** The 400 for a cursor this list did not hand out (also for a decodable one whose key is wrong). */
export const badCursor = () =>
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

/** A page as every list answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The response schema of a list of `item`s, registered in openapi.json as `name`. `extra` adds
 * fields about the whole list (a count, a setting), flat beside `items` and `nextCursor`.
 */
export const pageOf = <T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  name: string,
  item: T,
  extra?: E,
) =>
  z
    .object({ items: z.array(item), nextCursor: z.string().nullable(), ...(extra ?? ({} as E)) })
    .openapi(name);

/**
 * One page of a keyset list read with `LIMIT limit + 1`: the first `limit` rows, and the cursor after
 * the last of them when the extra row shows that more follow.
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  kind: string,
  keyOf: (last: R) => Record<string, unknown>,
): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(kind, keyOf(last)) : null,
  };
}

/** One sort column of a keyset: its column, the last served item's value, and the direction. */
export interface KeysetColumn {
  column: SQLiteColumn | SQL;
  value: unknown;
  order: "asc" | "desc";
}

/**
 * The drizzle condition "strictly after the last served item" for a list ordered by `columns`
 * (the last one must be unique, usually the id): `(a after va) OR (a = va AND b after vb) …`.
 * The ORDER BY of the query must name the same columns in the same directions.
 */
export function keysetWhere(columns: KeysetColumn[]): SQL {
  // Written with `sql` rather than lt/gt/eq because a sort key may be an expression, not a column.
  const after = ({ column, value, order }: KeysetColumn) =>
    order === "desc" ? sql`${column} < ${value}` : sql`${column} > ${value}`;
  const clauses = columns.map((col, n) =>
    and(...columns.slice(0, n).map(({ column, value }) => sql`${column} = ${value}`), after(col)),
  );
  // `or` of a non-empty list of defined conditions is defined.
  return or(...clauses) as SQL;
}

/** `keysetWhere` for the common newest-first list ordered by (`time` desc, `id` desc), keyed by TimeKey. */
export const newestAfter = (time: SQLiteColumn | SQL, id: SQLiteColumn, after: TimeKey): SQL =>
  keysetWhere([
    { column: time, value: after.t, order: "desc" },
    { column: id, value: after.i, order: "desc" },
  ]);
