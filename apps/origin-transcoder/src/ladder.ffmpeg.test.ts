// The ladder command run for real (Debian ffmpeg) on a small generated clip: outputs exist in the
// storage layout, segments are valid fMP4, keyframes align across rungs, audio is encoded once, the
// master's codec strings match the encoded streams.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEGMENT_SECONDS } from "@marquee/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffprobe, keyframeTimes, makeTestPatternClip, runTool } from "../../../scripts/lib/media-tools";
import { runFfmpeg } from "./ffmpeg";
import { checkLadderConformance } from "./hls-conformance.testkit";
import { makeImages } from "./images";
import { cascadeParents, type LadderPlan, masterPlaylist, planLadderCommand, x264Threads } from "./ladder";
import { measuredVariants } from "./master-rates";
import {
  CONTENT_SCHEDULE,
  isCutTime,
  parseMediaPlaylist,
  publishedVariantPlaylist,
  type RenditionStats,
  withTargetDuration,
} from "./playlist";
import { probeFile } from "./probe";
import { type FfmpegProgress, progressPercent } from "./progress";
import { groupAudioChunks, planTailMerge, writeJoinedTail } from "./tail";

interface Stream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  channels?: number;
}

describe("ladder with real ffmpeg (854×480, 10 s, tone)", () => {
  let dir: string;
  let out: string;
  let plan: LadderPlan;
  const progress: FfmpegProgress[] = [];
  let seconds = 0;
  let source: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "origin-ladder-"));
    out = join(dir, "out");
    source = join(dir, "source");
    await makeTestPatternClip(source, { size: "854x480", seconds: 10, preset: "ultrafast" });
    const probe = await probeFile(source);
    plan = planLadderCommand({ input: source, outDir: out, probe });
    if (plan.images) await mkdir(plan.images.tilesDir, { recursive: true });
    const started = performance.now();
    // cwd as the worker runs it (the hls muxer mkdirs "../%v" relative to it).
    await runFfmpeg(plan.args, { cwd: out, onProgress: (p) => progress.push(p) });
    seconds = (performance.now() - started) / 1000;
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** init.mp4 + every segment of a rendition, concatenated into one playable fMP4 file. */
  async function joined(rendition: string): Promise<string> {
    const rdir = join(out, "hls", rendition);
    const pl = parseMediaPlaylist(await readFile(join(rdir, "playlist.m3u8"), "utf8"));
    const parts = [join(rdir, "init.mp4"), ...pl.segments.map((s) => join(rdir, s.uri))];
    const file = join(dir, `${rendition}.mp4`);
    await writeFile(file, Buffer.concat(await Promise.all(parts.map((p) => readFile(p)))));
    return file;
  }

  it("writes every rendition's playlist, init segment and segments in the storage layout", async () => {
    expect(plan.renditions).toEqual(["480p", "360p", "240p", "audio"]);
    expect((await readdir(join(out, "hls"))).sort()).toEqual(["240p", "360p", "480p", "audio"]);
    for (const r of plan.renditions) {
      // Video: 10 s cut at 0.5, 1, 2, 6 s. Audio: ffmpeg's half-second pieces (the publisher joins them).
      const segs = Array.from(
        { length: r === "audio" ? 10 : 4 },
        (_, i) => `seg_${String(i + 1).padStart(5, "0")}.m4s`,
      );
      const files = (await readdir(join(out, "hls", r))).sort();
      expect(files.slice(0, 2 + segs.length)).toEqual(["init.mp4", "playlist.m3u8", ...segs].sort());
      const text = await readFile(join(out, "hls", r, "playlist.m3u8"), "utf8");
      expect(text).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
      expect(text).toContain("#EXT-X-ENDLIST");
      const pl = parseMediaPlaylist(text);
      expect(pl.segments.map((s) => s.uri).slice(0, segs.length)).toEqual(segs);
      const total = pl.segments.reduce((a, s) => a + s.duration, 0);
      expect(total).toBeGreaterThan(9.8);
      expect(total).toBeLessThan(10.2);
    }
    console.log(`ladder: ${seconds.toFixed(1)} s wall for 10 s of 480p → 3 rungs + audio + images`);
  });

  it("turns this output into HLS hls-parser accepts: VOD playlists, BANDWIDTH ≥ the RFC 8216 peak", async () => {
    // What the publisher stores (publishedVariantPlaylist) and the master the worker writes at the end
    // (measuredVariants over the files' sizes), checked by the independent test kit.
    const texts = new Map<string, string>();
    const stats = new Map<string, RenditionStats>();
    const size = async (path: string) => sizes.get(path) ?? (await stat(join(out, "hls", path))).size;
    const sizes = new Map<string, number>();
    for (const r of plan.renditions) {
      let text = publishedVariantPlaylist(await readFile(join(out, "hls", r, "playlist.m3u8"), "utf8"));
      if (r === "audio") {
        // As the publisher does: the one-second pieces joined into segments ending at the video's cuts.
        const grouped = groupAudioChunks(text, (t) => isCutTime(CONTENT_SCHEDULE, t));
        text = withTargetDuration(grouped?.text ?? "");
        for (const g of grouped?.groups ?? []) {
          const dest = join(dir, `audio-${g.uri}`);
          const bytes = await writeJoinedTail(
            g.from.map((u) => join(out, "hls", "audio", u)),
            dest,
          );
          sizes.set(`audio/${g.uri}`, bytes);
        }
        // …and the sub-second tail (AAC runs 0.02 s past 10 s) joined to the segment before.
        const merge = planTailMerge(text, () => false);
        if (merge) {
          const dest = join(dir, `audio-joined-${merge.uri}`);
          const from = merge.from.map((u) => join(dir, `audio-${u}`));
          sizes.set(`audio/${merge.uri}`, await writeJoinedTail(from, dest));
          text = merge.text;
        }
      }
      texts.set(`${r}/playlist.m3u8`, text);
      const pl = parseMediaPlaylist(text);
      stats.set(r, {
        segments: await Promise.all(
          pl.segments.map(async (x) => ({ duration: x.duration, bytes: await size(`${r}/${x.uri}`) })),
        ),
        initBytes: await size(`${r}/init.mp4`),
        targetDuration: pl.targetDuration,
      });
    }
    texts.set(
      "master.m3u8",
      masterPlaylist(measuredVariants(plan, await probeFile(source), stats), { audio: true }),
    );
    const got = await checkLadderConformance({
      text: async (path) => {
        const text = texts.get(path);
        if (text === undefined) throw new Error(`no playlist ${path}`);
        return text;
      },
      size,
    });
    expect(got.variants.map((v) => v.uri)).toEqual(plan.rungs.map((r) => `${r.name}/playlist.m3u8`));
    expect([...got.renditions.keys()]).toContain("audio/playlist.m3u8");
  });

  it("makes valid fMP4: ffprobe reads init + segments, and each segment after init on its own", async () => {
    for (const r of plan.renditions) {
      const info = await ffprobe(await joined(r), ["-show_streams", "-show_format"]);
      expect((info.format as { format_name: string }).format_name).toContain("mp4");
      const rdir = join(out, "hls", r);
      const init = await readFile(join(rdir, "init.mp4"));
      const seg = await readFile(join(rdir, "seg_00002.m4s"));
      const one = join(dir, `${r}-seg2.mp4`);
      await writeFile(one, Buffer.concat([init, seg]));
      const segInfo = await ffprobe(one, ["-count_packets", "-show_streams"]);
      const s = (segInfo.streams as { nb_read_packets?: string }[])[0];
      expect(Number(s?.nb_read_packets)).toBeGreaterThan(0);
    }
  });

  it("aligns keyframes across rungs, at the schedule's cuts: 0.5, 1, 2, then one per SEGMENT_SECONDS", async () => {
    const times = await Promise.all(plan.rungs.map(async (r) => keyframeTimes(await joined(r.name))));
    const first = times[0] as number[];
    expect(first.length).toBe(5); // 10 s: keyframes at 0, 0.5, 1, 2, 6 s
    for (const t of times) expect(t).toEqual(first);
    const gaps = first.slice(1).map((t, i) => t - (first[i] as number));
    expect(gaps.map((g) => Math.round(g * 100) / 100)).toEqual([0.5, 0.5, 1, SEGMENT_SECONDS]);
  });

  it("encodes audio once: only the audio rendition has an audio stream", async () => {
    for (const r of plan.rungs) {
      const streams = (await ffprobe(await joined(r.name), ["-show_streams"])).streams as Stream[];
      expect(streams.map((s) => s.codec_type)).toEqual(["video"]);
      expect(streams[0]).toMatchObject({ codec_name: "h264", width: r.width, height: r.height });
    }
    const audio = (await ffprobe(await joined("audio"), ["-show_streams"])).streams as Stream[];
    expect(audio.map((s) => [s.codec_type, s.codec_name, s.channels])).toEqual([["audio", "aac", 2]]);
  });

  it("advertises the codec string each rung's SPS really has (avcC profile/compat/level)", async () => {
    for (const r of plan.rungs) {
      const init = await readFile(join(out, "hls", r.name, "init.mp4"));
      const at = init.indexOf("avcC");
      expect(at).toBeGreaterThan(0);
      expect(`avc1.${init.subarray(at + 5, at + 8).toString("hex")}`).toBe(r.codecs);
    }
  });

  it("reaches x264 with each rung's planned thread count (the per-stream -threads:v:N option)", async () => {
    // x264 writes its settings into an SEI of the first frame: proof the option was not dropped.
    for (const [i, r] of plan.rungs.entries()) {
      const seg = (await readFile(join(out, "hls", r.name, "seg_00001.m4s"))).toString("latin1");
      expect(/ threads=(\d+) /.exec(seg)?.[1]).toBe(String(x264Threads(r.height)));
      expect(plan.args).toContain(`-threads:v:${i}`);
    }
  });

  it("scales the cascaded rungs from the same frames as the source: 240p (480p → 240p) matches it", async () => {
    // PSNR of the smallest rung against the source scaled straight to its size: a cascade fed from
    // the wrong branch, shifted by a frame or with the wrong geometry would fall far below this.
    const r = plan.rungs.at(-1) as LadderPlan["rungs"][number];
    expect(cascadeParents(plan.rungs).at(-1)).toBe(0); // 240p from the 480p rung, not the source
    const graph = `[0:v]setpts=PTS-STARTPTS[d];[1:v]scale=${r.width}:${r.height},setpts=PTS-STARTPTS[ref];[d][ref]psnr`;
    const run = await runTool(
      "ffmpeg",
      ["-nostdin", "-hide_banner", "-i", await joined(r.name), "-i", source].concat([
        "-lavfi",
        graph,
        "-f",
        "null",
        "-",
      ]),
    );
    const avg = Number(/average:([\d.]+)/.exec(run.stderr)?.[1]);
    expect(run.code).toBe(0);
    expect(avg).toBeGreaterThan(35);
  });

  it("writes storyboard tiles from the same decode; thumbnails and the sprite follow cheaply", async () => {
    const images = plan.images;
    if (!images) throw new Error("the plan has images");
    const tiles = (await readdir(images.tilesDir)).sort();
    expect(tiles).toEqual([
      "tile_00001.jpg",
      "tile_00002.jpg",
      "tile_00003.jpg",
      "tile_00004.jpg",
      "tile_00005.jpg",
    ]);
    const made = await makeImages({ source, format: "mov", outDir: out, images, durationSeconds: 10 });
    expect(made.files.map((f) => f.path)).toEqual([
      "thumbs/poster.jpg",
      "thumbs/thumb_1.jpg",
      "thumbs/thumb_2.jpg",
      "thumbs/thumb_3.jpg",
      "thumbs/thumb_4.jpg",
      "thumbs/thumb_5.jpg",
      "storyboard/sprite.jpg",
    ]);
    const poster = (
      (await ffprobe(join(out, "thumbs", "poster.jpg"), ["-show_streams"])).streams as Stream[]
    )[0];
    expect(poster).toMatchObject({ codec_name: "mjpeg", width: 854, height: 480 });
    const sprite = (
      (await ffprobe(join(out, "storyboard", "sprite.jpg"), ["-show_streams"])).streams as Stream[]
    )[0];
    expect(sprite).toMatchObject({ codec_name: "mjpeg", width: 5 * 160, height: 90 });
    expect(made.vtt?.match(/#xywh=/g)).toHaveLength(5);
  });

  it("makes a poster even for a clip shorter than its seek points", async () => {
    const tiny = join(dir, "tiny.mp4");
    await makeTestPatternClip(tiny, { size: "320x240", seconds: 0.1, audio: false, preset: "ultrafast" });
    const tinyOut = join(dir, "tiny-out");
    const tinyPlan = planLadderCommand({ input: tiny, outDir: tinyOut, probe: await probeFile(tiny) });
    if (!tinyPlan.images) throw new Error("the plan has images");
    await mkdir(tinyPlan.images.tilesDir, { recursive: true });
    await runFfmpeg(tinyPlan.args, { cwd: tinyOut });
    const made = await makeImages({
      source: tiny,
      format: "mov",
      outDir: tinyOut,
      images: tinyPlan.images,
      durationSeconds: 0.1,
    });
    expect(made.files.map((f) => f.path)).toContain("thumbs/poster.jpg");
    expect(made.files.map((f) => f.path)).toContain("storyboard/sprite.jpg");
  });

  it("reports progress through -progress up to the end", () => {
    expect(progress.length).toBeGreaterThan(1);
    const pct = progress.map((p) => progressPercent(p, 10));
    expect(pct.at(-1)).toBe(100);
    for (let i = 1; i < pct.length; i++) expect(pct[i]).toBeGreaterThanOrEqual(pct[i - 1] as number);
  });
});
