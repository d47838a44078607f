/** Helpers for the catalog and search tests: videos written straight into D1 in a chosen state. */
import { env } from "cloudflare:test";
import type { Maturity } from "@marquee/shared";
import { apiJson, type SeededAccount, unique } from "../../test/harness";
import type { VideoCard } from "./cards";

export interface StoredVideo {
  title?: string;
  description?: string;
  tags?: string[];
  visibility?: "public" | "unlisted" | "private" | "premium";
  status?: "awaiting_upload" | "uploaded" | "processing" | "ready" | "failed" | "deleted";
  playable?: boolean;
  maturity?: Maturity;
  categoryId?: string | null;
  durationMs?: number | null;
  /** Defaults to now for ready videos, null otherwise (as the pipeline does). */
  publishedAt?: number | null;
  likeCount?: number;
  viewCount?: number;
}

/** A lower-case word no other test uses: a search term that matches only this test's videos. */
export const uniqueWord = (tag = "w") =>
  unique(tag)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/** A video of `owner`'s channel, ready and public unless told otherwise. Returns its id. */
export async function storedVideo(owner: SeededAccount, setup: StoredVideo = {}): Promise<string> {
  const id = `vid_${uniqueWord("c")}`;
  const status = setup.status ?? "ready";
  const playable = setup.playable ?? status === "ready";
  const publishedAt =
    setup.publishedAt !== undefined ? setup.publishedAt : status === "ready" ? Date.now() : null;
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, description, tags, visibility, status, playable,
                         maturity, category_id, duration_ms, published_at, like_count, view_count,
                         deleted_at, source_key, source_size, source_type)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 10, 'video/mp4')`,
  )
    .bind(
      id,
      owner.channelId,
      owner.accountId,
      setup.title ?? "Clip",
      setup.description ?? "",
      JSON.stringify(setup.tags ?? []),
      setup.visibility ?? "public",
      status,
      playable ? 1 : 0,
      setup.maturity ?? "adult",
      setup.categoryId ?? null,
      setup.durationMs === undefined ? 60_000 : setup.durationMs,
      publishedAt,
      setup.likeCount ?? 0,
      setup.viewCount ?? 0,
      status === "deleted" ? Date.now() : null,
      `videos/${id}/source`,
    )
    .run();
  return id;
}

export interface CardPageJson {
  items: VideoCard[];
  nextCursor: string | null;
}

/** Every item of a card list, page by page (asserting each page is 200), in order. */
export async function walk(path: string, token?: string, limit = 2): Promise<VideoCard[]> {
  const items: VideoCard[] = [];
  let cursor: string | null = null;
  const sep = path.includes("?") ? "&" : "?";
  for (let pages = 0; pages < 100; pages++) {
    const page: CardPageJson = await apiJson<CardPageJson>(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      200,
      { token },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("the list never ended");
}

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
