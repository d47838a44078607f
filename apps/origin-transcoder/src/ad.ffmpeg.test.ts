// Ad creatives (job kind `ad`) through the whole origin (`bun src/main.ts`, Debian's ffmpeg) against
// the fake edge, and a splice of a real ad output into a real content output the way the edge
// stitches them (docs/ads.md): the ad rung's segments with its own EXT-X-MAP, EXT-X-DISCONTINUITY,
// then the content rung's EXT-X-MAP and segments.
//
// Clips are short and small (2 cores in CI): a 2560×1440 ad, 5 s at 10 fps, whose audio is 44.1 kHz
// mono and ends after 3 s (so the ad must cap its rungs at 1080p, resample, upmix and pad); a
// 640×360 ad, 6 s at 30 fps, with no audio at all (silence must be added); a 61 s ad at 160×90 and
// 1 fps (refused before any transcoding); and a 1280×720 content video, 6 s at 30 fps.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AD_MAX_HEIGHT, AD_MP4_PATH, LADDER, SEGMENT_SECONDS } from "@marquee/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffmpeg, ffprobe, runTool } from "../../../scripts/lib/media-tools";
import { FakeEdge, type FakeEvent } from "../test/fake-edge";
import { ORIGIN_TEST_TOKEN, spawnOrigin } from "../test/origin-process";
import { checkLadderConformance } from "./hls-conformance.testkit";
import { parseMediaPlaylist } from "./playlist";

type End = Extract<FakeEvent, { kind: "complete" | "fail" }>;
type Complete = Extract<FakeEvent, { kind: "complete" }>;

const AAC_FRAME = 1024 / 48_000;

