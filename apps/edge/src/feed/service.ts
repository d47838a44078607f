/**
 * The personal feed (GET /feed), page by page.
 *
 * The first request computes the whole feed once (feed/rows.ts); when it does not fit one page, the
 * remaining rows are stored in KV (`feed:{profileId}:{snapshotId}`, FEED.snapshotTtlSeconds) and
 * the cursor names `{ snapshotId, offset }`. Later pages read only that snapshot, so a walk never
 * repeats an item, whatever changes meanwhile. A snapshot that expired is a 410 (load the feed again).
 */
import { z } from "@hono/zod-openapi";
import { requireProfile } from "../auth/permissions";
import { type CardContext, toCards } from "../catalog/cards";
import { canSee, viewerMaturity } from "../catalog/maturity";
import { AppError } from "../lib/errors";
import { randomToken } from "../lib/ids";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { buildFeed, type RowDraft } from "./rows";
import { FEED } from "./tuning";

const SnapshotKey = z.strictObject({
  s: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  o: z.number().int().min(0),
});

const snapshotKey = (profileId: string, snapshotId: string) => `feed:${profileId}:${snapshotId}`;

/** One page of the feed's rows, `{ items: rows, nextCursor }`. */
export async function getFeed(s: Services, actor: Actor, cursor: string | undefined, ctx: CardContext) {
  const profileId = requireProfile(actor, "feed.read");
  let page: RowDraft[];
  let next: { s: string; o: number } | null = null;
  if (cursor === undefined) {
    const rows = await buildFeed(s.db, profileId, viewerMaturity(actor), ctx.nowMs);
    page = rows.slice(0, FEED.rowsPerPage);
    const rest = rows.slice(FEED.rowsPerPage);
    if (rest.length > 0) {
      next = { s: randomToken(16), o: 0 };
      await s.env.SETTINGS.put(snapshotKey(profileId, next.s), JSON.stringify(rest), {
        expirationTtl: FEED.snapshotTtlSeconds,
      });
    }
  } else {
    const at = decodeCursor(cursor, "feed", SnapshotKey);
    const rest = await s.env.SETTINGS.get<RowDraft[]>(snapshotKey(profileId, at.s), "json");
    if (rest === null) throw new AppError("gone", "This feed has expired; load it again without a cursor");
    // The snapshot was ranked for the profile's level when the walk began; the level may have been
    // lowered since (a profile turned into a kids profile), so every served card is checked again.
    const level = viewerMaturity(actor);
    page = rest
      .slice(at.o, at.o + FEED.rowsPerPage)
      .map((row) => ({ ...row, items: row.items.filter((i) => canSee(level, i.card.maturity)) }))
      .filter((row) => row.items.length > 0);
    if (rest.length > at.o + FEED.rowsPerPage) next = { s: at.s, o: at.o + FEED.rowsPerPage };
  }
  const render = { signingKey: s.config.mediaSigningKey, ...ctx };
  return {
    items: await Promise.all(
      page.map(async (row) => {
        const cards = await toCards(
          row.items.map((i) => i.card),
          render,
        );
        return {
          id: row.id,
          title: row.title,
          reason: row.reason,
          items: cards.map((video, i) => {
            const item = row.items[i];
            const positionMs = item?.positionMs;
            return {
              video,
              reason: item?.reason ?? row.reason,
              ...(positionMs === undefined ? {} : { positionMs }),
            };
          }),
        };
      }),
    ),
    nextCursor: next ? encodeCursor("feed", next) : null,
  };
}
