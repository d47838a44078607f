// Pure tests of the ladder command, the H.264 level/codec strings and the master playlist.
import { AUDIO_KBPS, LADDER, SEGMENT_SECONDS } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { avc1Codec, h264Level } from "./h264";
import {
  buildLadderArgs,
  cascadeGraph,
  cascadeParents,
  gopFrames,
  ladderFor,
  masterPlaylist,
  nominalVariants,
  planLadderCommand,
  planRungs,
  X264_PRESET,
  x264Threads,
} from "./ladder";
import { CONTENT_SCHEDULE, keyframeExpr } from "./playlist";

const p1080 = {
  format: "mov" as const,
  width: 1920,
  height: 1080,
  fps: 30,
  hasAudio: true,
  durationSeconds: 60,
};
const p720 = {
  format: "mov" as const,
  width: 1280,
  height: 720,
  fps: 30,
  hasAudio: true,
  durationSeconds: 10,
};

/** Values of every occurrence of a flag. */
function values(args: readonly string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] as string] : []));
}
const value = (args: readonly string[], flag: string) => values(args, flag)[0];

describe("buildLadderArgs", () => {
  it("is one ffmpeg process: -nostdin, one input, one filter graph, progress on stdout", () => {
    const args = buildLadderArgs({ input: "/in/source", outDir: "/out", probe: p1080 });
    expect(args.slice(0, 3)).toEqual(["-nostdin", "-hide_banner", "-y"]);
    expect(values(args, "-i")).toEqual(["file:/in/source"]);
    expect(values(args, "-filter_complex")).toHaveLength(1);
    expect(value(args, "-progress")).toBe("pipe:1");
    expect(values(args, "-f")).toEqual(["mov", "hls"]);
  });

  it("reads the source with the probed demuxer only and the file protocol only", () => {
    const args = buildLadderArgs({
      input: "/in/source",
      outDir: "/out",
      probe: { ...p720, format: "matroska" },
    });
    const input = args.indexOf("-i");
    expect(args.slice(input - 6, input + 2)).toEqual([
      "-f",
      "matroska",
      "-format_whitelist",
      "matroska",
      "-protocol_whitelist",
      "file",
      "-i",
      "file:/in/source",
    ]);
  });

  it("decodes once and scales in a cascade: each rung from a taller rung, tiles from the source", () => {
    const graph = value(buildLadderArgs({ input: "i", outDir: "/o", probe: p1080 }), "-filter_complex") ?? "";
    expect(graph.split(";")).toEqual([
      "[0:v:0]format=yuv420p,split=2[c0][st]",
      "[c0]scale=1920:1080,setsar=1,split=2[v0][c1]",
      // 720p is scaled from the 1080p rung, which is the source unscaled: made exactly as before
      "[c1]scale=1280:720,setsar=1,split=3[v1][c2][c3]",
      "[c2]scale=854:480,setsar=1,split=2[v2][c4]", // 240p from 480p: 2:1
      "[c3]scale=640:360,setsar=1[v3]", // 360p from 720p: 2:1
      "[c4]scale=426:240,setsar=1[v4]",
      expect.stringMatching(/^\[st\]select=.*\[tiles\]$/),
    ]);
    expect(graph.match(/\[0:v:0\]/g)).toHaveLength(1); // one decode
    const bare = value(
      buildLadderArgs({ input: "i", outDir: "/o", probe: p1080, images: false }),
      "-filter_complex",
    );
    expect(bare?.startsWith("[0:v:0]format=yuv420p[c0];[c0]scale=1920:1080,setsar=1,split=2[v0][c1]")).toBe(
      true,
    );
    expect(bare).not.toContain("selected_n");
    expect(bare).not.toContain("[st]");
  });

  it("feeds every encoder from its own rung's scaler and each scaler from exactly one taller rung", () => {
    // Each label is produced once and consumed once: no rung reads the source twice, none is orphaned.
    const graph = cascadeGraph(planRungs({ width: 2560, height: 1440, fps: 30 }));
    const inputs = graph.map((f) => /^\[(\w+)\]/.exec(f)?.[1]);
    const outputs = graph.flatMap((f) =>
      [...(/\w\]?((?:\[\w+\])+)$/.exec(f)?.[1] ?? "").matchAll(/\[(\w+)\]/g)].map((m) => m[1]),
    );
    expect(inputs).toEqual(["c0", "c1", "c2", "c3", "c4", "c5"]);
    expect(outputs.sort()).toEqual(["c1", "c2", "c3", "c4", "c5", "v0", "v1", "v2", "v3", "v4", "v5"]);
    expect(graph).toEqual([
      "[c0]scale=2560:1440,setsar=1,split=3[v0][c1][c2]",
      "[c1]scale=1920:1080,setsar=1[v1]", // no rung is twice 1080p or 720p: from the next taller
      "[c2]scale=1280:720,setsar=1,split=3[v2][c3][c4]", // 720p from 1440p: 2:1
      "[c3]scale=854:480,setsar=1,split=2[v3][c5]",
      "[c4]scale=640:360,setsar=1[v4]",
      "[c5]scale=426:240,setsar=1[v5]",
    ]);
    expect(cascadeParents(planRungs({ width: 1920, height: 1080, fps: 30 }))).toEqual([-1, 0, 1, 1, 2]);
    expect(cascadeParents(planRungs({ width: 1280, height: 720, fps: 30 }))).toEqual([-1, 0, 0, 1]); // 360p from the 720p rung, not 480p
    // A lone rung is scaled from the source itself.
    expect(cascadeGraph([{ width: 320, height: 180 }])).toEqual(["[c0]scale=320:180,setsar=1[v0]"]);
  });

  it("encodes every rung with libx264, VBV caps (bufsize = 2 × maxrate) and the chosen preset", () => {
    const args = buildLadderArgs({ input: "i", outDir: "/o", probe: p1080 });
    expect(value(args, "-c:v")).toBe("libx264");
    expect(value(args, "-preset")).toBe(X264_PRESET);
    expect(["veryfast", "faster"]).toContain(X264_PRESET);
    LADDER.slice(2).forEach((r, i) => {
      expect(value(args, `-b:v:${i}`)).toBe(`${r.videoKbps}k`);
      expect(value(args, `-maxrate:v:${i}`)).toBe(`${r.maxKbps}k`);
      expect(value(args, `-bufsize:v:${i}`)).toBe(`${2 * r.maxKbps}k`);
    });
  });

  it("gives the big rungs two x264 threads and the small ones one (not ffmpeg's 3 per encoder)", () => {
    const args = buildLadderArgs({ input: "i", outDir: "/o", probe: p1080 });
    expect([0, 1, 2, 3, 4].map((i) => value(args, `-threads:v:${i}`))).toEqual(["2", "2", "1", "1", "1"]);
    expect(values(args, "-threads")).toEqual([]); // never one count for every stream
    expect([2160, 1080, 720, 480, 240].map(x264Threads)).toEqual([2, 2, 2, 1, 1]);
  });

  it("forces keyframes at the schedule's cut times only: GOP one frame over SEGMENT_SECONDS, no scene cuts", () => {
    const args = buildLadderArgs({ input: "i", outDir: "/o", probe: p1080 });
    expect(value(args, "-g")).toBe(String(30 * SEGMENT_SECONDS + 1));
    expect(value(args, "-keyint_min")).toBe(String(30 * SEGMENT_SECONDS));
    expect(value(args, "-sc_threshold")).toBe("0");
    expect(value(args, "-force_key_frames:v")).toBe(keyframeExpr(CONTENT_SCHEDULE));
    const ad = buildLadderArgs({ input: "i", outDir: "/o", probe: p1080, kind: "ad" });
    expect(value(ad, "-force_key_frames:v")).toBe(`expr:gte(t,n_forced*${SEGMENT_SECONDS})`);
    expect(value(ad, "-hls_time")).toBe(String(SEGMENT_SECONDS));
    expect(gopFrames(30000 / 1001)).toBe(120);
    expect(gopFrames(25)).toBe(100);
    expect(gopFrames(24000 / 1001)).toBe(96);
    const fast = buildLadderArgs({ input: "i", outDir: "/o", probe: { ...p1080, fps: 120 } });
    expect(value(fast, "-g")).toBe("241"); // capped at 60 fps
    expect(value(fast, "-filter_complex")).toContain("fps=60,format=yuv420p");
  });

  it("maps and encodes the audio exactly once, into its own rendition", () => {
    const args = buildLadderArgs({ input: "i", outDir: "/o", probe: p1080 });
    expect(values(args, "-map").filter((m) => m.startsWith("0:a"))).toEqual(["0:a:0"]);
    expect(values(args, "-c:a")).toEqual(["aac"]);
    expect(value(args, "-b:a")).toBe(`${AUDIO_KBPS}k`);
    const map = value(args, "-var_stream_map") ?? "";
    expect(map).toBe("v:0,name:1080p v:1,name:720p v:2,name:480p v:3,name:360p v:4,name:240p a:0,name:audio");
    expect(map.match(/a:/g)).toHaveLength(1);
  });

  it("has no audio rendition for a silent source", () => {
    const plan = planLadderCommand({ input: "i", outDir: "/o", probe: { ...p720, hasAudio: false } });
    expect(plan.args).not.toContain("0:a:0");
    expect(plan.args).not.toContain("-c:a");
    expect(value(plan.args, "-var_stream_map")).not.toContain("a:0");
    expect(plan.renditions).toEqual(["720p", "480p", "360p", "240p"]);
  });

  it("writes the storage layout: fMP4 HLS EVENT playlists per rendition, seg_00001.m4s, init.mp4", () => {
    const args = buildLadderArgs({ input: "i", outDir: "/o/", probe: p720 });
    expect(value(args, "-hls_segment_type")).toBe("fmp4");
    // Content: the muxer cuts every half second (video at the forced keyframes); see playlist.ts.
    expect(value(args, "-hls_time")).toBe("0.5");
    expect(value(args, "-hls_playlist_type")).toBe("event");
    expect(value(args, "-hls_flags")).toBe("independent_segments");
    expect(value(args, "-start_number")).toBe("1");
    expect(value(args, "-hls_segment_filename")).toBe("/o/hls/%v/seg_%05d.m4s");
    expect(value(args, "-hls_fmp4_init_filename")).toBe("../%v/init.mp4");
    expect(args).toContain("/o/hls/%v/playlist.m3u8");
    expect(args).toContain("/o/storyboard-tiles/tile_%05d.jpg");
  });

  it("names a lone rendition's init segment init.mp4 directly (ffmpeg expands no %v then)", () => {
    const probe = {
      format: "mov" as const,
      width: 320,
      height: 180,
      fps: 30,
      hasAudio: false,
      durationSeconds: 3,
    };
    const plan = planLadderCommand({ input: "i", outDir: "/o", probe });
    expect(plan.renditions).toEqual(["180p"]);
    expect(value(plan.args, "-hls_fmp4_init_filename")).toBe("init.mp4");
  });

  it("never upscales: a 720p source gets 720/480/360/240", () => {
    const plan = planLadderCommand({ input: "i", outDir: "/o", probe: p720 });
    expect(plan.rungs.map((r) => r.name)).toEqual(["720p", "480p", "360p", "240p"]);
    expect(plan.rungs.map((r) => [r.width, r.height])).toEqual([
      [1280, 720],
      [854, 480],
      [640, 360],
      [426, 240],
    ]);
    expect(plan.renditions).toEqual(["720p", "480p", "360p", "240p", "audio"]);
    const heights = [...(value(plan.args, "-filter_complex") ?? "").matchAll(/scale=\d+:(\d+)[:,]/g)];
    expect(Math.max(...heights.map((m) => Number(m[1])))).toBe(720);
  });

  it("keeps odd and small sources un-upscaled and even-sized", () => {
    expect(ladderFor(1079).map((r) => r.name)).toEqual(["720p", "480p", "360p", "240p"]);
    expect(ladderFor(180)).toEqual([{ ...LADDER[6], name: "180p", height: 180 }]);
    const portrait = planRungs({ width: 1080, height: 1920, fps: 30 });
    expect(portrait[0]).toMatchObject({ name: "1440p", width: 810, height: 1440 });
    for (const r of portrait) expect(r.width % 2).toBe(0);
  });
});

