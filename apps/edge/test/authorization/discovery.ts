/**
 * Authorisation-matrix entries of the discovery routes (issue 5; see matrix.ts).
 *
 * History, resume positions, beacons and the personal feed all act on the caller's own active
 * profile, so there is no other owner to protect: the callers to refuse are those without a live
 * session. Kids profiles have a history and a feed of their own (`history.*` and `feed.read` only
 * need a profile); what they may see is the maturity rule, tested in src/history and src/feed. A
 * token whose profile was deleted gets 403 (tested there too).
 *
 * These entries count through `signedInOnly` (see matrix.ts). The owner is a watcher this module
 * seeds, with a ready public video in its history, so the per-video history routes answer it about
 * a real entry (a made-up video id would answer 404, and a 404 proves nothing).
 */
import { beforeAll } from "vitest";
import { watchHistory } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { type SeededAccount, seedAccount, storeReadyVideo } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck } from "./matrix";

const OWN_PROFILE = "acts on the caller's own active profile (its history, settings, feed)";

let watcher: SeededAccount;
let videoId = "vid_notseededyet";

beforeAll(async () => {
  const [creator, w] = await Promise.all([
    seedAccount({ tag: "mxdisccreator", channel: true }),
    seedAccount({ tag: "mxwatcher" }),
  ]);
  watcher = w;
  videoId = await storeReadyVideo(creator, { maturity: "kids" });
  const now = Date.now();
  await testDb().insert(watchHistory).values({
    profileId: watcher.profileId,
    videoId,
    positionMs: 1000,
    watchedMs: 1000,
    completed: false,
    firstWatchedAt: now,
    lastWatchedAt: now,
  });
});

const asWatcher = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: () => ({ token: watcher.accessToken }),
  ...check,
});

const beacons = {
  beacons: [
    {
      id: "matrix-beacon-0001",
      videoId: "vid_notseededyet",
      sessionId: "matrix",
      kind: "start",
      positionMs: 0,
      occurredAt: "2026-01-01T00:00:00Z",
    },
  ],
};

/** An entry acting on the watcher's own profile: `path` is built once the watcher is seeded. */
const ownProfile = (operation: string, path: () => string, owner: Omit<OwnerCheck, "as">): MatrixEntry => ({
  operation,
  request: () => ({ path: path() }),
  refuse: signedIn,
  signedInOnly: OWN_PROFILE,
  owner: asWatcher(owner),
});

export const DISCOVERY_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/events/playback",
    request: () => ({
      path: "/api/v1/events/playback",
      json: { beacons: beacons.beacons.map((b) => ({ ...b, id: `mx-${crypto.randomUUID()}`, videoId })) },
    }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: asWatcher({ status: 202 }),
  },
  ownProfile("GET /api/v1/me/history", () => "/api/v1/me/history", { status: 200 }),
  ownProfile("DELETE /api/v1/me/history", () => "/api/v1/me/history", { status: 204, last: true }),
  ownProfile("GET /api/v1/me/history/{videoId}", () => `/api/v1/me/history/${videoId}`, { status: 200 }),
  ownProfile("DELETE /api/v1/me/history/{videoId}", () => `/api/v1/me/history/${videoId}`, { status: 204 }),
  ownProfile("GET /api/v1/me/history/settings", () => "/api/v1/me/history/settings", { status: 200 }),
  {
    operation: "PUT /api/v1/me/history/settings",
    request: () => ({ path: "/api/v1/me/history/settings", json: { paused: true } }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: asWatcher({ status: 200 }),
  },
  ownProfile("GET /api/v1/feed", () => "/api/v1/feed", { status: 200 }),
  ownProfile("GET /api/v1/feed/subscriptions", () => "/api/v1/feed/subscriptions", { status: 200 }),
];

/** Operations anyone may call, with the reason. */
export const DISCOVERY_PUBLIC_OPERATIONS: Record<string, string> = {
  "GET /api/v1/trending":
    "public listing of listed videos (signed-out callers see them as adults do; a profile's maturity level filters it)",
};
