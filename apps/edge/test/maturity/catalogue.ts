/**
 * The catalogues the maturity property draws: random videos (rating, visibility, state, channel,
 * category, tags, title words) and three profiles' history, likes and subscriptions, plus the
 * hand-made EXAMPLE that gives every route family something of every level to show.
 */
import type { Maturity } from "@marquee/shared";
import fc from "fast-check";

export const RANK: Record<Maturity, number> = { kids: 0, teen: 1, adult: 2 };
/** Words no other test file uses, so search and suggestions see only this file's catalogue. */
export const WORDS = ["quokka", "marimba", "zephyrine", "tundrafox", "saffronia", "nebulous"] as const;
export const TAGS = ["origamiprop", "kayakprop", "falafelprop", "glacierprop"] as const;
export const CHANNELS = 3;

export type VideoState =
  | "ready"
  | "processing_playable"
  | "processing"
  | "failed"
  | "deleted"
  | "awaiting_upload";

export interface GenVideo {
  maturity: Maturity;
  visibility: "public" | "premium" | "unlisted" | "private";
  state: VideoState;
  channel: number;
  category: number | null;
  tags: string[];
  words: string[];
  ageHours: number;
  durationS: number;
  views: number;
  likes: number;
}

export interface GenProfile {
  maturity: Maturity;
  history: { video: number; completed: boolean; fraction: number; hoursAgo: number }[];
  likes: number[];
  subscriptions: number[];
}

const videoArb: fc.Arbitrary<GenVideo> = fc.record({
  maturity: fc.constantFrom<Maturity>("kids", "teen", "adult"),
  visibility: fc.constantFrom("public", "public", "public", "premium", "unlisted", "private"),
  state: fc.constantFrom<VideoState>(
    "ready",
    "ready",
    "ready",
    "ready",
    "processing_playable",
    "processing",
    "failed",
    "deleted",
    "awaiting_upload",
  ),
  channel: fc.nat({ max: CHANNELS - 1 }),
  category: fc.option(fc.nat({ max: 1 }), { nil: null }),
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
  words: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  ageHours: fc.integer({ min: 1, max: 24 * 40 }),
  durationS: fc.integer({ min: 20, max: 4000 }),
  views: fc.nat({ max: 400 }),
  likes: fc.nat({ max: 40 }),
});

const profileArb = (maturity: fc.Arbitrary<Maturity>): fc.Arbitrary<GenProfile> =>
  fc.record({
    maturity,
    history: fc.array(
      fc.record({
        video: fc.nat(),
        completed: fc.boolean(),
        fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        hoursAgo: fc.integer({ min: 0, max: 24 * 20 }),
      }),
      { maxLength: 8 },
    ),
    likes: fc.uniqueArray(fc.nat(), { maxLength: 6 }),
    subscriptions: fc.uniqueArray(fc.nat({ max: CHANNELS - 1 }), { maxLength: CHANNELS }),
  });

export const catalogueArb = fc.record({
  videos: fc.array(videoArb, { minLength: 3, maxLength: 18 }),
  profiles: fc.tuple(
    profileArb(fc.constant<Maturity>("kids")),
    profileArb(fc.constantFrom<Maturity>("kids", "teen", "adult")),
    profileArb(fc.constantFrom<Maturity>("kids", "teen")),
  ),
});

export const LEVELS: readonly Maturity[] = ["kids", "teen", "adult"];
/** Route families that must show each level something of its own level (see the header). */
export const FAMILIES = [
  "feed",
  "feed/subscriptions",
  "search",
  "search/suggest",
  "tags",
  "channels",
  "trending",
  "me/history",
] as const;

/**
 * Every level on every channel, all public and ready, tagged, titled, recent and watched; three
 * profiles (kids, adult, teen) that watched, liked and subscribed to everything.
 */
export const EXAMPLE: { videos: GenVideo[]; profiles: [GenProfile, GenProfile, GenProfile] } = (() => {
  const videos: GenVideo[] = [];
  LEVELS.forEach((maturity, level) => {
    for (let channel = 0; channel < CHANNELS; channel++) {
      videos.push({
        maturity,
        visibility: "public",
        state: "ready",
        channel,
        category: 0,
        tags: [TAGS[channel] as string, TAGS[3] as string],
        words: [WORDS[0], WORDS[(level * CHANNELS + channel) % WORDS.length] as string].filter(
          (w, i, all) => all.indexOf(w) === i,
        ),
        ageHours: 2 + level * CHANNELS + channel,
        durationS: 120,
        views: 300 - level * 10 - channel,
        likes: 30,
      });
    }
  });
  const profile = (maturity: Maturity): GenProfile => ({
    maturity,
    history: videos.map((_, video) => ({
      video,
      completed: video % 2 === 0,
      fraction: 0.5,
      hoursAgo: video,
    })),
    likes: videos.map((_, i) => i),
    subscriptions: [0, 1, 2],
  });
  return { videos, profiles: [profile("kids"), profile("adult"), profile("teen")] };
})();

/** A video of a run as written to D1. */
export interface StoredVideo extends GenVideo {
  id: string;
  channelId: string;
  title: string;
  /** A word only this video's title has, to spot it in suggestion texts. */
  marker: string;
  listed: boolean;
}
