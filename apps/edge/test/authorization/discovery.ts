/**
 * Authorisation-matrix entries of the discovery routes (issue 5; see matrix.ts).
 *
 * History, resume positions, beacons and the personal feed all act on the caller's own active
 * profile, so there is no other owner to protect: the callers to refuse are those without a live
 * session. Kids profiles have a history and a feed of their own (`history.*` and `feed.read` only
 * need a profile); what they may see is the maturity rule, tested in src/history and src/feed. A
 * token whose profile was deleted gets 403 (tested there too).
 *
 * The beacon entry targets the `other` account's video id; refused attempts store nothing (the
 * request never reaches the handler).
 */
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";

const beacons = {
  beacons: [
    {
      id: "matrix-beacon-0001",
      videoId: "vid_matrixdoesnotexist",
      sessionId: "matrix",
      kind: "start",
      positionMs: 0,
      occurredAt: "2026-01-01T00:00:00Z",
    },
  ],
};

export const DISCOVERY_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/events/playback",
    request: () => ({ path: "/api/v1/events/playback", json: beacons }),
    refuse: signedIn,
  },
  {
    operation: "GET /api/v1/me/history",
    request: () => ({ path: "/api/v1/me/history" }),
    refuse: signedIn,
  },
  {
    operation: "DELETE /api/v1/me/history",
    request: () => ({ path: "/api/v1/me/history" }),
    refuse: signedIn,
  },
  {
    operation: "GET /api/v1/me/history/{videoId}",
    request: () => ({ path: "/api/v1/me/history/vid_matrixdoesnotexist" }),
    refuse: signedIn,
  },
  {
    operation: "DELETE /api/v1/me/history/{videoId}",
    request: () => ({ path: "/api/v1/me/history/vid_matrixdoesnotexist" }),
    refuse: signedIn,
  },
  {
    operation: "GET /api/v1/me/history/settings",
    request: () => ({ path: "/api/v1/me/history/settings" }),
    refuse: signedIn,
  },
  {
    operation: "PUT /api/v1/me/history/settings",
    request: () => ({ path: "/api/v1/me/history/settings", json: { paused: true } }),
    refuse: signedIn,
  },
  {
    operation: "GET /api/v1/feed",
    request: () => ({ path: "/api/v1/feed" }),
    refuse: signedIn,
  },
  {
    operation: "GET /api/v1/feed/subscriptions",
    request: () => ({ path: "/api/v1/feed/subscriptions" }),
    refuse: signedIn,
  },
];

/** Operations anyone may call, with the reason. */
export const DISCOVERY_PUBLIC_OPERATIONS: Record<string, string> = {
  "GET /api/v1/trending":
    "public listing of listed videos (signed-out callers see them as adults do; a profile's maturity level filters it)",
};
