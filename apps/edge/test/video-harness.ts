/**
 * Helpers for tests of videos and uploads: create a video through the API, move bytes through the
 * signed URLs it answers (SELF.fetch uses only their path, whatever host PUBLIC_URL names).
 */
import { env, SELF } from "cloudflare:test";
import { api, apiJson, type SeededAccount } from "./harness";

export const MiB = 1024 * 1024;

export interface SignedPart {
  partNumber: number;
  url: string;
  size: number;
}

export interface VideoJson {
  id: string;
  channelId: string;
  title: string;
  description: string;
  tags: string[];
  categoryId: string | null;
  visibility: string;
  status: string;
  failureReason: string | null;
  playable: boolean;
  progress: number;
}

export type UploadPlan =
  | { kind: "single"; url: string; method: "PUT"; headers: Record<string, string>; expiresAt: string }
  | {
      kind: "multipart";
      uploadId: string;
      partSize: number;
      partCount: number;
      parts: SignedPart[];
      expiresAt: string;
    };

export interface UploadStatus {
  kind: "single" | "multipart";
  status: string;
  size: number;
  partSize?: number;
  partCount?: number;
  headers: Record<string, string>;
  uploadedParts: { partNumber: number; size: number }[];
  missingParts: SignedPart[];
  expiresAt: string | null;
}

/** Deterministic, non-repeating-looking bytes, so a misplaced part shows up as different content. */
export function testBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export async function createVideo(
  owner: SeededAccount,
  upload: { size: number; contentType?: string; partSize?: number },
  meta: Record<string, unknown> = {},
): Promise<{ video: VideoJson; upload: UploadPlan }> {
  return apiJson("/api/v1/videos", 201, {
    method: "POST",
    token: owner.accessToken,
    json: { title: "A test video", ...meta, upload: { contentType: "video/mp4", ...upload } },
  });
}

export function putBytes(url: string, bytes: Uint8Array, headers: Record<string, string> = {}) {
  return SELF.fetch(url, { method: "PUT", body: bytes, headers });
}

export const videoPath = (id: string, rest = "") => `/api/v1/videos/${id}${rest}`;

export function uploadStatus(owner: SeededAccount, id: string): Promise<UploadStatus> {
  return apiJson(videoPath(id, "/upload"), 200, { token: owner.accessToken });
}

export function completeUpload(owner: SeededAccount, id: string) {
  return api(videoPath(id, "/upload-complete"), { method: "POST", token: owner.accessToken });
}

/** The raw row, for checking what the API does not show (source size, upload id, timestamps). */
export function videoRow(id: string) {
  return env.DB.prepare("SELECT * FROM videos WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

export async function storedBytes(key: string): Promise<Uint8Array | null> {
  const object = await env.MEDIA.get(key);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

export const sourceKey = (id: string) => `videos/${id}/source`;
