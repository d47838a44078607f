/**
 * Writes a run of the maturity property straight into D1: the run's channels and videos, then the
 * three profiles' levels, history, likes, subscriptions and affinities (replacing the last run's).
 */
import type { Maturity } from "@marquee/shared";
import { eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  accounts,
  channels,
  playbackEvents,
  profileAffinities,
  profiles,
  subscriptions,
  videoReactionIndex,
  videos,
  videoViewDays,
  watchHistory,
} from "../../src/db/schema";
import { testDb } from "../fixtures";
import type { SeededAccount } from "../harness";
import { CHANNELS, type GenProfile, type GenVideo, type StoredVideo } from "./catalogue";

type Statement = BatchItem<"sqlite">;

async function runBatch(statements: Statement[]): Promise<void> {
  if (statements.length > 0) await testDb().batch(statements as [Statement, ...Statement[]]);
}

/** Channels (the first is the viewer's own) and videos of one run. */
export async function writeCatalogue(
  run: string,
  gen: GenVideo[],
  viewer: SeededAccount,
  categoryIds: string[],
): Promise<{ videos: StoredVideo[]; channels: string[] }> {
  const db = testDb();
  const now = Date.now();
  const channelIds = [viewer.channelId as string];
  const owners = [viewer.accountId];
  const statements: Statement[] = [];
  for (let c = 1; c < CHANNELS; c++) {
    const accountId = `acc_${run}o${c}`;
    const channelId = `chn_${run}c${c}`;
    statements.push(
      db
        .insert(accounts)
        .values({ id: accountId, email: `${run}-${c}@example.test`, displayName: "Property owner" }),
      db.insert(channels).values({
        id: channelId,
        accountId,
        handle: `${run}c${c}`.slice(0, 30),
        name: `Property channel ${c}`,
      }),
    );
    channelIds.push(channelId);
    owners.push(accountId);
  }
  const stored: StoredVideo[] = gen.map((v, i) => {
    const marker = `mk${run}x${i}`;
    const title = [...v.words, marker].join(" ");
    const listed =
      (v.visibility === "public" || v.visibility === "premium") &&
      (v.state === "ready" || v.state === "processing_playable");
    return { ...v, id: `vid_${run}v${i}`, channelId: channelIds[v.channel] as string, title, marker, listed };
  });
  for (const v of stored) {
    const status =
      v.state === "processing_playable" ? "processing" : v.state === "deleted" ? "deleted" : v.state;
    const published = v.state === "ready" || v.state === "processing_playable" || v.state === "deleted";
    statements.push(
      db.insert(videos).values({
        id: v.id,
        channelId: v.channelId,
        accountId: owners[v.channel] as string,
        title: v.title,
        description: `About ${v.words.join(" and ")}`,
        tags: v.tags,
        categoryId: v.category === null ? null : categoryIds[v.category],
        visibility: v.visibility,
        status,
        playable: v.state === "ready" || v.state === "processing_playable",
        progress: v.state === "ready" ? 100 : 40,
        durationMs: v.durationS * 1000,
        sourceKey: `videos/${v.id}/source`,
        sourceSize: 1000,
        sourceType: "video/mp4",
        publishedAt: published ? now - v.ageHours * 3_600_000 : null,
        deletedAt: v.state === "deleted" ? now : null,
        maturity: v.maturity,
        viewCount: v.views,
        likeCount: v.likes,
      }),
    );
    if (v.views > 0) {
      statements.push(
        db.insert(videoViewDays).values({
          videoId: v.id,
          day: new Date(now).toISOString().slice(0, 10),
          views: v.views,
          watchedMs: v.views * v.durationS * 400,
        }),
      );
    }
  }
  await runBatch(statements);
  return { videos: stored, channels: channelIds };
}

/** Retires a run's catalogue, so later runs (and shrinking) see only their own videos. */
export async function retireCatalogue(stored: StoredVideo[]): Promise<void> {
  await testDb()
    .update(videos)
    .set({ status: "deleted", deletedAt: Date.now() })
    .where(
      inArray(
        videos.id,
        stored.map((v) => v.id),
      ),
    );
}

/** Levels, then history, likes, subscriptions and affinities of the three profiles. */
export async function writeProfiles(
  seeded: { id: string; maturity: Maturity }[],
  gen: GenProfile[],
  stored: StoredVideo[],
  channelIds: string[],
  categoryIds: string[],
): Promise<void> {
  const db = testDb();
  const now = Date.now();
  const statements: Statement[] = [];
  for (const [i, p] of seeded.entries()) {
    const g = gen[i] as GenProfile;
    statements.push(
      db.update(profiles).set({ maturity: p.maturity }).where(eq(profiles.id, p.id)),
      db.delete(watchHistory).where(eq(watchHistory.profileId, p.id)),
      db.delete(videoReactionIndex).where(eq(videoReactionIndex.profileId, p.id)),
      db.delete(subscriptions).where(eq(subscriptions.profileId, p.id)),
      db.delete(profileAffinities).where(eq(profileAffinities.profileId, p.id)),
      db.delete(playbackEvents).where(eq(playbackEvents.profileId, p.id)),
    );
    const affinity = new Map<string, { score: number; last: string }>();
    const credit = (v: StoredVideo, weight: number) => {
      const keys: [string, string][] = [
        ["channel", v.channelId],
        ...v.tags.map((t): [string, string] => ["tag", t]),
        ...(v.category === null ? [] : [["category", categoryIds[v.category] as string] as [string, string]]),
      ];
      for (const [kind, key] of keys) {
        const cur = affinity.get(`${kind}|${key}`) ?? { score: 0, last: v.id };
        affinity.set(`${kind}|${key}`, { score: cur.score + weight, last: v.id });
      }
    };
    // History and likes may name any video, above-level ones included (watched when the profile
    // was older, or liked before its level was lowered): the routes must still hide them.
    const watched = new Set<string>();
    for (const h of g.history) {
      const v = stored[h.video % stored.length] as StoredVideo;
      if (watched.has(v.id) || v.state === "awaiting_upload") continue;
      watched.add(v.id);
      const at = now - h.hoursAgo * 3_600_000;
      const position = h.completed ? v.durationS * 1000 : Math.floor(v.durationS * 1000 * h.fraction);
      statements.push(
        db.insert(watchHistory).values({
          profileId: p.id,
          videoId: v.id,
          positionMs: position,
          watchedMs: position,
          completed: h.completed,
          firstWatchedAt: at,
          lastWatchedAt: at,
        }),
      );
      credit(v, h.completed ? 1 : 0.5);
    }
    for (const l of g.likes) {
      const v = stored[l % stored.length] as StoredVideo;
      statements.push(
        db
          .insert(videoReactionIndex)
          .values({ profileId: p.id, videoId: v.id, value: "like", reactedAt: now })
          .onConflictDoNothing(),
      );
      credit(v, 0.3);
    }
    for (const c of g.subscriptions) {
      statements.push(
        db.insert(subscriptions).values({ profileId: p.id, channelId: channelIds[c] as string }),
      );
    }
    for (const [k, a] of affinity) {
      const [kind, key] = k.split("|") as ["channel" | "tag" | "category", string];
      statements.push(
        db.insert(profileAffinities).values({
          profileId: p.id,
          kind,
          key,
          score: a.score,
          lastVideoId: a.last,
          updatedAt: now,
        }),
      );
    }
  }
  await runBatch(statements);
}
