/**
 * Videos and uploads: create a video through the API, move bytes through the signed URLs it answers
 * (SELF.fetch uses only their path, whatever host PUBLIC_URL names), or store a finished one.
 */
import { env, SELF } from "cloudflare:test";
import type { Maturity, VideoStatus, Visibility } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { videos } from "../../src/db/schema";
import { insertVideo, testDb } from "../fixtures";
import type { SeededAccount } from "./accounts";
import { api, apiJson } from "./api";

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

/** The stored row, for checking what the API does not show (source size, upload id, timestamps). */
export async function videoRow(id: string) {
  const [row] = await testDb().select().from(videos).where(eq(videos.id, id));
  return row;
}

export async function storedBytes(key: string): Promise<Uint8Array | null> {
  const object = await env.MEDIA.get(key);
  return object ? new Uint8Array(await object.arrayBuffer()) : null;
}

export const sourceKey = (id: string) => `videos/${id}/source`;

/** The four video rungs a finished job records (name, size, bandwidth, codecs): what TEST_MASTER lists. */
const TEST_RUNGS = [
  { name: "1080p", width: 1920, height: 1080, bandwidth: 6128000, codecs: "avc1.640028,mp4a.40.2" },
  { name: "720p", width: 1280, height: 720, bandwidth: 3488000, codecs: "avc1.64001f,mp4a.40.2" },
  { name: "480p", width: 854, height: 480, bandwidth: 1808000, codecs: "avc1.64001e,mp4a.40.2" },
  { name: "360p", width: 640, height: 360, bandwidth: 1088000, codecs: "avc1.64001e,mp4a.40.2" },
] as const;

/** A master playlist with the four rungs and the audio rendition, as the origin writes it. */
export const TEST_MASTER = [
  "#EXTM3U",
  "#EXT-X-VERSION:7",
  "#EXT-X-INDEPENDENT-SEGMENTS",
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,URI="audio/playlist.m3u8"',
  ...TEST_RUNGS.flatMap((r) => [
    `#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},RESOLUTION=${r.width}x${r.height},CODECS="${r.codecs}",AUDIO="aud"`,
    `${r.name}/playlist.m3u8`,
  ]),
  "",
].join("\n");

export interface StoredVideoSetup {
  status?: string;
  visibility?: string;
  playable?: boolean;
  /** Playlists end with EXT-X-ENDLIST (cacheable) unless false. */
  finished?: boolean;
  maturity?: string;
  title?: string;
  tags?: string[];
  /** The probed length (null by default: what a row has before its job probes the source). */
  durationMs?: number;
}

/**
 * A video row plus its transcoded media in R2 (master, four rungs and audio with an init segment and
 * one 1000-byte segment each, poster, thumbnail, storyboard), written directly: what a finished job
 * leaves behind, without running the origin. Listed (published now) when ready and public.
 */
export async function storeReadyVideo(owner: SeededAccount, setup: StoredVideoSetup = {}): Promise<string> {
  const { status = "ready", visibility = "public", playable = true, finished = true } = setup;
  const id = await insertVideo(owner, {
    title: setup.title ?? "Clip",
    tags: setup.tags ?? [],
    maturity: (setup.maturity ?? "adult") as Maturity,
    visibility: visibility as Visibility,
    status: status as VideoStatus,
    playable,
    publishedAt: status === "ready" ? Date.now() : null,
    // The rungs TEST_MASTER lists (what a finished job records on the row).
    height: 1080,
    width: 1920,
    renditions: TEST_RUNGS.map((r) => ({ ...r })),
    ...(setup.durationMs !== undefined ? { durationMs: setup.durationMs } : {}),
  });
  const put = (path: string, body: string | Uint8Array) => env.MEDIA.put(`videos/${id}/${path}`, body);
  const variant = `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00001.m4s\n${finished ? "#EXT-X-ENDLIST\n" : ""}`;
  await put("hls/master.m3u8", TEST_MASTER);
  for (const r of ["1080p", "720p", "480p", "360p", "audio"]) {
    await put(`hls/${r}/playlist.m3u8`, variant);
    await put(`hls/${r}/init.mp4`, new Uint8Array([0, 0, 0, 8, 102, 116, 121, 112]));
    await put(`hls/${r}/seg_00001.m4s`, new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256)));
  }
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0xff, 0xd9]);
  await put("thumbs/poster.jpg", jpeg);
  await put("thumbs/thumb_1.jpg", jpeg);
  await put("storyboard/sprite.jpg", jpeg);
  await put(
    "storyboard/storyboard.vtt",
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n",
  );
  return id;
}
