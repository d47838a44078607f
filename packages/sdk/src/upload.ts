/**
 * Uploads through Marquee's signed-upload API: one PUT for a small file, parts in parallel for a
 * large one, and resuming a multipart upload from the parts storage already has. The bytes go from
 * the Blob (a file slice, streamed where the runtime streams them) straight to the signed URLs.
 */
import type { Fetch, Marquee } from "./client";
import type { Result } from "./types";

type CreateVideo = Parameters<Marquee["postVideos"]>[0]["body"];

/** The video's fields at creation: everything `postVideos` takes but the upload's size and type. */
export type VideoMetadata = Omit<CreateVideo, "upload">;

export interface UploadProgress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
}

export type Video = Result<"getVideosByVideoId">;

interface SignedPart {
  partNumber: number;
  url: string;
  size: number;
}

async function put(
  storage: Fetch,
  url: string,
  body: Blob,
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await storage(url, {
    method: "PUT",
    body,
    headers: { ...headers, "content-length": String(body.size) },
  });
  if (!res.ok) throw new Error(`storage refused a PUT (${res.status}): ${(await res.text()).slice(0, 200)}`);
}

/** Sends the given parts of `file`, `concurrency` at a time, reporting progress after each. */
async function sendParts(
  storage: Fetch,
  file: Blob,
  partSize: number,
  parts: SignedPart[],
  already: UploadProgress,
  onProgress: (p: UploadProgress) => void,
  concurrency = 3,
): Promise<void> {
  const progress = { ...already };
  const queue = [...parts];
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const start = (part.partNumber - 1) * partSize;
      await put(storage, part.url, file.slice(start, start + part.size));
      progress.bytesDone += part.size;
      progress.partsDone += 1;
      onProgress({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, parts.length) }, worker));
}

export interface UploadOptions {
  onProgress?: (p: UploadProgress) => void;
  /** The video's id as soon as it exists, before any byte is sent: keep it to resume later. */
  onCreated?: (videoId: string) => void;
  /**
   * The fetch for the PUTs to storage's signed URLs: the global one by default, not the client's,
   * since a signed URL needs nothing the API's requests carry (tokens, bookmarks).
   */
  storageFetch?: Fetch;
}

const globalFetch: Fetch = (input, init) => fetch(input, init);

/** Creates a video and uploads `file` as its source; answers the video's id once storage has it all. */
export async function uploadVideo(
  client: Marquee,
  file: Blob,
  meta: VideoMetadata,
  { onProgress = () => {}, onCreated = () => {}, storageFetch = globalFetch }: UploadOptions = {},
): Promise<string> {
  const { video, upload } = await client.postVideos({
    body: { ...meta, upload: { size: file.size, contentType: file.type || "application/octet-stream" } },
  });
  onCreated(video.id);
  if (upload.kind === "single") {
    onProgress({ bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: 1 });
    await put(storageFetch, upload.url, file, upload.headers);
    onProgress({ bytesDone: file.size, bytesTotal: file.size, partsDone: 1, partsTotal: 1 });
  } else {
    const start = { bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: upload.parts.length };
    onProgress(start);
    await sendParts(storageFetch, file, upload.partSize, upload.parts, start, onProgress);
  }
  await client.postVideosByVideoIdUploadComplete({ path: { videoId: video.id } });
  return video.id;
}

/** Continues an interrupted multipart upload of `file`: only the parts storage does not have are sent. */
export async function resumeUpload(
  client: Marquee,
  videoId: string,
  file: Blob,
  {
    onProgress = () => {},
    storageFetch = globalFetch,
  }: Pick<UploadOptions, "onProgress" | "storageFetch"> = {},
): Promise<void> {
  const status = await client.getVideosByVideoIdUpload({ path: { videoId } });
  if (status.size !== file.size)
    throw new Error(`this file has ${file.size} bytes but the upload expects ${status.size}`);
  const done = status.uploadedParts.reduce((sum, p) => sum + p.size, 0);
  const start = {
    bytesDone: done,
    bytesTotal: file.size,
    partsDone: status.uploadedParts.length,
    partsTotal: status.uploadedParts.length + status.missingParts.length,
  };
  onProgress(start);
  await sendParts(storageFetch, file, status.partSize ?? 0, status.missingParts, start, onProgress);
  await client.postVideosByVideoIdUploadComplete({ path: { videoId } });
}

/** The stage shown beside a processing bar: `processing`, `processing, playable`, `ready`. */
export const processingStage = (v: Pick<Video, "status" | "playable">) =>
  `${v.status}${v.playable && v.status === "processing" ? ", playable" : ""}`;

/** Polls until the video is ready or failed (answering it either way), reporting each state. */
export async function waitUntilProcessed(
  client: Marquee,
  videoId: string,
  {
    onState = () => {},
    timeoutMs = 30 * 60_000,
    pollMs = 1000,
  }: { onState?: (v: Video) => void; timeoutMs?: number; pollMs?: number } = {},
): Promise<Video> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const video = await client.getVideosByVideoId({ path: { videoId } });
    onState(video);
    if (video.status === "ready" || video.status === "failed") return video;
    if (Date.now() > deadline)
      throw new Error(`video ${videoId} still ${video.status} after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
