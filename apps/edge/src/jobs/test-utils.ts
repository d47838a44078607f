/**
 * Helpers for the internal API's tests (run in workerd). Videos are inserted straight into D1
 * (test/fixtures.ts), so these tests do not depend on the videos domain's routes; jobs are made on
 * the global queue, which every test file shares: lease only your own videos' jobs.
 */
import { env } from "cloudflare:test";
import type { CompleteRequest, LeasedJob } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { z } from "zod";
import { insertVideo, storeSource, testDb } from "../../test/fixtures";
import { api, type SeededAccount, seedAccount } from "../../test/harness";
import { videos } from "../db/schema";
import type { Lease } from "../transcode-queue/job";
import { globalQueue, LEASE } from "../transcode-queue/test-utils";

/** POST to the internal API with the origin's token (or `token`, or none when null). */
export function internal(path: string, json: unknown, token: string | null = env.ORIGIN_TOKEN) {
  return api(`/internal${path}`, { method: "POST", json, ...(token === null ? {} : { token }) });
}

/** The lease holder's heartbeat over HTTP: `progress`, and playable. */
export const heartbeat = (jobId: string, leaseToken: string, progress: number) =>
  internal(`/jobs/${jobId}/heartbeat`, { leaseToken, progress, playable: true });

/** The body of a response that must have `status` (the body's start is in the error otherwise). */
export async function bodyOf<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Checks that `res` is a problem document with `status`, and answers it. */
export async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const doc = (await res.json()) as { status: number; title: string };
  expect(doc.status).toBe(status);
  return doc;
}

let creator: Promise<SeededAccount> | undefined;
/** The creator whose videos a test file queues, unless it names another (one per file). */
export const jobsCreator = () => {
  creator ??= seedAccount({ tag: "jobs", channel: true });
  return creator;
};

/** A queued video (of `owner`, else `jobsCreator()`) with a small stored source and its job on the global queue. */
export async function queuedVideo(owner?: SeededAccount): Promise<string> {
  const videoId = await insertVideo(owner ?? (await jobsCreator()), { status: "queued", playable: false });
  await storeSource(videoId);
  await globalQueue().enqueue(videoId);
  return videoId;
}

/**
 * Another test file may lease from the global queue at the same time (any worker holding the
 * origin token can): if it took this video's job, start the video over with a fresh job.
 */
async function requeueFresh(videoId: string): Promise<void> {
  await globalQueue().cancel(videoId);
  await testDb()
    .update(videos)
    .set({ status: "queued", progress: 0, playable: false })
    .where(eq(videos.id, videoId));
  await globalQueue().enqueue(videoId);
}

/**
 * Leases this video's job through the HTTP API. Jobs of other videos that come first are held
 * and then released (release counts no attempt and puts their rows back to queued).
 */
export async function leaseOverHttp(videoId: string, workerId = "http-worker"): Promise<LeasedJob> {
  for (let round = 0; round < 3; round++) {
    const foreign: LeasedJob[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const res = await internal("/jobs/lease", { workerId });
        if (res.status === 204) break;
        const job = await bodyOf<LeasedJob>(res, 200);
        if (job.videoId === videoId) return job;
        foreign.push(job);
      }
    } finally {
      for (const job of foreign) await internal(`/jobs/${job.id}/release`, { leaseToken: job.leaseToken });
    }
    await requeueFresh(videoId);
  }
  throw new Error(`the job of ${videoId} was not handed out`);
}

/** Leases this video's job directly (RPC), for tests about what happens after the lease. */
export async function leaseOverRpc(videoId: string, options: { now?: number } = {}): Promise<Lease> {
  for (let round = 0; round < 3; round++) {
    const lease = await globalQueue().lease("rpc-worker", { ...LEASE, ...options, videoId });
    if (lease) return lease;
    await requeueFresh(videoId);
  }
  throw new Error(`no queued job for ${videoId}`);
}

/** Marks the video deleted in D1 only, as if the queue never heard of it. */
export async function deleteBehindQueue(videoId: string): Promise<void> {
  await testDb()
    .update(videos)
    .set({ status: "deleted", deletedAt: Date.now() })
    .where(eq(videos.id, videoId));
}

export const RESULT: z.infer<typeof CompleteRequest>["result"] = {
  durationMs: 12_345,
  width: 1280,
  height: 720,
  renditions: [
    { name: "720p", width: 1280, height: 720, bandwidth: 3_200_000, codecs: "avc1.64001f,mp4a.40.2" },
    { name: "360p", width: 640, height: 360, bandwidth: 1_000_000, codecs: "avc1.64001e,mp4a.40.2" },
  ],
  segmentCount: 8,
};

export async function storeMaster(videoId: string): Promise<void> {
  await env.MEDIA.put(`videos/${videoId}/hls/master.m3u8`, "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n", {
    httpMetadata: { contentType: "application/vnd.apple.mpegurl" },
  });
}
