/**
 * How a list of comments is ordered and resumed: `top` (most liked, then newest), `newest`, or
 * `oldest` (replies). Each ordering has its own cursor kind, so a cursor of one is refused by the
 * others (lib/pagination.ts); ORDER BY and the keyset condition come from the same column list.
 */
import { z } from "@hono/zod-openapi";
import { asc, desc, type SQL } from "drizzle-orm";
import { comments } from "../../db/schema";
import {
  decodeCursor,
  encodeCursor,
  type KeysetColumn,
  keysetPage,
  keysetWhere,
  type Page,
  TimeKey,
} from "../../lib/pagination";
import type { CommentRow } from "./visibility";

export type CommentSort = "top" | "newest" | "oldest";

/** The keyset of the last item served: created_at (ms) and id, plus its like count for `top`. */
const TopKey = TimeKey.extend({ l: z.number().int().min(0) });
type Key = TimeKey & { l?: number };

interface Ordering {
  key: typeof TopKey | typeof TimeKey;
  columns: (key: Key) => KeysetColumn[];
  keyOf: (c: CommentRow) => Key;
  /** A key before every item: where the rest starts when the pinned comment filled page one. */
  start: Key;
}

/** By creation time, then id: `newest` first (desc) or `oldest` first (asc). */
const byTime = (order: "asc" | "desc", start: Key): Ordering => ({
  key: TimeKey,
  columns: ({ t, i }) => [
    { column: comments.createdAt, value: t, order },
    { column: comments.id, value: i, order },
  ],
  keyOf: (c) => ({ t: c.createdAt, i: c.id }),
  start,
});

const FIRST = Number.MAX_SAFE_INTEGER;
const newest = byTime("desc", { t: FIRST, i: "~" });
const ORDERINGS: Record<CommentSort, Ordering> = {
  top: {
    key: TopKey,
    columns: (key) => [{ column: comments.likeCount, value: key.l, order: "desc" }, ...newest.columns(key)],
    keyOf: (c) => ({ l: c.likeCount, ...newest.keyOf(c) }),
    start: { l: FIRST, ...newest.start },
  },
  newest,
  oldest: byTime("asc", { t: -1, i: "!" }),
};

const kindOf = (sort: CommentSort) => `comments:${sort}`;

export const orderBy = (sort: CommentSort): SQL[] =>
  ORDERINGS[sort]
    .columns(ORDERINGS[sort].start)
    .map(({ column, order }) => (order === "desc" ? desc(column) : asc(column)));

/** "After the cursor" as a condition; a 400 when the cursor was not handed out for `sort`. */
export function afterCursor(sort: CommentSort, cursor: string): SQL {
  const { key, columns } = ORDERINGS[sort];
  return keysetWhere(columns(decodeCursor(cursor, kindOf(sort), key)));
}

/** The cursor of the page that starts after `comment`. */
export const cursorAfter = (sort: CommentSort, comment: CommentRow): string =>
  encodeCursor(kindOf(sort), ORDERINGS[sort].keyOf(comment));

/** The cursor of the page that starts at the top of the list. */
export const startCursor = (sort: CommentSort): string => encodeCursor(kindOf(sort), ORDERINGS[sort].start);

/** One page of rows read with `LIMIT limit + 1` in `orderBy(sort)`. */
export const pageIn = <R extends { c: CommentRow }>(sort: CommentSort, rows: R[], limit: number): Page<R> =>
  keysetPage(rows, limit, kindOf(sort), (last) => ORDERINGS[sort].keyOf(last.c));