describe("H.264 level and codec string", () => {
  it("derives the level from size, frame rate and VBV", () => {
    const lvl = (width: number, height: number, fps: number, maxKbps: number) =>
      h264Level({ width, height, fps, maxKbps, bufsizeKbps: 2 * maxKbps }).name;
    expect(lvl(3840, 2160, 30, 16800)).toBe("5.1");
    expect(lvl(3840, 2160, 60, 16800)).toBe("5.2");
    expect(lvl(2560, 1440, 30, 9600)).toBe("5.0");
    expect(lvl(1920, 1080, 30, 6000)).toBe("4.0");
    expect(lvl(1920, 1080, 60, 6000)).toBe("4.2");
    expect(lvl(1280, 720, 30, 3360)).toBe("3.1");
    expect(lvl(854, 480, 30, 1680)).toBe("3.1");
    expect(lvl(640, 360, 30, 960)).toBe("3.0");
    expect(lvl(426, 240, 30, 480)).toBe("2.1");
  });

  it("writes avc1.PPCCLL for High profile", () => {
    expect(avc1Codec(40)).toBe("avc1.640028");
    expect(avc1Codec(31)).toBe("avc1.64001f");
    expect(planRungs({ width: 1920, height: 1080, fps: 30 }).map((r) => r.codecs)).toEqual([
      "avc1.640028",
      "avc1.64001f",
      "avc1.64001f",
      "avc1.64001e",
      "avc1.640015",
    ]);
  });
});

