/**
 * Revoking media links already handed out. Each video has a *media generation* in KV `SETTINGS`
 * (`media-gen:{videoId}`; absent = 0). Every playback and poster token carries, signed, the
 * generation current when it was issued; `/media` reads the current one on every request, before
 * the cache, and refuses a token from an older generation. A change that narrows who may watch
 * (private, premium, a higher rating, delete) moves the generation forward, so every link issued
 * before it stops, cached segments included, while links issued afterwards work.
 *
 * KV is eventually consistent: a write is read everywhere within about a minute (reads here are
 * cached per location for GENERATION_CACHE_TTL_SECONDS, KV's minimum). That is the revocation delay.
 */
import type { Maturity, Visibility } from "@marquee/shared";
import { MATURITY_LEVELS } from "@marquee/shared";

const KEY_PREFIX = "media-gen:";
/** KV's smallest per-location cache time for reads; one read per video per location per 30 s. */
export const GENERATION_CACHE_TTL_SECONDS = 30;
/** KV's bulk read takes at most 100 keys. */
const BULK_LIMIT = 100;

export const generationKey = (videoId: string) => `${KEY_PREFIX}${videoId}`;

function parse(value: string | null | undefined): number {
  const n = value ? Number(value) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** The video's current media generation (0 if never revoked). */
export async function currentGeneration(kv: KVNamespace, videoId: string): Promise<number> {
  return parse(await kv.get(generationKey(videoId), { cacheTtl: GENERATION_CACHE_TTL_SECONDS }));
}

/** Current generations of many videos (cards), in bulk reads of up to 100 keys. */
export async function currentGenerations(kv: KVNamespace, videoIds: string[]): Promise<Map<string, number>> {
  const ids = [...new Set(videoIds)];
  const out = new Map<string, number>();
  for (let i = 0; i < ids.length; i += BULK_LIMIT) {
    const chunk = ids.slice(i, i + BULK_LIMIT);
    const values = await kv.get(chunk.map(generationKey), {
      type: "text",
      cacheTtl: GENERATION_CACHE_TTL_SECONDS,
    });
    for (const id of chunk) out.set(id, parse(values.get(generationKey(id))));
  }
  return out;
}

/**
 * Moves the video's generation forward: every media link issued before now stops working. The new
 * value is the clock in ms (and at least one more than the current), so two concurrent bumps still
 * each end above every generation handed out before them. `expirationTtl` is for deleted videos:
 * once every token issued before the delete has expired, the key is no longer needed.
 *
 * KV accepts one write per key per second; a second narrowing change within that second is retried.
 */
export async function bumpGeneration(
  kv: KVNamespace,
  videoId: string,
  options: { expirationTtl?: number } = {},
): Promise<number> {
  const next = Math.max(Date.now(), (await currentGeneration(kv, videoId)) + 1);
  for (let attempt = 1; ; attempt++) {
    try {
      await kv.put(generationKey(videoId), String(next), options);
      return next;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  }
}

/** Poster links (catalog/cards.ts) live at most this long; playback tokens PLAYBACK_TOKEN_TTL_SECONDS. */
export const POSTER_MAX_LIFETIME_SECONDS = 2 * 86_400;

/**
 * Revokes every link of a deleted video. The key outlives every token issued before the delete (no
 * new ones can be issued for a deleted video), then expires on its own.
 */
export function revokeDeletedVideo(kv: KVNamespace, videoId: string, playbackTokenTtlSeconds: number) {
  const outlives = Math.max(playbackTokenTtlSeconds, POSTER_MAX_LIFETIME_SECONDS) + 86_400;
  return bumpGeneration(kv, videoId, { expirationTtl: outlives });
}

/** Who may watch, widest first: anyone with the link, premium plans, the owner. */
const AUDIENCE: Record<Visibility, number> = { public: 2, unlisted: 2, premium: 1, private: 0 };

/**
 * Whether a change takes viewers away: a smaller audience (public/unlisted → premium → private) or a
 * higher rating (kids → teen → adult). public ↔ unlisted changes who finds it, not who may watch it.
 */
export function narrowsAudience(
  before: { visibility: Visibility; maturity: Maturity },
  after: { visibility?: Visibility; maturity?: Maturity },
): boolean {
  const visibility = after.visibility ?? before.visibility;
  const maturity = after.maturity ?? before.maturity;
  return (
    AUDIENCE[visibility] < AUDIENCE[before.visibility] ||
    MATURITY_LEVELS.indexOf(maturity) > MATURITY_LEVELS.indexOf(before.maturity)
  );
}
