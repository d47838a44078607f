// Helpers of the media end-to-end test: clips made by ffmpeg, uploads that name files on the
// origin's disk, single-PUT uploads and the ladder check a player would make.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  checkLadderConformance,
  type LadderFigures,
} from "../../apps/origin-transcoder/src/hls-conformance.testkit";
import type { ApiClient } from "../../scripts/lib/api-client";
import {
  keyframeTimes,
  makeTestPatternClip,
  makeTestPatternClipSync,
  probeStreams,
  remuxToMpegTs,
  type TestPatternOptions,
} from "../../scripts/lib/media-tools";

export { ApiClient as Api, signUpCreator } from "../../scripts/lib/api-client";

// Fast to make; the tests care about structure, not quality.
const CLIP = { size: "640x360", videoKbps: 800, preset: "ultrafast" } as const;

export function makeClip(path: string, options: TestPatternOptions): string {
  return makeTestPatternClipSync(path, { ...CLIP, ...options });
}

/** makeClip without blocking the event loop: a test can boot the platform meanwhile. */
export function makeClipAsync(path: string, options: TestPatternOptions): Promise<string> {
  return makeTestPatternClip(path, { ...CLIP, ...options });
}

const refused = (kind: string) => `the file is ${kind}, not a video file; upload the video file itself`;

/**
 * Uploads that are not videos but name one on the origin's own disk (a copy of a test clip): each
 * demuxer family that opens other files. Written by writeReferencingUploads.
 */
export const REFERENCING = [
  { name: "playlist.m3u8", reason: refused("an HLS playlist") },
  { name: "list.ffconcat", reason: refused("an ffconcat script") },
  { name: "manifest.mpd", reason: refused("a DASH manifest") },
] as const;

export async function writeReferencingUploads(dir: string, clip: string): Promise<void> {
  // HLS segments must be streamable, so the playlist names an MPEG-TS copy of the clip.
  const ts = await remuxToMpegTs(clip, join(dir, "secret.ts"));
  const texts: Record<(typeof REFERENCING)[number]["name"], string> = {
    "playlist.m3u8": `#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nfile:${ts}\n#EXT-X-ENDLIST\n`,
    "list.ffconcat": `ffconcat version 1.0\nfile 'file:${clip}'\n`,
    "manifest.mpd": `<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="800000" width="640" height="360"><BaseURL>file:${clip}</BaseURL></Representation></AdaptationSet></Period></MPD>\n`,
  };
  for (const r of REFERENCING) writeFileSync(join(dir, r.name), texts[r.name]);
}

export async function putFile(
  url: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(url, { method: "PUT", body: bytes, headers });
  await res.arrayBuffer();
  return res.status;
}

/** Creates a video and sends the whole file with one signed PUT, then upload-complete; returns its id. */
export async function uploadSingle(
  api: ApiClient,
  path: string,
  title: string,
  contentType = "video/mp4",
): Promise<string> {
  const bytes = new Uint8Array(readFileSync(path));
  const created = await api.call<{
    video: { id: string };
    upload: { kind: string; url: string; headers?: Record<string, string> };
  }>("POST", "/api/v1/videos", { title, upload: { size: bytes.length, contentType } }, 201);
  expect(created.upload.kind).toBe("single");
  expect(await putFile(created.upload.url, bytes, created.upload.headers)).toBe(200);
  await api.call("POST", `/api/v1/videos/${created.video.id}/upload-complete`, undefined, 202);
  return created.video.id;
}

/** Downloads a rendition (init + every segment its playlist lists) into one fMP4 file. */
export async function downloadRendition(
  baseUrl: string,
  playlistText: string,
  out: string,
): Promise<{ segments: string[]; durations: number[] }> {
  const lines = playlistText.split("\n").map((l) => l.trim());
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlistText)?.[1];
  const segments = lines.filter((l) => l && !l.startsWith("#"));
  const durations = lines
    .filter((l) => l.startsWith("#EXTINF:"))
    .map((l) => Number(l.slice(8).split(",")[0]));
  const parts: Uint8Array[] = [];
  for (const name of init ? [init, ...segments] : segments) {
    const res = await fetch(new URL(name, baseUrl));
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    parts.push(new Uint8Array(await res.arrayBuffer()));
  }
  writeFileSync(out, Buffer.concat(parts));
  return { segments, durations };
}

