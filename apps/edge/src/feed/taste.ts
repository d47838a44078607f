import type { CardRow } from "../catalog/cards";
import { AFFINITY_WEIGHTS } from "./affinity";

type TasteKind = "category" | "channel" | "tag";

/** Category, channel and tag weights of a profile, decayed to the request's time (feed/rows.ts). */
export class Taste {
  readonly category = new Map<string, number>();
  readonly channel = new Map<string, number>();
  readonly tag = new Map<string, number>();

  add(kind: TasteKind, key: string | null, weight: number) {
    if (key === null || weight <= 0) return;
    const map = this[kind];
    map.set(key, (map.get(key) ?? 0) + weight);
  }

  addVideo(video: Pick<CardRow, "categoryId" | "channelId" | "tags">, weight: number) {
    this.add("category", video.categoryId, weight);
    this.add("channel", video.channelId, weight);
    for (const tag of video.tags.slice(0, AFFINITY_WEIGHTS.maxTags)) {
      this.add("tag", tag, weight * AFFINITY_WEIGHTS.tagFactor);
    }
  }

  of(card: CardRow): number {
    let score = (this.category.get(card.categoryId ?? "") ?? 0) + (this.channel.get(card.channelId) ?? 0);
    for (const tag of card.tags.slice(0, AFFINITY_WEIGHTS.maxTags)) score += this.tag.get(tag) ?? 0;
    return score;
  }

  get empty() {
    return this.category.size + this.channel.size + this.tag.size === 0;
  }
}
