/**
 * Uploads a file through Marquee's signed-upload API: one PUT for small files, parts in parallel
 * for large ones, resuming a multipart upload from the parts storage already has. Bytes go from
 * disk straight to the signed URLs (Bun.file slices are streamed, never read whole).
 */
import type { ApiClient } from "./api-client";

export interface SignedPart {
  partNumber: number;
  url: string;
  size: number;
}

export interface UploadPlan {
  kind: "single" | "multipart";
  url?: string;
  headers?: Record<string, string>;
  partSize?: number;
  partCount?: number;
  parts?: SignedPart[];
}

export interface UploadStatus {
  kind: "single" | "multipart";
  size: number;
  partSize?: number;
  uploadedParts: { partNumber: number; size: number }[];
  missingParts: SignedPart[];
}

export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
}

export interface VideoMetadata {
  title: string;
  description?: string;
  tags?: string[];
  visibility?: "public" | "unlisted" | "private" | "premium";
}

async function put(url: string, body: Blob, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, {
    method: "PUT",
    body,
    headers: { ...headers, "content-length": String(body.size) },
  });
  if (!res.ok) throw new Error(`storage refused a PUT (${res.status}): ${(await res.text()).slice(0, 200)}`);
}

/** Sends the given parts of `file`, `concurrency` at a time, reporting progress after each. */
async function sendParts(
  file: Blob,
  partSize: number,
  parts: SignedPart[],
  already: Progress,
  onProgress: (p: Progress) => void,
  concurrency = 3,
): Promise<void> {
  const progress = { ...already };
  const queue = [...parts];
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const start = (part.partNumber - 1) * partSize;
      await put(part.url, file.slice(start, start + part.size));
      progress.bytesDone += part.size;
      progress.partsDone += 1;
      onProgress({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, parts.length) }, worker));
}

export async function createAndUpload(
  api: ApiClient,
  file: Blob & { type: string },
  meta: VideoMetadata,
  onProgress: (p: Progress) => void,
  onCreated: (videoId: string) => void = () => {},
): Promise<string> {
  const { video, upload } = await api.request<{ video: { id: string }; upload: UploadPlan }>(
    "POST",
    "/api/v1/videos",
    {
      ...meta,
      upload: { size: file.size, contentType: file.type || "application/octet-stream" },
    },
  );
  onCreated(video.id);
  if (upload.kind === "single" && upload.url) {
    onProgress({ bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: 1 });
    await put(upload.url, file, upload.headers);
    onProgress({ bytesDone: file.size, bytesTotal: file.size, partsDone: 1, partsTotal: 1 });
  } else {
    const parts = upload.parts ?? [];
    const start = { bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: parts.length };
    onProgress(start);
    await sendParts(file, upload.partSize ?? 0, parts, start, onProgress);
  }
  await api.request("POST", `/api/v1/videos/${video.id}/upload-complete`);
  return video.id;
}

/** Continues an interrupted multipart upload: only the parts storage does not have are sent. */
export async function resumeUpload(
  api: ApiClient,
  videoId: string,
  file: Blob,
  onProgress: (p: Progress) => void,
): Promise<void> {
  const status = await api.request<UploadStatus>("GET", `/api/v1/videos/${videoId}/upload`);
  if (status.size !== file.size)
    throw new Error(`this file has ${file.size} bytes but the upload expects ${status.size}`);
  const done = status.uploadedParts.reduce((sum, p) => sum + p.size, 0);
  const partsTotal = status.uploadedParts.length + status.missingParts.length;
  const start = {
    bytesDone: done,
    bytesTotal: file.size,
    partsDone: status.uploadedParts.length,
    partsTotal,
  };
  onProgress(start);
  await sendParts(file, status.partSize ?? 0, status.missingParts, start, onProgress);
  await api.request("POST", `/api/v1/videos/${videoId}/upload-complete`);
}

export interface VideoState {
  id: string;
  status: string;
  progress: number;
  playable: boolean;
  failureReason: string | null;
}

/** The stage shown beside the processing bar: `processing`, `processing, playable`, `ready`. */
export const processingStage = (v: Pick<VideoState, "status" | "playable">) =>
  `${v.status}${v.playable && v.status === "processing" ? ", playable" : ""}`;

/** Polls until the video is ready or failed, reporting transcode progress. */
export async function waitForProcessing(
  api: ApiClient,
  videoId: string,
  onState: (v: VideoState) => void,
  timeoutMs = 30 * 60_000,
): Promise<VideoState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const video = await api.request<VideoState>("GET", `/api/v1/videos/${videoId}`);
    onState(video);
    if (video.status === "ready" || video.status === "failed") return video;
    if (Date.now() > deadline)
      throw new Error(`video ${videoId} still ${video.status} after ${timeoutMs / 1000}s`);
    await Bun.sleep(1000);
  }
}
