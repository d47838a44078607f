import { DAY_MS } from "./affinity";

/** How the personal feed is built and paged (feed/reads.ts, feed/rows.ts, feed/service.ts). */
export const FEED = {
  /** Items per row, at most. */
  rowSize: 20,
  /** Items of one channel per row, at most. */
  perChannel: 2,
  /** Rows per page. */
  rowsPerPage: 4,
  /** "because you watched X" and "trending in <category>" rows, at most each. */
  anchorRows: 2,
  categoryRows: 2,
  snapshotTtlSeconds: 300,
  /** Subscription videos younger than this make "new from subscriptions". */
  subscriptionWindowMs: 30 * DAY_MS,
  /** Newest videos of the favourite channels considered. */
  channelWindowMs: 90 * DAY_MS,
  /** Freshness halves every week. */
  freshHalfLifeMs: 7 * DAY_MS,
  /** The ranking mix: affinity, popularity (likes, views), trending velocity, freshness. */
  mix: { affinity: 0.45, popularity: 0.2, trend: 0.2, freshness: 0.15 },
  /** popularity = log(1 + views + this · likes). */
  popularityLikeWeight: 2,
  /** Candidates read per source. */
  candidates: 60,
} as const;
