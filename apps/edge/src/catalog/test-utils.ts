/** Helpers for the catalog, search, feed and history tests (API walks; video rows via test/fixtures.ts). */

import { insertVideo } from "../../test/fixtures";
import { apiJson, listAll, type SeededAccount, unique } from "../../test/harness";
import type { videos } from "../db/schema";
import type { VideoCard } from "./cards";

/** A lower-case word no other test uses: a search term that matches only this test's videos. */
export const uniqueWord = (tag = "w") =>
  unique(tag)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/**
 * A video of `owner`'s channel as the pipeline leaves it in `row.status` (default ready, public,
 * ten minutes long): published now and playable when ready, `deleted_at` set when deleted.
 */
export function storedVideo(
  owner: Pick<SeededAccount, "channelId" | "accountId">,
  row: Partial<typeof videos.$inferInsert> = {},
): Promise<string> {
  const status = row.status ?? "ready";
  return insertVideo(owner, {
    id: `vid_${uniqueWord("c")}`,
    title: "Clip",
    status,
    playable: status === "ready",
    publishedAt: status === "ready" ? Date.now() : null,
    deletedAt: status === "deleted" ? Date.now() : null,
    durationMs: 600_000,
    ...row,
  });
}

/** Every item of a card list, page by page (asserting each page is 200), in order. */
export const walk = (path: string, token?: string, limit = 2) => listAll<VideoCard>(path, token, limit);

export const ids = (cards: { id: string }[]) => cards.map((c) => c.id);

/** An admin-made category with unique slug. */
export async function makeCategory(admin: SeededAccount, name = "Category", position?: number) {
  return apiJson<{ id: string; slug: string; name: string; position: number }>(
    "/api/v1/admin/categories",
    201,
    {
      method: "POST",
      token: admin.accessToken,
      json: { slug: uniqueWord("cat"), name, ...(position !== undefined ? { position } : {}) },
    },
  );
}
