// Rungs above 1080p through the whole origin (`bun src/main.ts`, Debian's ffmpeg) against the fake
// edge: a UHD source gets 2160p and 1440p on top of the usual ladder, with the H.264 level each size
// needs in the master's CODECS and in the SPS; a 1440p source tops out at 1440p (never upscaled); a
// portrait UHD source gets rungs by its height, as ladderFor defines them.
//
// Cost on a 2-core machine is what bounds the clips: the UHD clip is 5 s at 10 fps (50 frames, two
// segments so keyframe alignment across rungs means something); the 1440p and portrait clips are
// 1 s at 30 fps. The H.264 level of these sizes is set by the frame size, not the rate, at ≤ 30 fps
// (3840×2160 needs 5.1 at 10 fps as at 30; the rate check is in ladder.test.ts).
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffprobe, keyframeTimes, makeTestPatternClip } from "../../../scripts/lib/media-tools";
import { FakeEdge, type FakeEvent } from "../test/fake-edge";
import { ORIGIN_TEST_TOKEN, spawnOrigin } from "../test/origin-process";
import { checkLadderConformance } from "./hls-conformance.testkit";
import { parseMediaPlaylist } from "./playlist";

const TOKEN = ORIGIN_TEST_TOKEN;

type Complete = Extract<FakeEvent, { kind: "complete" }>;

interface Variant {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  averageBandwidth: number;
  frameRate: number;
  codecs: string;
}

/** The master's variants in order, read from its attribute lists (not from the origin's own types). */
function parseMaster(text: string): Variant[] {
  const lines = text.split("\n");
  const out: Variant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const attr = (name: string) => new RegExp(`[:,]${name}=("[^"]*"|[^,]*)`).exec(line)?.[1] ?? "";
    const [w, h] = attr("RESOLUTION").split("x").map(Number);
    out.push({
      name: (lines[i + 1] ?? "").replace(/\/playlist\.m3u8$/, ""),
      width: w as number,
      height: h as number,
      bandwidth: Number(attr("BANDWIDTH")),
      averageBandwidth: Number(attr("AVERAGE-BANDWIDTH")),
      frameRate: Number(attr("FRAME-RATE")),
      codecs: attr("CODECS").replace(/"/g, ""),
    });
  });
  return out;
}

interface Clip {
  videoId: string;
  size: string;
  seconds: number;
  fps: number;
  path: string;
  sourceBytes: number;
  /** Lease → complete, from the fake edge's event clock. */
  wallSeconds: number;
  done: Complete;
  master: string;
  variants: Variant[];
}

const CLIPS = {
  uhd: { videoId: "vid-uhd", size: "3840x2160", seconds: 5, fps: 10 },
  qhd: { videoId: "vid-qhd", size: "2560x1440", seconds: 1, fps: 30 },
  portrait: { videoId: "vid-portrait", size: "2160x3840", seconds: 1, fps: 30 },
} as const;
type ClipName = keyof typeof CLIPS;

let dir: string;
let edge: FakeEdge;
let origin: ChildProcess | null = null;
const logs: string[] = [];
const clips = {} as Record<ClipName, Clip>;

async function startOrigin(workDir: string): Promise<ChildProcess> {
  const child = spawnOrigin(edge.base, workDir);
  child.stdout?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  child.stderr?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  return child;
}

const stored = (c: Clip, path: string) => edge.storedPath(c.videoId, path);

/** init.mp4 + every segment of a stored rendition, concatenated into one playable fMP4 file. */
async function joined(c: Clip, rendition: string): Promise<{ file: string; durations: number[] }> {
  const pl = parseMediaPlaylist(await readFile(stored(c, `hls/${rendition}/playlist.m3u8`), "utf8"));
  const parts = [pl.mapUri ?? "", ...pl.segments.map((s) => s.uri)].map((u) =>
    stored(c, `hls/${rendition}/${u}`),
  );
  const file = join(dir, `${c.videoId}-${rendition}.mp4`);
  await writeFile(file, Buffer.concat(await Promise.all(parts.map((p) => readFile(p)))));
  return { file, durations: pl.segments.map((s) => s.duration) };
}

/** Decodes every frame of the first video stream (ffprobe -count_frames) and reports its size. */
async function decoded(file: string): Promise<{ width: number; height: number; frames: number }> {
  const info = await ffprobe(file, ["-count_frames", "-select_streams", "v:0", "-show_streams"]);
  const s = (info.streams as { width: number; height: number; nb_read_frames: string }[])[0];
  return { width: s?.width ?? 0, height: s?.height ?? 0, frames: Number(s?.nb_read_frames) };
}

