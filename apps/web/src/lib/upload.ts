/**
 * The browser's uploader: the same API flow as the terminal one (packages/sdk/src/upload.ts).
 * POST /api/v1/videos answers one signed PUT (small files) or a multipart plan (large ones; the API
 * decides from the size); parts go three at a time, each retried on failure; progress counts bytes
 * as XMLHttpRequest reports them, so the bar moves inside a part too. What is being uploaded is
 * remembered in localStorage, so after a reload the page asks for the same file and continues from
 * GET /api/v1/videos/{id}/upload (only the parts storage lacks). POST upload-complete finishes.
 */
import { api, must } from "../api/client";
import type { components } from "../api/schema";

export type VideoCreate = components["schemas"]["VideoCreate"];
type SignedPart = { partNumber: number; url: string; size: number };

export interface UploadProgress {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
}

/** What survives a reload: which file goes to which video. */
export interface PendingUpload {
  videoId: string;
  title: string;
  name: string;
  size: number;
  lastModified: number;
}

const PENDING_KEY = "marquee.upload.pending";
const CONCURRENCY = 3;
const ATTEMPTS = 4;

export const pendingUpload = {
  get(): PendingUpload | null {
    try {
      const raw = localStorage.getItem(PENDING_KEY);
      return raw ? (JSON.parse(raw) as PendingUpload) : null;
    } catch {
      return null;
    }
  },
  set(p: PendingUpload) {
    localStorage.setItem(PENDING_KEY, JSON.stringify(p));
  },
  clear() {
    localStorage.removeItem(PENDING_KEY);
  },
  /** The same file as the one remembered (name, size and modification time). */
  matches(p: PendingUpload, file: File) {
    return p.name === file.name && p.size === file.size && p.lastModified === file.lastModified;
  },
};

/** The edge's default MAX_UPLOAD_BYTES (20 GiB); the API has the last word when the video is created. */
export const MAX_UPLOAD_BYTES = 20 * 1024 ** 3;

export type UploadErrorKind =
  | "storageRefused"
  | "storageUnreachable"
  | "sizeMismatch"
  | "notSameFile"
  | "noFile";

/**
 * What went wrong outside the API (storage, the file picked): `kind` and `details` are what the
 * page words in the UI's language; the message is the English for logs.
 */
export class UploadError extends Error {
  constructor(
    readonly kind: UploadErrorKind,
    readonly details: { status?: number; name?: string; size?: number; expected?: number } = {},
    message: string = kind,
  ) {
    super(message);
  }
}

/** One PUT with byte progress. Resolves on 2xx; rejects with the storage's answer otherwise. */
function putWithProgress(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onBytes: (loaded: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onBytes(body.size);
        resolve();
      } else
        reject(
          new UploadError(
            "storageRefused",
            { status: xhr.status },
            `Storage refused a part (${xhr.status}): ${xhr.responseText.slice(0, 200)}`,
          ),
        );
    };
    xhr.onerror = () => reject(new UploadError("storageUnreachable", {}, "The connection to storage failed"));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `parts` of `file` CONCURRENCY at a time, retrying each up to ATTEMPTS times with backoff.
 * `already` counts what storage had before (a resumed upload).
 */
async function sendParts(
  file: Blob,
  partSize: number,
  parts: SignedPart[],
  headers: Record<string, string>,
  already: UploadProgress,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  let doneBytes = already.bytesDone;
  let partsDone = already.partsDone;
  const inFlight = new Map<number, number>();
  const report = () => {
    let moving = 0;
    for (const b of inFlight.values()) moving += b;
    onProgress({
      bytesDone: Math.min(doneBytes + moving, already.bytesTotal),
      bytesTotal: already.bytesTotal,
      partsDone,
      partsTotal: already.partsTotal,
    });
  };
  report();
  const queue = [...parts];
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const start = (part.partNumber - 1) * partSize;
      const body = file.slice(start, start + part.size);
      for (let attempt = 1; ; attempt++) {
        try {
          await putWithProgress(
            part.url,
            body,
            headers,
            (loaded) => {
              inFlight.set(part.partNumber, loaded);
              report();
            },
            signal,
          );
          break;
        } catch (err) {
          inFlight.delete(part.partNumber);
          if (signal.aborted || attempt >= ATTEMPTS) throw err;
          await sleep(500 * 2 ** attempt);
        }
      }
      inFlight.delete(part.partNumber);
      doneBytes += part.size;
      partsDone += 1;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, parts.length) }, worker));
}

