/**
 * Authorisation-matrix entries of analytics (issue 16, docs/analytics.md; see matrix.ts).
 *
 * A video's analytics are its owner's (or an admin's): the entry targets a video of the targeted
 * account (made here, once per account, straight in D1), so another creator and a viewer get 404 (ids
 * cannot be probed) and the kids caller, on its own account's video, 403 (kids profiles manage
 * nothing). The channel's analytics are the caller's own channel's: a viewer has none (404), a kids
 * profile is refused (403); another creator reading its own channel is no intrusion. Platform quality
 * is the admins'. All three are reads: a refusal changes nothing, so there is no `afterRefusals` check.
 */
import { insertVideo } from "../fixtures";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";

/** Per account, the video whose analytics its entry reads (inserted on first use). */
const videos = new Map<string, Promise<string>>();
const videoOf = (as: SeededAccount) => {
  let id = videos.get(as.accountId);
  if (!id) {
    id = insertVideo(as, { title: "Matrix analytics" });
    videos.set(as.accountId, id);
  }
  return id;
};

/** A year's range of day buckets: the request a studio's chart makes. */
const RANGE = "?granularity=day&from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z";

export const ANALYTICS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/studio/videos/{videoId}/analytics",
    request: async (_w, as) => ({ path: `/api/v1/studio/videos/${await videoOf(as)}/analytics${RANGE}` }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404, kids: 403 },
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/studio/channel/analytics",
    request: () => ({ path: `/api/v1/studio/channel/analytics${RANGE}` }),
    refuse: { ...signedIn, viewer: 404, kids: 403 },
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/admin/analytics/qoe",
    request: () => ({ path: "/api/v1/admin/analytics/qoe?granularity=hour" }),
    refuse: { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 },
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200 },
  },
];

/** Analytics operations anyone may call: none (they are all reads of private figures). */
export const ANALYTICS_PUBLIC_OPERATIONS: Record<string, string> = {};
