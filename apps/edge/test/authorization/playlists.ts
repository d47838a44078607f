/**
 * Authorisation-matrix entries of playlists (issue 19, docs/playlists.md; see matrix.ts). A
 * playlist is its profile's: every other caller, the account's own kids profile included, gets 404
 * for a private one and for any change (ids cannot be probed, and profiles are different people).
 * The targets are a private playlist per account, made by its first profile straight in D1, with
 * one video in it. A refused attempt must leave them exactly as they were.
 */
import { eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import { playlistItems, playlists } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { insertVideo, testDb } from "../fixtures";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const notTheirs = { ...signedIn, otherAccount: 404, viewer: 404, kids: 404 } as const;
const OWN_PROFILE = "acts on the caller's own active profile's playlists";

interface Target {
  id: string;
  videoId: string;
  /** A second video, in nobody's playlist: the one the owner's PUT adds. */
  spareId: string;
}

/** A video anyone may watch, of a creator made once for these entries. */
let creatorVideos: Promise<[string, string]> | undefined;
const targets = new Map<string, Promise<Target>>();
const targetOf = (as: SeededAccount, w: { other: SeededAccount }) => {
  let target = targets.get(as.accountId);
  if (!target) {
    creatorVideos ??= Promise.all([insertVideo(w.other), insertVideo(w.other)]);
    target = creatorVideos.then(async ([videoId, spareId]) => {
      const id = newId("pl");
      await testDb()
        .insert(playlists)
        .values({ id, profileId: as.profileId, accountId: as.accountId, title: "Matrix" });
      await testDb().insert(playlistItems).values({ playlistId: id, videoId, position: 0 });
      return { id, videoId, spareId };
    });
    targets.set(as.accountId, target);
  }
  return target;
};

afterRefusals("no refused attempt changed, emptied or filled a playlist", async () => {
  const all = await Promise.all(targets.values());
  if (all.length === 0) return;
  const rows = await testDb()
    .select()
    .from(playlists)
    .where(
      inArray(
        playlists.id,
        all.map((t) => t.id),
      ),
    );
  expect(rows.map((r) => [r.title, r.visibility, r.itemCount])).toEqual(
    all.map(() => ["Matrix", "private", 1]),
  );
  for (const t of all) {
    const items = await testDb().select().from(playlistItems).where(eq(playlistItems.playlistId, t.id));
    expect(items.map((i) => i.videoId)).toEqual([t.videoId]);
  }
});

const at = async (w: { other: SeededAccount }, as: SeededAccount, tail = "") =>
  `/api/v1/playlists/${(await targetOf(as, w)).id}${tail}`;

export const PLAYLISTS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/me/playlists",
    request: () => ({ path: "/api/v1/me/playlists" }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/me/playlists",
    request: () => ({ path: "/api/v1/me/playlists", json: { title: "Matrix owner" } }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 201 },
  },
  {
    operation: "GET /api/v1/me/watch-later",
    request: () => ({ path: "/api/v1/me/watch-later" }),
    refuse: signedIn,
    signedInOnly: OWN_PROFILE,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/playlists/{playlistId}",
    request: async (w, as) => ({ path: await at(w, as) }),
    refuse: { otherAccount: 404, viewer: 404, kids: 404, anonymous: 404 },
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/playlists/{playlistId}/items",
    request: async (w, as) => ({ path: await at(w, as, "/items") }),
    refuse: { otherAccount: 404, viewer: 404, kids: 404, anonymous: 404 },
    owner: { status: 200 },
  },
  {
    operation: "PATCH /api/v1/playlists/{playlistId}",
    request: async (w, as) => ({ path: await at(w, as), json: { visibility: "public" } }),
    refuse: notTheirs,
    owner: { status: 200 },
  },
  {
    operation: "PUT /api/v1/playlists/{playlistId}/items/{videoId}",
    request: async (w, as) => ({ path: await at(w, as, `/items/${(await targetOf(as, w)).spareId}`) }),
    refuse: notTheirs,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/playlists/{playlistId}/items/{videoId}/move",
    request: async (w, as) => ({
      path: await at(w, as, `/items/${(await targetOf(as, w)).videoId}/move`),
      json: { position: 0 },
    }),
    refuse: notTheirs,
    owner: { status: 200 },
  },
  {
    operation: "DELETE /api/v1/playlists/{playlistId}/items/{videoId}",
    request: async (w, as) => ({ path: await at(w, as, `/items/${(await targetOf(as, w)).videoId}`) }),
    refuse: notTheirs,
    owner: { status: 204, last: true },
  },
  {
    operation: "DELETE /api/v1/playlists/{playlistId}",
    request: async (w, as) => ({ path: await at(w, as) }),
    refuse: notTheirs,
    owner: { status: 204, last: true },
  },
];

/** Playlist operations anyone may call: none that change anything. */
export const PLAYLISTS_PUBLIC_OPERATIONS: Record<string, string> = {};
