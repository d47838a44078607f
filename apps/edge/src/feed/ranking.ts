import type { CardRow } from "../catalog/cards";
import { decay } from "./affinity";
import type { Taste } from "./taste";
import { FEED } from "./tuning";

/**
 * The feed's order for `pool`: FEED.mix of the profile's affinity, popularity (likes, views),
 * trending velocity and freshness, each as a share of the pool's highest. Returns a sorter.
 */
export function ranker(taste: Taste, trend: Map<string, number>, pool: Iterable<CardRow>, now: number) {
  const popularity = (c: CardRow) => Math.log1p(c.viewCount + FEED.popularityLikeWeight * c.likeCount);
  let maxAffinity = 0;
  let maxPopularity = 0;
  let maxTrend = 0;
  for (const card of pool) {
    maxAffinity = Math.max(maxAffinity, taste.of(card));
    maxPopularity = Math.max(maxPopularity, popularity(card));
    maxTrend = Math.max(maxTrend, trend.get(card.id) ?? 0);
  }
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  const cache = new Map<string, number>();
  const rank = (c: CardRow) => {
    let r = cache.get(c.id);
    if (r === undefined) {
      r =
        FEED.mix.affinity * share(taste.of(c), maxAffinity) +
        FEED.mix.popularity * share(popularity(c), maxPopularity) +
        FEED.mix.trend * share(trend.get(c.id) ?? 0, maxTrend) +
        FEED.mix.freshness * decay(now - (c.publishedAt ?? 0), FEED.freshHalfLifeMs);
      cache.set(c.id, r);
    }
    return r;
  };
  return (cards: Iterable<CardRow>) => [...cards].sort((a, b) => rank(b) - rank(a));
}
