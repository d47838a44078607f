/**
 * Helpers for the jobs tests (run in workerd). Videos are inserted straight into D1 so these tests
 * do not depend on the videos domain's routes; the queue is reached over RPC or the internal API.
 */
import { env } from "cloudflare:test";
import type { CompleteRequest } from "@marquee/shared";
import type { z } from "zod";
import { api, type SeededAccount, unique } from "../../test/harness";
import { QUEUE_NAME } from "./queue";
import type { TranscodeQueue } from "./transcode-queue";

const namespace = () => env.TRANSCODE_QUEUE as unknown as DurableObjectNamespace<TranscodeQueue>;

/** A queue of its own (unique name), so a test sees only the jobs it made. */
export function privateQueue(): DurableObjectStub<TranscodeQueue> {
  const ns = namespace();
  return ns.get(ns.idFromName(unique("queue")));
}

/** The queue the internal API uses (shared by every test file: lease only your own videos' jobs). */
export function globalQueue(): DurableObjectStub<TranscodeQueue> {
  const ns = namespace();
  return ns.get(ns.idFromName(QUEUE_NAME));
}

export const LEASE = { leaseSeconds: 60, maxAttempts: 3 } as const;

/** A video row in `status` with a small source object stored at its source key. */
export async function insertVideo(owner: SeededAccount, status = "queued"): Promise<string> {
  const id = `vid_${unique("j")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const sourceKey = `videos/${id}/source`;
  const bytes = new TextEncoder().encode(`not really a video: ${id}`);
  await env.MEDIA.put(sourceKey, bytes, { httpMetadata: { contentType: "video/mp4" } });
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, status, source_key, source_size, source_type)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'video/mp4')`,
  )
    .bind(id, owner.channelId, owner.accountId, `Job test ${id}`, status, sourceKey, bytes.length)
    .run();
  return id;
}

export interface VideoRowView {
  status: string;
  progress: number;
  playable: number;
  failure_reason: string | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  renditions: string;
  published_at: number | null;
}

export async function videoRow(id: string): Promise<VideoRowView> {
  const row = await env.DB.prepare("SELECT * FROM videos WHERE id = ?").bind(id).first<VideoRowView>();
  if (!row) throw new Error(`no video ${id}`);
  return row;
}

/** POST to the internal API with the origin's token (or `token`, or none when null). */
export function internal(path: string, json: unknown, token: string | null = env.ORIGIN_TOKEN) {
  return api(`/internal${path}`, { method: "POST", json, ...(token === null ? {} : { token }) });
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
