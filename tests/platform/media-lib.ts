// Helpers of the media end-to-end test: clips made by ffmpeg, origins started and killed by the
// test, an API client, and ffprobe checks of what the edge serves.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestPatternClip } from "../../scripts/lib/test-pattern";
import { freePort, ROOT, RUN_ID } from "./lib";

export function makeClip(
  path: string,
  options: { seconds: number; size?: string; videoKbps?: number; noise?: boolean },
): string {
  // Fast to make; the tests care about structure, not quality.
  return makeTestPatternClip(path, { size: "640x360", videoKbps: 800, preset: "ultrafast", ...options });
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

export function writeReferencingUploads(dir: string, clip: string): void {
  // HLS segments must be streamable, so the playlist names an MPEG-TS copy of the clip.
  const ts = join(dir, "secret.ts");
  const made = spawnSync(
    "ffmpeg",
    ["-nostdin", "-v", "error", "-y", "-i", clip, "-c", "copy", "-f", "mpegts", ts],
    {
      encoding: "utf8",
    },
  );
  if (made.status !== 0) throw new Error(`making ${ts}: ${made.stderr}`);
  const texts: Record<(typeof REFERENCING)[number]["name"], string> = {
    "playlist.m3u8": `#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nfile:${ts}\n#EXT-X-ENDLIST\n`,
    "list.ffconcat": `ffconcat version 1.0\nfile 'file:${clip}'\n`,
    "manifest.mpd": `<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="800000" width="640" height="360"><BaseURL>file:${clip}</BaseURL></Representation></AdaptationSet></Period></MPD>\n`,
  };
  for (const r of REFERENCING) writeFileSync(join(dir, r.name), texts[r.name]);
}

export function devVar(name: string): string {
  const line = readFileSync(join(ROOT, ".dev.vars"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} missing from .dev.vars`);
  return line.slice(name.length + 1).replace(/^'(.*)'$/, "$1");
}

export interface Origin {
  name: string;
  child: ChildProcess;
  log: () => string;
}

/** Starts an origin transcoder process of our own (the platform runs none in this test). */
export async function startOrigin(name: string, edgeUrl: string, workDir: string): Promise<Origin> {
  let log = "";
  const child = spawn("bun", ["apps/origin-transcoder/src/main.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      APP_ENV: "development",
      EDGE_URL: edgeUrl,
      ORIGIN_TOKEN: devVar("ORIGIN_TOKEN"),
      ORIGIN_PORT: String(await freePort()),
      ORIGIN_CONCURRENCY: "1",
      ORIGIN_WORK_DIR: workDir,
      MARQUEE_TEST_RUN_ID: RUN_ID,
    },
  });
  child.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  return { name, child, log: () => log };
}

export function kill(origin: Origin, signal: NodeJS.Signals): void {
  try {
    process.kill(-(origin.child.pid as number), signal);
  } catch {
    // already gone
  }
}

export class Api {
  token: string | null = null;
  constructor(public base: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    expected?: number,
  ): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (expected !== undefined && res.status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text.slice(0, 400)}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  }
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

export interface Stream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

export function probeStreams(path: string): Stream[] {
  const run = spawnSync(
    "ffprobe",
    ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
    {
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(`ffprobe rejected ${path}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { streams: Stream[] }).streams;
}

export function keyframeTimes(path: string): string[] {
  const run = spawnSync(
    "ffprobe",
    [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-skip_frame",
      "nokey",
      "-show_entries",
      "frame=pts_time",
      "-of",
      "csv=p=0",
      path,
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`ffprobe rejected ${path}: ${run.stderr}`);
  return run.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((t) => Number(t).toFixed(2));
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
