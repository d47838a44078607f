/**
 * Authorisation-matrix entries of the videos domain (see matrix.ts).
 *
 * Routes on an existing video need a video, and the matrix's world has none: this module seeds
 * its own creator with one video awaiting its upload (in a `beforeAll` registered when the matrix
 * test imports it; `afterRefusals` checks it came through unchanged), and every entry targets that
 * video. It belongs to neither `other`, `viewer` nor the kids account, so they must get 404 (an
 * unfinished video is hidden, not forbidden). The owner (the module's creator) then edits it, tries
 * to complete an upload it never sent, aborts the upload and deletes it. How the
 * owner's own kids profile is refused on these routes (403) is tested in src/videos/videos.test.ts,
 * since the world's kids account owns no video.
 */
import { beforeAll, expect } from "vitest";
import { createVideo, type SeededAccount, seedAccount, videoRow } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck } from "./matrix";
import { afterRefusals } from "./phases";

let videoId = "vid_notseededyet";
let creator: SeededAccount;

beforeAll(async () => {
  creator = await seedAccount({ tag: "mxvideos", channel: true });
  videoId = (await createVideo(creator, { size: 1000 })).video.id;
});

afterRefusals("the video came through unchanged", async () => {
  expect(await videoRow(videoId)).toMatchObject({ status: "awaiting_upload", title: "A test video" });
});

const asCreator = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: () => ({ token: creator.accessToken }),
  ...check,
});
const hidden = { ...signedIn, otherAccount: 404, viewer: 404 } as const;

const onVideo = (rest = "") => `/api/v1/videos/${videoId}${rest}`;

export const VIDEO_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/videos",
    request: () => ({
      path: "/api/v1/videos",
      json: { title: "Matrix", upload: { size: 10, contentType: "video/mp4" } },
    }),
    // Uploading needs the creator role, which a channel brings.
    refuse: { ...signedIn, viewer: 403, kids: 403 },
    owner: { status: 201 },
  },
  {
    operation: "PATCH /api/v1/videos/{videoId}",
    request: () => ({ path: onVideo(), json: { title: "Taken over" } }),
    refuse: hidden,
    owner: asCreator({ status: 200 }),
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}/upload",
    request: () => ({ path: onVideo("/upload") }),
    refuse: hidden,
    // At the very end (owner checks marked `last` run in the order declared): the video is needed.
    owner: asCreator({ status: 200, last: true }),
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}",
    request: () => ({ path: onVideo() }),
    refuse: hidden,
    // Last of all, after the upload abort above.
    owner: asCreator({ status: 204, last: true }),
  },
  {
    operation: "POST /api/v1/videos/{videoId}/upload-complete",
    request: () => ({ path: onVideo("/upload-complete") }),
    refuse: hidden,
    owner: asCreator({
      status: 409,
      because:
        "no bytes were sent (completing a real upload would queue a transcode job on the queue other files lease from): the owner is told the upload is incomplete",
    }),
  },
];

/** Mutating videos operations that need no user (or are authenticated otherwise), and why. */
export const VIDEO_PUBLIC_OPERATIONS: Record<string, string> = {};