/**
 * The HLS conformance of a ready video as served by /media, checked with a third-party parser
 * (hls-parser, strict) on the master and every media playlist: VOD + ENDLIST, BANDWIDTH ≥ the
 * RFC 8216 peak segment bit rate of the bytes served (init segments included), AVERAGE-BANDWIDTH
 * as measured, no sub-second audio segment (apps/origin-transcoder/src/hls-conformance.testkit.ts).
 */
export async function checkConformance(manifestUrl: string): Promise<LadderFigures> {
  const get = async (path: string) => {
    const res = await fetch(new URL(path, manifestUrl));
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res;
  };
  return checkLadderConformance({
    text: async (path) => (await get(path)).text(),
    size: async (path) => (await (await get(path)).arrayBuffer()).byteLength,
  });
}

/**
 * Plays the ready video the way a player would and checks every rendition with ffprobe: fMP4 video
 * rungs without audio, one AAC audio rendition, aligned keyframes and equal segment boundaries; and
 * the HLS conformance of every playlist (checkConformance).
 */
export async function checkLadder(api: ApiClient, id: string, dir: string) {
  const pb = await api.call<{ manifestUrl: string }>("GET", `/api/v1/videos/${id}/playback`, undefined, 200);
  const master = await (await fetch(pb.manifestUrl)).text();
  expect(master).toContain("#EXT-X-INDEPENDENT-SEGMENTS");
  const conformance = await checkConformance(pb.manifestUrl);
  const streamInf = master.split("\n").filter((l) => l.startsWith("#EXT-X-STREAM-INF:"));
  expect(streamInf.length).toBeGreaterThan(1);
  for (const line of streamInf)
    expect(line).toMatch(/BANDWIDTH=\d+.*RESOLUTION=\d+x\d+.*CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
  const lines = master.split("\n");
  const rungs = lines.filter((_line, i) => (lines[i - 1] ?? "").startsWith("#EXT-X-STREAM-INF:"));
  const audioUri = /#EXT-X-MEDIA:TYPE=AUDIO.*URI="([^"]+)"/.exec(master)?.[1];
  expect(audioUri).toBeTruthy();
  const keyframes: string[][] = [];
  const durations: number[][] = [];
  const segmentSets: string[][] = [];
  const renditions: { uri: string; segments: string[]; seconds: number }[] = [];
  for (const uri of [...rungs, audioUri as string]) {
    const playlistUrl = new URL(uri, pb.manifestUrl);
    const text = await (await fetch(playlistUrl)).text();
    expect(text, uri).toContain("#EXT-X-ENDLIST");
    const file = join(dir, `${id}-${uri.replaceAll("/", "_")}.mp4`);
    const got = await downloadRendition(playlistUrl.toString(), text, file);
    expect(new Set(got.segments).size, `${uri}: no segment twice`).toBe(got.segments.length);
    segmentSets.push(got.segments);
    renditions.push({ uri, segments: got.segments, seconds: got.durations.reduce((a, b) => a + b, 0) });
    const streams = await probeStreams(file);
    if (uri === audioUri) {
      expect(streams.map((s) => s.codec_type)).toEqual(["audio"]);
      expect(streams[0]?.codec_name).toBe("aac");
    } else {
      // Audio is encoded once, into its own rendition: video rungs carry none.
      expect(streams.map((s) => s.codec_type)).toEqual(["video"]);
      expect(streams[0]?.codec_name).toBe("h264");
      keyframes.push((await keyframeTimes(file)).map((t) => t.toFixed(2)));
      durations.push(got.durations);
    }
  }
  // Aligned keyframes and equal segment boundaries on every rung: players can switch anywhere.
  for (const k of keyframes.slice(1)) expect(k).toEqual(keyframes[0]);
  for (const d of durations.slice(1)) expect(d).toEqual(durations[0]);
  return {
    rungs: rungs.length,
    segments: segmentSets[0] ?? [],
    totalSeconds: (durations[0] ?? []).reduce((a, b) => a + b, 0),
    /** Every rung and the audio rendition (last). */
    renditions,
    conformance,
  };
}