/** Sources, made with ffmpeg's lavfi test sources (argv after the input options). */
const SOURCES = {
  // Video 5 s; audio 44.1 kHz mono, 3 s: shorter, another rate, one channel.
  adTall: {
    kind: "ad",
    inputs: ["-f", "lavfi", "-i", "testsrc2=size=2560x1440:rate=10:duration=5"],
    audio: ["-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100:duration=3"],
  },
  adSilent: { kind: "ad", inputs: ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=6"] },
  adLong: { kind: "ad", inputs: ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=1:duration=61"] },
  content: {
    kind: "content",
    inputs: ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6"],
    audio: ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6"],
  },
} as const;
type Name = keyof typeof SOURCES;

let dir: string;
let edge: FakeEdge;
let origin: ChildProcess | null = null;
const logs: string[] = [];
const ends = {} as Record<Name, End>;

const videoId = (name: Name) => `vid-${name}`;
const stored = (name: Name, path: string) => edge.storedPath(videoId(name), path);
const done = (name: Name) => {
  const e = ends[name];
  if (e.kind !== "complete")
    throw new Error(`${name} did not complete: ${JSON.stringify(e)}\n${logs.join("\n")}`);
  return e as Complete;
};

async function playlist(name: Name, rendition: string) {
  return parseMediaPlaylist(await readFile(stored(name, `hls/${rendition}/playlist.m3u8`), "utf8"));
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** init.mp4 + every segment of a stored rendition, joined into one fMP4 file. */
async function joined(name: Name, rendition: string): Promise<string> {
  const pl = await playlist(name, rendition);
  const parts = [pl.mapUri ?? "", ...pl.segments.map((s) => s.uri)].map((u) =>
    readFile(stored(name, `hls/${rendition}/${u}`)),
  );
  const file = join(dir, `${name}-${rendition}.mp4`);
  await writeFile(file, Buffer.concat(await Promise.all(parts)));
  return file;
}

interface Stream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  duration?: string;
}
const streamsOf = async (file: string) => (await ffprobe(file, ["-show_streams"])).streams as Stream[];

/** Top-level MP4 box types in file order. */
function topLevelBoxes(bytes: Buffer): string[] {
  const types: string[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(at);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    types.push(bytes.toString("latin1", at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return types;
}

/**
 * Decodes a stitched media playlist end to end as an HLS player does: each discontinuity starts a
 * new decoder with the EXT-X-MAP in force (ffmpeg's hls demuxer would not: it reads past
 * EXT-X-DISCONTINUITY with the first init segment's decoder setup). Every run of segments becomes a
 * playlist of its own, and ONE ffmpeg decodes them in order through the concat filter (scaled to
 * the first run's size), failing on any decode error. Returns the decoded duration and frame count.
 */
async function decodeStitched(
  text: string,
  kind: "video" | "audio",
): Promise<{ seconds: number; frames: number; runs: number }> {
  const head = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:4", "#EXT-X-PLAYLIST-TYPE:VOD"];
  const body = text
    .split("\n")
    .filter(
      (l) => l && !/^#EXT(M3U|-X-(VERSION|TARGETDURATION|PLAYLIST-TYPE|ENDLIST|MEDIA-SEQUENCE))/.test(l),
    );
  const runs: string[][] = [[]];
  for (const line of body) {
    if (line === "#EXT-X-DISCONTINUITY") runs.push([]);
    else runs[runs.length - 1]?.push(line);
  }
  const inputs: string[] = [];
  for (const [i, run] of runs.entries()) {
    const file = join(dir, `stitched-${kind}-${i}.m3u8`);
    await writeFile(file, `${[...head, ...run, "#EXT-X-ENDLIST"].join("\n")}\n`);
    inputs.push("-f", "hls", "-protocol_whitelist", "file", "-i", file);
  }
  const first = kind === "video" ? (await streamsOf(join(dir, "stitched-video-0.m3u8")))[0] : null;
  const chain = runs
    .map((_, i) =>
      kind === "video"
        ? `[${i}:v:0]scale=${first?.width}:${first?.height},setsar=1[p${i}]`
        : `[${i}:a:0]anull[p${i}]`,
    )
    .join(";");
  const pads = runs.map((_, i) => `[p${i}]`).join("");
  const graph = `${chain};${pads}concat=n=${runs.length}:v=${kind === "video" ? 1 : 0}:a=${kind === "audio" ? 1 : 0}[out]`;
  const res = await runTool("ffmpeg", [
    ...["-nostdin", "-hide_banner", "-loglevel", "error", "-xerror", ...inputs],
    ...["-filter_complex", graph, "-map", "[out]", "-f", "framecrc", "-"],
  ]);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr.trim(), "decode errors").toBe("");
  // framecrc: "#tb 0: num/den", then "stream, dts, pts, duration, size, crc" per frame.
  const [num, den] = (/#tb 0: (\d+)\/(\d+)/.exec(res.stdout)?.slice(1) ?? []).map(Number);
  const frames = res.stdout.split("\n").filter((l) => /^\s*0,/.test(l));
  const last = (frames[frames.length - 1] ?? "").split(",").map((x) => Number(x.trim()));
  const seconds = (((last[2] ?? 0) + (last[3] ?? 0)) * (num as number)) / (den as number);
  return { seconds, frames: frames.length, runs: runs.length };
}

/** The stitched media playlist as the edge builds it: ad run, EXT-X-DISCONTINUITY, content run. */
async function stitched(ad: Name, adRung: string, content: Name, contentRung: string): Promise<string> {
  const a = await playlist(ad, adRung);
  const c = await playlist(content, contentRung);
  const abs = (name: Name, rung: string, uri: string) => stored(name, `hls/${rung}/${uri}`);
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
  ];
  lines.push(`#EXT-X-MAP:URI="${abs(ad, adRung, a.mapUri ?? "")}"`);
  for (const s of a.segments) lines.push(`#EXTINF:${s.duration.toFixed(6)},`, abs(ad, adRung, s.uri));
  lines.push("#EXT-X-DISCONTINUITY", `#EXT-X-MAP:URI="${abs(content, contentRung, c.mapUri ?? "")}"`);
  for (const s of c.segments)
    lines.push(`#EXTINF:${s.duration.toFixed(6)},`, abs(content, contentRung, s.uri));
  lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

/** The edge's matching rule: the tallest ad rung at or below the content rung's height, else the smallest. */
function matchAdRung(adRungs: readonly string[], contentRung: string): string {
  const h = (r: string) => Number.parseInt(r, 10);
  return adRungs.find((r) => h(r) <= h(contentRung)) ?? (adRungs[adRungs.length - 1] as string);
}
const rungsOf = (name: Name) => done(name).result.renditions.map((r) => r.name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "origin-ad-"));
  await Promise.all(
    (Object.entries(SOURCES) as [Name, (typeof SOURCES)[Name]][]).map(async ([name, spec]) => {
      const audio = "audio" in spec ? spec.audio : [];
      const made = await ffmpeg([
        ...spec.inputs,
        ...audio,
        ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
        ...(audio.length ? ["-c:a", "aac", "-ac", "1"] : []),
        join(dir, `${name}.mp4`),
      ]);
      if (made.code !== 0) throw new Error(made.stderr);
    }),
  );
  edge = new FakeEdge(ORIGIN_TEST_TOKEN, join(dir, "storage"), 5000);
  for (const [name, spec] of Object.entries(SOURCES) as [Name, (typeof SOURCES)[Name]][]) {
    edge.enqueue({
      id: `job-${name}`,
      videoId: videoId(name),
      sourcePath: join(dir, `${name}.mp4`),
      kind: spec.kind,
    });
  }
  await edge.start();
  origin = spawnOrigin(edge.base, join(dir, "work"));
  origin.stdout?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  origin.stderr?.on("data", (d: Buffer) => logs.push(d.toString().trim()));
  const t0 = performance.now();
  for (const name of Object.keys(SOURCES) as Name[]) {
    const jobId = `job-${name}`;
    ends[name] = (await edge.waitFor(
      (e) => (e.kind === "complete" || e.kind === "fail") && e.jobId === jobId,
      240_000,
    )) as End;
  }
  console.log(
    `ads (2 cores): origin ${((performance.now() - t0) / 1000).toFixed(1)} s for ${Object.keys(SOURCES).length} jobs`,
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

describe("ad creatives through the whole origin (real ffmpeg, fake edge)", () => {
  it("gives a 2560×1440 ad the LADDER rungs up to 1080p only, and a 360p ad none above its own height", async () => {
    const ladder = LADDER.map((r) => r.name);
    expect(rungsOf("adTall")).toEqual(ladder.filter((_, i) => (LADDER[i]?.height ?? 0) <= AD_MAX_HEIGHT));
    expect(rungsOf("adTall")).toEqual(["1080p", "720p", "480p", "360p", "240p"]);
    expect(rungsOf("adSilent")).toEqual(["360p", "240p"]);
    expect((await readdir(stored("adTall", "hls"))).sort()).toEqual(
      ["1080p", "720p", "480p", "360p", "240p", "audio", "master.m3u8"].sort(),
    );
    const master = await readFile(stored("adSilent", "hls/master.m3u8"), "utf8");
    // The silent source's ad advertises an audio rendition all the same.
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud"');
    for (const r of done("adSilent").result.renditions)
      expect(r.codecs).toMatch(/^avc1\.6400[0-9a-f]{2},mp4a\.40\.2$/);
    expect(done("adTall").result).toMatchObject({ width: 2560, height: 1440, durationMs: 5000 });
    expect(done("adSilent").result).toMatchObject({ width: 640, height: 360, durationMs: 6000 });
  });

  it("encodes every ad rung as content does: H.264 High, the rung's size, SEGMENT_SECONDS segments but the last", async () => {
    for (const name of ["adTall", "adSilent"] as const) {
      for (const r of done(name).result.renditions) {
        const [s] = await streamsOf(await joined(name, r.name));
        expect([s?.codec_name, s?.profile, s?.width, s?.height], `${name} ${r.name}`).toEqual([
          "h264",
          "High",
          r.width,
          r.height,
        ]);
        const durations = (await playlist(name, r.name)).segments.map((x) => x.duration);
        expect(
          durations.slice(0, -1).every((d) => Math.abs(d - SEGMENT_SECONDS) < 0.001),
          `${name} ${r.name}`,
        ).toBe(true);
      }
    }
    expect((await playlist("adTall", "720p")).segments.map((s) => s.duration)).toEqual([4, 1]);
    expect((await playlist("adSilent", "360p")).segments.map((s) => s.duration)).toEqual([4, 2]);
  }, 120_000);

  it("gives every ad AAC-LC 48 kHz stereo as long as its video (±1 AAC frame), even a silent or short-audio source", async () => {
    for (const name of ["adTall", "adSilent"] as const) {
      const top = rungsOf(name)[0] as string;
      const [a] = await streamsOf(await joined(name, "audio"));
      expect([a?.codec_name, a?.profile, a?.sample_rate, a?.channels], name).toEqual([
        "aac",
        "LC",
        "48000",
        2,
      ]);
      const video = sum((await playlist(name, top)).segments.map((s) => s.duration));
      const audio = Number(a?.duration);
      console.log(`${name}: video ${video.toFixed(4)} s, audio ${audio.toFixed(4)} s`);
      expect(Math.abs(audio - video), name).toBeLessThanOrEqual(AAC_FRAME + 0.001);
      // The audio playlist cuts where the video's does (to within an AAC frame), with no sub-second
      // segment (a shorter audio tail would have been joined to the segment before it: tail.ts).
      const audioSegs = (await playlist(name, "audio")).segments;
      expect(audioSegs.length).toBe((await playlist(name, top)).segments.length);
      expect(
        audioSegs.every((x) => x.duration >= 1),
        `${name}: no sub-second audio segment`,
      ).toBe(true);
    }
  }, 60_000);

  it("uploads mp4/ad.mp4: H.264 High + AAC, the 720p rung, its index before its media (faststart)", async () => {
    const file = stored("adTall", AD_MP4_PATH);
    const streams = await streamsOf(file);
    expect(streams.map((s) => [s.codec_type, s.codec_name, s.profile])).toEqual([
      ["video", "h264", "High"],
      ["audio", "aac", "LC"],
    ]);
    expect([streams[0]?.width, streams[0]?.height]).toEqual([1280, 720]);
    const boxes = topLevelBoxes(await readFile(file));
    expect(boxes.indexOf("moov")).toBeGreaterThanOrEqual(0);
    expect(boxes.indexOf("moov")).toBeLessThan(boxes.indexOf("mdat"));
    const format = (await ffprobe(file, ["-show_format"])).format as { duration: string };
    expect(Number(format.duration)).toBeCloseTo(5, 1);
    // The silent ad's MP4 has (silent) sound too, at its tallest rung ≤ 720p: 360p.
    const silent = await streamsOf(stored("adSilent", AD_MP4_PATH));
    expect(silent.map((s) => [s.codec_name, s.height ?? s.channels])).toEqual([
      ["h264", 360],
      ["aac", 2],
    ]);
    // A poster, no storyboard.
    expect(await readdir(stored("adTall", "thumbs"))).toEqual(["poster.jpg"]);
    const puts = edge.events.filter((e) => e.kind === "put" && e.videoId === videoId("adTall"));
    expect(puts.some((e) => e.kind === "put" && e.path.startsWith("storyboard/"))).toBe(false);
  });

  it("publishes HLS a third-party parser accepts: VOD playlists, BANDWIDTH ≥ the RFC 8216 peak", async () => {
    for (const name of ["adTall", "adSilent", "content"] as const) {
      const got = await checkLadderConformance({
        text: (path) => readFile(stored(name, `hls/${path}`), "utf8"),
        size: async (path) => (await stat(stored(name, `hls/${path}`))).size,
      });
      expect(
        got.variants.map((v) => v.uri.split("/")[0]),
        name,
      ).toEqual(rungsOf(name));
    }
  });

  it("refuses a 61 s ad for good, with the reason, before storing anything", () => {
    const end = ends.adLong;
    expect(end.kind).toBe("fail");
    if (end.kind !== "fail") return;
    expect(end.retryable).toBe(false);
    expect(end.reason).toBe("an ad may be at most 1m long; this video is 1m 1s (61.0 s)");
    expect(edge.events.some((e) => e.kind === "put" && e.videoId === videoId("adLong"))).toBe(false);
  });

  it("leaves content as it was: storyboard, thumbnails, no MP4, and audio only from the source", async () => {
    expect(rungsOf("content")).toEqual(["720p", "480p", "360p", "240p"]);
    expect((await readdir(stored("content", "thumbs"))).length).toBeGreaterThan(1);
    expect(await readdir(stored("content", "storyboard"))).toContain("sprite.jpg");
    expect(await readdir(stored("content", ""))).not.toContain("mp4");
  });
});

describe("an ad spliced into content (the edge's stitched media playlists)", () => {
  const cases = [
    // Content rung ← the matched ad rung: the same size at 10 fps before 30 fps; then a 360p ad
    // (its tallest rung ≤ 480p, the silent one) before a 480p rung: another size across the break.
    { ad: "adTall", content: "720p" },
    { ad: "adTall", content: "480p" },
    { ad: "adSilent", content: "480p" },
  ] as const;
  for (const c of cases) {
    it(`decodes ${c.ad} + content ${c.content} end to end, lasting ad + content (±1 frame)`, async () => {
      const adRung = matchAdRung(rungsOf(c.ad), c.content);
      const text = await stitched(c.ad, adRung, "content", c.content);
      const adSeconds = sum((await playlist(c.ad, adRung)).segments.map((s) => s.duration));
      const contentSeconds = sum((await playlist("content", c.content)).segments.map((s) => s.duration));
      const got = await decodeStitched(text, "video");
      console.log(
        `splice ${c.ad} ${adRung} + content ${c.content}: ${got.frames} frames, ${got.seconds.toFixed(3)} s = ${adSeconds} + ${contentSeconds}`,
      );
      expect(got.runs).toBe(2);
      expect(Math.abs(got.seconds - (adSeconds + contentSeconds))).toBeLessThanOrEqual(1 / 30 + 0.001);
      const adFrames = c.ad === "adTall" ? 50 : 180;
      expect(got.frames).toBe(adFrames + 180);
    }, 60_000);
  }

  it("decodes the stitched audio (ad audio, then content audio) and the ad's part lasts as long as its video", async () => {
    const text = await stitched("adSilent", "audio", "content", "audio");
    const got = await decodeStitched(text, "audio");
    const adAudio = Number((await streamsOf(await joined("adSilent", "audio")))[0]?.duration);
    const contentAudio = Number((await streamsOf(await joined("content", "audio")))[0]?.duration);
    console.log(`audio splice: ${got.seconds.toFixed(4)} s = ${adAudio} + ${contentAudio}`);
    expect(Math.abs(got.seconds - (adAudio + contentAudio))).toBeLessThanOrEqual(AAC_FRAME + 0.001);
    expect(Math.abs(adAudio - 6)).toBeLessThanOrEqual(AAC_FRAME + 0.001);
  }, 60_000);
});
