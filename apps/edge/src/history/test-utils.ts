/** Helpers for the tests that send player beacons (history, feed, trending). */
import { eq, sql } from "drizzle-orm";
import { testDb } from "../../test/fixtures";
import { api, apiJson, unique } from "../../test/harness";
import { playbackEvents, profileAffinities, videos, videoViewDays } from "../db/schema";
import type { BeaconKind } from "./schemas";

export interface Entry {
  video: { id: string; title: string; maturity: string };
  positionMs: number;
  watchedMs: number;
  completed: boolean;
  lastWatchedAt: string;
}
export interface HistoryPageJson {
  items: Entry[];
  nextCursor: string | null;
}

/** GET /me/history (200 expected); `query` is e.g. "?limit=2". */
export const history = (token: string, query = "") =>
  apiJson<HistoryPageJson>(`/api/v1/me/history${query}`, 200, { token });
export const entry = (token: string, videoId: string) => api(`/api/v1/me/history/${videoId}`, { token });

export const affinityCount = (profileId: string) =>
  testDb().$count(profileAffinities, eq(profileAffinities.profileId, profileId));

export const storedBeacons = (profileId: string) =>
  testDb().$count(playbackEvents, eq(playbackEvents.profileId, profileId));

/**
 * Moves the profile's stored receipts `ms` into the past: the next batch comes that much later by
 * the receipt clock, which budgets a profile's played time (beacons.budget.test.ts) and windows
 * the sessions it opens per hour.
 */
export const ageReceipts = (profileId: string, ms: number) =>
  testDb()
    .update(playbackEvents)
    .set({ receivedAt: sql`${playbackEvents.receivedAt} - ${ms}` })
    .where(eq(playbackEvents.profileId, profileId));

export interface BeaconInput {
  id?: string;
  videoId: string;
  sessionId?: string;
  kind: BeaconKind;
  positionMs: number;
  playedMs?: number;
  /** ms; default now. */
  at?: number;
}

export function beacon(b: BeaconInput) {
  return {
    id: b.id ?? unique("bcn").replace(/[^A-Za-z0-9_-]/g, ""),
    videoId: b.videoId,
    sessionId: b.sessionId ?? "session1",
    kind: b.kind,
    positionMs: b.positionMs,
    ...(b.playedMs !== undefined ? { playedMs: b.playedMs } : {}),
    occurredAt: new Date(b.at ?? Date.now()).toISOString(),
  };
}

/** A heartbeat beacon: how far playback got and how much was played since the last beacon. */
export const heartbeat = (b: Omit<BeaconInput, "kind">) => beacon({ ...b, kind: "heartbeat" });

export interface Receipt {
  accepted: number;
  duplicates: number;
  rejected: { id: string; reason: string }[];
}

/** A beacon as sent, possibly with the analytics fields (source, qoe, ranges…) added to `beacon()`'s. */
export type WireBeacon = ReturnType<typeof beacon> & Record<string, unknown>;

export function sendBeacons(token: string, beacons: WireBeacon[]): Promise<Receipt> {
  return apiJson<Receipt>("/api/v1/events/playback", 202, { method: "POST", token, json: { beacons } });
}

/** A watch session: a start, then heartbeats every 30 s up to `untilMs`, played time matching. */
export function watchSession(videoId: string, untilMs: number, endAt = Date.now()) {
  const session = unique("s").replace(/[^A-Za-z0-9_-]/g, "");
  const steps = Math.max(1, Math.ceil(untilMs / 30_000));
  const start = endAt - steps * 30_000;
  const out = [beacon({ videoId, sessionId: session, kind: "start", positionMs: 0, at: start })];
  for (let i = 1; i <= steps; i++) {
    out.push(
      heartbeat({
        videoId,
        sessionId: session,
        positionMs: Math.min(i * 30_000, untilMs),
        playedMs: 30_000,
        at: start + i * 30_000,
      }),
    );
  }
  return out;
}

/** A video's view count, its per-day views and watch time summed, and how many of those rows are today's. */
export async function videoCounters(videoId: string) {
  const today = new Date().toISOString().slice(0, 10);
  const [video, days] = await Promise.all([
    testDb().select({ views: videos.viewCount }).from(videos).where(eq(videos.id, videoId)).get(),
    testDb().select().from(videoViewDays).where(eq(videoViewDays.videoId, videoId)),
  ]);
  return {
    views: video?.views,
    dayViews: days.reduce((n, d) => n + d.views, 0),
    dayWatched: days.reduce((n, d) => n + d.watchedMs, 0),
    todayRows: days.filter((d) => d.day === today).length,
  };
}