/** `avc1.PPCCLL` from the init segment's avcC box: what a decoder is really told. */
async function avccCodec(c: Clip, rendition: string): Promise<string> {
  const init = await readFile(stored(c, `hls/${rendition}/init.mp4`));
  const at = init.indexOf("avcC");
  return `avc1.${init.subarray(at + 5, at + 8).toString("hex")}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "origin-tall-"));
  const started = performance.now();
  for (const [name, spec] of Object.entries(CLIPS) as [ClipName, (typeof CLIPS)[ClipName]][]) {
    const path = join(dir, `${name}.mp4`);
    await makeTestPatternClip(path, {
      size: spec.size,
      seconds: spec.seconds,
      fps: spec.fps,
      preset: "ultrafast",
    });
    clips[name] = { ...spec, path, sourceBytes: (await stat(path)).size } as Clip;
  }
  const made = (performance.now() - started) / 1000;

  edge = new FakeEdge(TOKEN, join(dir, "storage"), 5000);
  for (const c of Object.values(clips)) {
    edge.enqueue({ id: `job-${c.videoId}`, videoId: c.videoId, sourcePath: c.path });
  }
  await edge.start();
  const t0 = performance.now();
  origin = await startOrigin(join(dir, "work"));
  for (const c of Object.values(clips)) {
    const jobId = `job-${c.videoId}`;
    const end = await edge.waitFor(
      (e) => (e.kind === "complete" || e.kind === "fail") && e.jobId === jobId,
      240_000,
    );
    if (end.kind !== "complete")
      throw new Error(`${jobId} failed: ${JSON.stringify(end)}\n${logs.join("\n")}`);
    const lease = edge.events.find((e) => e.kind === "lease" && e.jobId === jobId) as FakeEvent;
    c.done = end;
    c.wallSeconds = (end.at - lease.at) / 1000;
    c.master = await readFile(stored(c, "hls/master.m3u8"), "utf8");
    c.variants = parseMaster(c.master);
  }
  const total = (performance.now() - t0) / 1000;
  const figures = Object.values(clips).map(
    (c) =>
      `${c.size} ${c.seconds}s@${c.fps}fps (${(c.sourceBytes / 1e6).toFixed(1)} MB): ${c.wallSeconds.toFixed(1)} s ` +
      `lease→complete, rungs (kbit/s avg incl. audio) ` +
      c.variants.map((v) => `${v.name} ${Math.round(v.averageBandwidth / 1000)}`).join(", "),
  );
  console.log(
    `tall rungs (2 cores): sources made in ${made.toFixed(1)} s; origin ${total.toFixed(1)} s\n  ${figures.join("\n  ")}`,
  );
}, 300_000);

afterAll(async () => {
  if (origin && origin.exitCode === null) {
    const exited = once(origin, "exit");
    origin.kill("SIGTERM");
    await exited;
  }
  await edge?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("tall rungs through the whole origin (real ffmpeg, fake edge)", () => {
  it("gives a 3840×2160 source 2160p and 1440p above 1080p, with each size's H.264 level in CODECS", () => {
    const c = clips.uhd;
    expect(c.variants.map((v) => [v.name, `${v.width}x${v.height}`, v.codecs])).toEqual([
      ["2160p", "3840x2160", "avc1.640033,mp4a.40.2"], // High, level 5.1
      ["1440p", "2560x1440", "avc1.640032,mp4a.40.2"], // level 5.0
      ["1080p", "1920x1080", "avc1.640028,mp4a.40.2"], // level 4.0
      ["720p", "1280x720", "avc1.64001f,mp4a.40.2"], // level 3.1
      ["480p", "854x480", "avc1.640016,mp4a.40.2"], // level 2.2 at 10 fps
      ["360p", "640x360", "avc1.640016,mp4a.40.2"],
      ["240p", "426x240", "avc1.640015,mp4a.40.2"],
    ]);
    for (const v of c.variants) expect(v.frameRate).toBe(c.fps);
    expect(c.master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud"');
    // The completion result carries the same rungs, sizes, codecs and peak bandwidths.
    expect(c.done.result).toMatchObject({ width: 3840, height: 2160 });
    expect(c.done.result.renditions.map((r) => [r.name, r.width, r.height, r.codecs, r.bandwidth])).toEqual(
      c.variants.map((v) => [v.name, v.width, v.height, v.codecs, v.bandwidth]),
    );
  });

  it("writes into every rung's SPS the level its CODECS advertises (avcC)", async () => {
    for (const c of Object.values(clips)) {
      for (const v of c.variants)
        expect(await avccCodec(c, v.name), `${c.videoId} ${v.name}`).toBe(v.codecs.split(",")[0]);
    }
  });

  it("advertises BANDWIDTH ≥ the RFC 8216 peak of the stored segments (init included), in VOD playlists hls-parser accepts", async () => {
    for (const c of Object.values(clips)) {
      const got = await checkLadderConformance({
        text: (path) => readFile(stored(c, `hls/${path}`), "utf8"),
        size: async (path) => (await stat(stored(c, `hls/${path}`))).size,
      });
      expect(
        got.variants.map((v) => v.bandwidth),
        c.videoId,
      ).toEqual(c.variants.map((v) => v.bandwidth));
      for (const v of got.variants)
        expect(v.bandwidth, `${c.videoId} ${v.uri}`).toBeGreaterThanOrEqual(v.averageBandwidth);
    }
    const [r2160, r1440, r1080] = clips.uhd.variants;
    expect(r2160?.averageBandwidth).toBeGreaterThan(r1440?.averageBandwidth as number);
    expect(r1440?.averageBandwidth).toBeGreaterThan(r1080?.averageBandwidth as number);
  });

  it("decodes every rung at its stated size, with keyframes and segments aligned across rungs", async () => {
    const c = clips.uhd;
    const frames = c.seconds * c.fps;
    const durations: number[][] = [];
    const keyframes: number[][] = [];
    for (const v of c.variants) {
      const { file, durations: d } = await joined(c, v.name);
      expect(await decoded(file), v.name).toEqual({ width: v.width, height: v.height, frames });
      durations.push(d);
      keyframes.push(await keyframeTimes(file));
    }
    // 5 s on the schedule 0.5, 1, 2, 6 s: four segments (0.5 + 0.5 + 1 + 3 s), cut at the same
    // instants in every rung (and the audio).
    expect(durations[0]?.length).toBe(4);
    expect(durations[0]?.[0]).toBeCloseTo(0.5, 2);
    expect(durations[0]?.[1]).toBeCloseTo(0.5, 2);
    expect(durations[0]?.[2]).toBeCloseTo(1, 2);
    for (const d of durations) expect(d).toEqual(durations[0]);
    for (const k of keyframes) expect(k).toEqual(keyframes[0]);
    // Times are presentation times, shifted by the B-frame delay alike in every rung.
    const [k0, k1] = keyframes[0] as number[];
    expect(keyframes[0]).toHaveLength(4);
    expect((k1 as number) - (k0 as number)).toBeCloseTo(0.5, 2);
    const audio = parseMediaPlaylist(await readFile(stored(c, "hls/audio/playlist.m3u8"), "utf8"));
    expect(audio.segments).toHaveLength(4);
  }, 120_000);

  it("never upscales: a 2560×1440 source tops out at 1440p and stores no 2160p", async () => {
    const c = clips.qhd;
    expect(c.variants.map((v) => [v.name, `${v.width}x${v.height}`, v.codecs.split(",")[0]])).toEqual([
      ["1440p", "2560x1440", "avc1.640032"],
      ["1080p", "1920x1080", "avc1.640028"],
      ["720p", "1280x720", "avc1.64001f"],
      ["480p", "854x480", "avc1.64001f"],
      ["360p", "640x360", "avc1.64001e"],
      ["240p", "426x240", "avc1.640015"],
    ]);
    expect((await readdir(stored(c, "hls"))).sort()).toEqual(
      ["1080p", "1440p", "240p", "360p", "480p", "720p", "audio", "master.m3u8"].sort(),
    );
    for (const v of c.variants) {
      const { file } = await joined(c, v.name);
      expect(await decoded(file), v.name).toEqual({ width: v.width, height: v.height, frames: c.fps });
    }
  }, 120_000);

  it("gives a 2160×3840 portrait source rungs by height (as ladderFor does), never wider than the source", async () => {
    const c = clips.portrait;
    expect(c.done.result).toMatchObject({ width: 2160, height: 3840 });
    expect(c.variants.map((v) => [v.name, `${v.width}x${v.height}`, v.codecs.split(",")[0]])).toEqual([
      ["2160p", "1216x2160", "avc1.640032"], // 76×135 macroblocks: over 4.2's frame size → 5.0
      ["1440p", "810x1440", "avc1.640020"], // level 3.2
      ["1080p", "608x1080", "avc1.64001f"],
      ["720p", "406x720", "avc1.64001e"],
      ["480p", "270x480", "avc1.640015"],
      ["360p", "202x360", "avc1.64000d"],
      ["240p", "136x240", "avc1.64000c"],
    ]);
    for (const v of c.variants) {
      const { file } = await joined(c, v.name);
      expect(await decoded(file), v.name).toEqual({ width: v.width, height: v.height, frames: c.fps });
    }
  }, 120_000);
});