describe("masterPlaylist", () => {
  it("lists the audio group once and one variant per rung with peak/average bandwidth incl. audio", () => {
    const rungs = planRungs({ width: 1280, height: 720, fps: 30 }).slice(0, 2);
    const text = masterPlaylist(nominalVariants(rungs, { audio: true, frameRate: 30 }), { audio: true });
    expect(text).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"',
        '#EXT-X-STREAM-INF:BANDWIDTH=3488000,AVERAGE-BANDWIDTH=2928000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"',
        "720p/playlist.m3u8",
        '#EXT-X-STREAM-INF:BANDWIDTH=1808000,AVERAGE-BANDWIDTH=1528000,RESOLUTION=854x480,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"',
        "480p/playlist.m3u8",
        "",
      ].join("\n"),
    );
  });

  it("has no audio group or audio codec for a silent video", () => {
    const rungs = planRungs({ width: 640, height: 360, fps: 25 });
    const text = masterPlaylist(nominalVariants(rungs, { audio: false }), { audio: false });
    expect(text).not.toContain("EXT-X-MEDIA");
    expect(text).not.toContain("mp4a");
    expect(text).not.toContain("AUDIO=");
    expect(text).toContain(
      'BANDWIDTH=960000,AVERAGE-BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e"',
    );
  });
});