/** Creates the video, sends the file and starts processing; returns the video id. */
export async function uploadNew(
  file: File,
  meta: Omit<VideoCreate, "upload">,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<string> {
  const created = await must(
    api.POST("/api/v1/videos", {
      body: {
        ...meta,
        upload: {
          size: file.size,
          contentType: file.type.startsWith("video/") ? file.type : "application/octet-stream",
        },
      },
    }),
  );
  const videoId = created.video.id;
  pendingUpload.set({
    videoId,
    title: meta.title,
    name: file.name,
    size: file.size,
    lastModified: file.lastModified,
  });
  await sendPlan(file, created.upload, onProgress, signal);
  await complete(videoId);
  return videoId;
}

/** The signed upload a create answered (POST /videos or a campaign's creative). */
export type UploadPlan = components["schemas"]["UploadPlan"];

/** Sends a file with the plan a create answered: every part, three at a time, retried, with byte progress. */
async function sendPlan(
  file: File,
  plan: UploadPlan,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  if (plan.kind === "single") {
    await sendParts(
      file,
      file.size,
      [{ partNumber: 1, url: plan.url, size: file.size }],
      plan.headers,
      { bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: 1 },
      onProgress,
      signal,
    );
  } else {
    await sendParts(
      file,
      plan.partSize,
      plan.parts,
      {},
      { bytesDone: 0, bytesTotal: file.size, partsDone: 0, partsTotal: plan.partCount },
      onProgress,
      signal,
    );
  }
}

/**
 * Uploads a file for a video created elsewhere (an ad creative) and starts its processing. Unlike
 * uploadNew it is not remembered for the upload page's resume (that page resumes its own uploads).
 */
export async function sendNewUpload(
  videoId: string,
  file: File,
  plan: UploadPlan,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  await sendPlan(file, plan, onProgress, signal);
  await must(api.POST("/api/v1/videos/{videoId}/upload-complete", { params: { path: { videoId } } }));
}

/** Continues an interrupted upload with the same file: only what storage lacks is sent. */
export async function resumeUpload(
  videoId: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  const status = await must(api.GET("/api/v1/videos/{videoId}/upload", { params: { path: { videoId } } }));
  if (status.size !== file.size)
    throw new UploadError(
      "sizeMismatch",
      { size: file.size, expected: status.size },
      `This file has ${file.size} bytes but the upload expects ${status.size}`,
    );
  const partsTotal = status.partCount ?? 1;
  const already = {
    bytesDone: status.uploadedParts.reduce((sum, p) => sum + p.size, 0),
    bytesTotal: file.size,
    partsDone: status.uploadedParts.length,
    partsTotal,
  };
  if (status.status !== "awaiting_upload") {
    // Completed just before the reload: processing already started.
    onProgress({ ...already, bytesDone: file.size, partsDone: partsTotal });
    pendingUpload.clear();
    return;
  }
  await sendParts(
    file,
    status.partSize ?? file.size,
    status.missingParts,
    status.kind === "single" ? status.headers : {},
    already,
    onProgress,
    signal,
  );
  await complete(videoId);
}

async function complete(videoId: string) {
  await must(api.POST("/api/v1/videos/{videoId}/upload-complete", { params: { path: { videoId } } }));
  pendingUpload.clear();
}
