/**
 * Hiding more than one video at once (a channel held, removed or suspended; an account suspended)
 * must also end the links handed out before: playback tokens live up to PLAYBACK_TOKEN_TTL_SECONDS
 * and poster/storyboard links up to two days, and both carry the media generation they were issued
 * at (playback/revocation.ts). Bumping every video's generation makes them all stale at once.
 */
import { and, eq, ne } from "drizzle-orm";
import { videos } from "../db/schema";
import { bumpGeneration } from "../playback/revocation";
import type { Services } from "../services";
import { forEachLimited } from "../social/notifications/delivery";

/** Generation bumps in flight at once: KV takes one write per key per second, many keys in parallel. */
const REVOKE_CONCURRENCY = 16;

/**
 * Revokes the links of every live video of a channel or an account. Called after the batch that hid
 * them; a failure is logged, never thrown: the hide itself stands (listings and new playback already
 * refuse the videos), and old links then lapse on their own within the token lifetime.
 */
export async function revokeChannelMedia(
  s: Pick<Services, "db" | "env" | "log">,
  scope: { channelId: string } | { accountId: string },
): Promise<number> {
  const owner =
    "channelId" in scope ? eq(videos.channelId, scope.channelId) : eq(videos.accountId, scope.accountId);
  const rows = await s.db
    .select({ id: videos.id })
    .from(videos)
    .where(and(owner, ne(videos.status, "deleted")));
  try {
    await forEachLimited(
      rows.map((r) => r.id),
      REVOKE_CONCURRENCY,
      (videoId) => bumpGeneration(s.env.SETTINGS, videoId).then(() => undefined),
    );
  } catch (error) {
    s.log("error", { event: "channel-media-revoke-failed", ...scope, error: String(error) });
  }
  return rows.length;
}
