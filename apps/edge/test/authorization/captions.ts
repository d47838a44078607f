/**
 * Authorisation-matrix entries of captions (issue 19, docs/captions.md; see matrix.ts). Captions are
 * managed by the video's owner (or an admin): the targets are a private video per account with an
 * English track, made straight in D1 and R2, so another creator and a viewer get 404 (a private
 * video is not revealed) and the owner's own kids profile 403 (kids profiles manage nothing). A
 * refused attempt must leave the track exactly as it was.
 */
import { env } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { expect } from "vitest";
import { captions } from "../../src/db/schema";
import { insertVideo, testDb } from "../fixtures";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const ownerOnly = { ...signedIn, otherAccount: 404, viewer: 404, kids: 403 } as const;
const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMatrix\n\n";
const REVISION = "0123456789ab";

const targets = new Map<string, Promise<string>>();
const videoOf = (as: SeededAccount) => {
  let target = targets.get(as.accountId);
  if (!target) {
    target = (async () => {
      const videoId = await insertVideo(as, { visibility: "private", durationMs: 20_000 });
      await env.MEDIA.put(`videos/${videoId}/hls/subs/en-${REVISION}/captions.vtt`, VTT);
      await testDb().insert(captions).values({
        videoId,
        language: "en",
        label: "English",
        revision: REVISION,
        cueCount: 1,
        text: "Matrix",
      });
      return videoId;
    })();
    targets.set(as.accountId, target);
  }
  return target;
};

afterRefusals("no refused attempt changed or removed a caption track", async () => {
  const ids = await Promise.all(targets.values());
  if (ids.length === 0) return;
  const rows = await testDb().select().from(captions).where(inArray(captions.videoId, ids));
  expect(rows.map((r) => [r.language, r.revision, r.label])).toEqual(
    ids.map(() => ["en", REVISION, "English"]),
  );
});

const on = async (as: SeededAccount, tail = "") => `/api/v1/videos/${await videoOf(as)}/captions${tail}`;

export const CAPTIONS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/videos/{videoId}/captions",
    request: async (_w, as) => ({ path: await on(as) }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/videos/{videoId}/captions/{language}",
    request: async (_w, as) => ({ path: await on(as, "/en") }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "PUT /api/v1/videos/{videoId}/captions/{language}",
    request: async (_w, as) => ({
      path: await on(as, "/de"),
      body: new TextEncoder().encode(VTT),
      headers: { "content-type": "text/vtt" },
    }),
    refuse: ownerOnly,
    owner: { status: 201 },
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}/captions/{language}",
    request: async (_w, as) => ({ path: await on(as, "/en") }),
    refuse: ownerOnly,
    owner: { status: 204, last: true },
  },
];

/** Caption operations anyone may call: none. */
export const CAPTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
