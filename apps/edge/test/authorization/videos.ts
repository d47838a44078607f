/**
 * Authorisation-matrix entries of the videos domain (see matrix.ts).
 *
 * Routes on an existing video need a video, and the matrix's world has none: this module seeds
 * its own creator with one video awaiting its upload (in a `beforeAll` registered when the matrix
 * test imports it; an `afterAll` checks it came through unchanged), and every entry targets that video. It belongs to neither `other` nor the kids
 * account, so "otherAccount" must get 404 (an unfinished video is hidden, not forbidden). How the
 * owner's own kids profile is refused on these routes (403) is tested in src/videos/videos.test.ts,
 * since the world's kids account owns no video.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { seedAccount } from "../harness";
import { createVideo, videoRow } from "../video-harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";

let videoId = "vid_notseededyet";

beforeAll(async () => {
  const creator = await seedAccount({ tag: "mxvideos", channel: true });
  videoId = (await createVideo(creator, { size: 1000 })).video.id;
});

// Every refused attempt must have left the video exactly as it was.
afterAll(async () => {
  expect(await videoRow(videoId)).toMatchObject({ status: "awaiting_upload", title: "A test video" });
});

const onVideo = (rest = "") => `/api/v1/videos/${videoId}${rest}`;

export const VIDEO_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/videos",
    request: () => ({
      path: "/api/v1/videos",
      json: { title: "Matrix", upload: { size: 10, contentType: "video/mp4" } },
    }),
    // The matrix's "viewer" is a creator too; a real viewer's 403 is in src/videos/videos.test.ts.
    refuse: { ...signedIn, kids: 403 },
  },
  {
    operation: "PATCH /api/v1/videos/{videoId}",
    request: () => ({ path: onVideo(), json: { title: "Taken over" } }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}",
    request: () => ({ path: onVideo() }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}/upload",
    request: () => ({ path: onVideo("/upload") }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
  {
    operation: "POST /api/v1/videos/{videoId}/upload-complete",
    request: () => ({ path: onVideo("/upload-complete") }),
    refuse: { ...signedIn, otherAccount: 404 },
  },
];

/** Mutating videos operations that need no user (or are authenticated otherwise), and why. */
export const VIDEO_PUBLIC_OPERATIONS: Record<string, string> = {};
