import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { decodeCursor, encodeCursor, TimeKey } from "../../lib/pagination";
import { afterCursor, cursorAfter, startCursor } from "./ordering";
import type { CommentRow } from "./visibility";

const comment = { likeCount: 3, createdAt: 1_700_000_000_000, id: "cmt_abc" } as CommentRow;

describe("cursors", () => {
  it("round-trip and refuse anything else with a 400", () => {
    const topKey = TimeKey.extend({ l: z.number() });
    expect(decodeCursor(cursorAfter("top", comment), "comments:top", topKey)).toEqual({
      l: 3,
      t: 1_700_000_000_000,
      i: "cmt_abc",
    });
    for (const sort of ["top", "newest", "oldest"] as const) {
      expect(() => afterCursor(sort, cursorAfter(sort, comment))).not.toThrow();
      expect(() => afterCursor(sort, startCursor(sort))).not.toThrow();
    }
    for (const [cursor, sort] of [
      [cursorAfter("top", comment), "newest"],
      [cursorAfter("newest", comment), "oldest"],
      [encodeCursor("comments:top", { t: 1, i: "cmt_a" }), "top"],
      [encodeCursor("subscriptions", { t: 1, i: "cmt_a" }), "newest"],
      ["%%%", "top"],
      ["bm90IGpzb24", "top"],
      [btoa(JSON.stringify({ s: "newest", t: -1, i: "x" })), "newest"],
    ] as const) {
      expect(() => afterCursor(sort, cursor)).toThrow(AppError);
    }
  });
});
