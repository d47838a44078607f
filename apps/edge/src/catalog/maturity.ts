import { MATURITY_LEVELS, type Maturity } from "@marquee/shared";
import { inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Actor } from "../types";

/**
 * Maturity is an order: kids < teen < adult. A profile sees a video only if the video's rating is
 * at or below the profile's level. Signed-out callers are treated as adult (like a signed-out
 * visitor of any public video site); a kids profile is the account holder's promise, enforced on
 * every discovery route and on direct fetches.
 */
export const MATURITY_RANK: Record<Maturity, number> = { kids: 0, teen: 1, adult: 2 };

/** The level a request may see. */
export function viewerMaturity(actor: Actor | null): Maturity {
  return actor?.profileMaturity ?? "adult";
}

/** Every rating a viewer at `level` may see, lowest first. */
export function allowedMaturities(level: Maturity): Maturity[] {
  return MATURITY_LEVELS.filter((m) => MATURITY_RANK[m] <= MATURITY_RANK[level]);
}

export function canSee(level: Maturity, rating: Maturity): boolean {
  return MATURITY_RANK[rating] <= MATURITY_RANK[level];
}

/** The drizzle condition "`column` is a rating the viewer at `level` may see". */
export function maturityIn(column: SQLiteColumn, level: Maturity): SQL {
  return inArray(column, allowedMaturities(level));
}

/**
 * `column IN ('kids', ...)` as text, for the hand-written SQL still outside drizzle
 * (social/notifications/inbox.ts). The values come from the closed MATURITY_LEVELS list, never
 * from input, so inlining them is safe.
 */
export function maturitySql(column: string, level: Maturity): string {
  return `${column} IN (${allowedMaturities(level)
    .map((m) => `'${m}'`)
    .join(", ")})`;
}
