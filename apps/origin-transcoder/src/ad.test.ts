// The ad profile's command lines and checks, without ffmpeg (ad.ffmpeg.test.ts runs them for real).
import { AD_MP4_PATH, SEGMENT_SECONDS } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { AAC_FRAME_SECONDS, adMp4Args, checkAdAudioLength, mp4Rung, validateAdProbe } from "./ad";
import { adLadderFor, adLength, buildLadderArgs, planLadderCommand, planRungs } from "./ladder";
import { CONTENT_SCHEDULE, keyframeExpr } from "./playlist";
import { ProbeError, type ProbeInfo } from "./probe";

const value = (args: readonly string[], flag: string) => args[args.indexOf(flag) + 1];
const values = (args: readonly string[], flag: string) =>
  args.flatMap((a, i) => (a === flag ? [args[i + 1] as string] : []));

const probe = (over: Partial<ProbeInfo> = {}): ProbeInfo => ({
  format: "mov",
  durationSeconds: 5,
  width: 2560,
  height: 1440,
  fps: 10,
  hasAudio: true,
  videoCodec: "h264",
  ...over,
});
const limits = { maxDurationSeconds: 60, maxWidth: 3840, maxHeight: 2160, maxBytes: 1e9 };

describe("the ad ladder's plan", () => {
  it("caps the rungs at 1080p, never upscales, and gives a tiny source its own small rung as content does", () => {
    expect(adLadderFor(2160).map((r) => r.name)).toEqual(["1080p", "720p", "480p", "360p", "240p"]);
    expect(adLadderFor(1080).map((r) => r.name)).toEqual(["1080p", "720p", "480p", "360p", "240p"]);
    expect(adLadderFor(719).map((r) => r.name)).toEqual(["480p", "360p", "240p"]);
    expect(adLadderFor(180).map((r) => r.name)).toEqual(["180p"]);
    const plan = planLadderCommand({ input: "i", outDir: "/o", probe: probe(), kind: "ad" });
    expect(plan.rungs.map((r) => r.name)).toEqual(["1080p", "720p", "480p", "360p", "240p"]);
  });

  it("cuts the video and the audio at the same instant: whole frames, and the samples that last as long", () => {
    expect(adLength({ fps: 10, durationSeconds: 5 })).toMatchObject({ frames: 50, samples: 240_000 });
    expect(adLength({ fps: 30, durationSeconds: 6.02 })).toMatchObject({ frames: 181, samples: 289_600 });
    // 29.97 fps: 150 frames last 5.005 s, i.e. 240 240 samples.
    expect(adLength({ fps: 30000 / 1001, durationSeconds: 5 })).toMatchObject({
      frames: 150,
      samples: 240_240,
    });
    expect(adLength({ fps: 25, durationSeconds: 60.4 }, 60)).toMatchObject({
      frames: 1500,
      samples: 2_880_000,
    });
    expect(adLength({ fps: 120, durationSeconds: 1 }).fps).toBe(60);
  });

  it("pads or makes the audio and trims both, reads at most the limit, and makes no storyboard", () => {
    const plan = planLadderCommand({ input: "i", outDir: "/o", probe: probe(), kind: "ad", maxSeconds: 60 });
    const graph = value(plan.args, "-filter_complex") ?? "";
    expect(graph).toContain(
      "[0:v:0]fps=10,format=yuv420p,tpad=stop_mode=clone:stop_duration=6,trim=end_frame=50[c0]",
    );
    expect(graph).toContain("[0:a:0]aresample=48000,apad,atrim=end_sample=240000[adaudio]");
    expect(plan.args.indexOf("-t")).toBeLessThan(plan.args.indexOf("-i"));
    expect(value(plan.args, "-t")).toBe("60");
    expect(values(plan.args, "-map")).toEqual(["[v0]", "[v1]", "[v2]", "[v3]", "[v4]", "[adaudio]"]);
    expect(value(plan.args, "-ar")).toBe("48000");
    expect(value(plan.args, "-ac")).toBe("2");
    expect(value(plan.args, "-var_stream_map")).toContain("a:0,name:audio");
    expect(plan.images).toBeNull();
    expect(plan.args.join(" ")).not.toContain("tile_");

    const silent = planLadderCommand({
      input: "i",
      outDir: "/o",
      probe: probe({ hasAudio: false }),
      kind: "ad",
    });
    expect(value(silent.args, "-filter_complex")).toContain(
      "anullsrc=r=48000:cl=stereo,atrim=end_sample=240000[adaudio]",
    );
    expect(silent.args).not.toContain("0:a:0");
    expect(silent.renditions).toEqual(["1080p", "720p", "480p", "360p", "240p", "audio"]);
    expect(value(silent.args, "-c:a")).toBe("aac");
  });

  it("uses the content encoder settings: libx264 High, the same preset, GOP and segment length", () => {
    const content = buildLadderArgs({ input: "i", outDir: "/o", probe: probe() });
    const ad = buildLadderArgs({ input: "i", outDir: "/o", probe: probe(), kind: "ad" });
    for (const flag of [
      "-c:v",
      "-preset",
      "-profile:v",
      "-g",
      "-keyint_min",
      "-sc_threshold",
      "-hls_segment_type",
      "-b:a",
    ]) {
      expect(value(ad, flag), flag).toBe(value(content, flag));
    }
    // Content starts with short segments (1, 1 s) to be playable sooner; an ad is SEGMENT_SECONDS
    // throughout (no one waits for an ad to become playable, and its audio must match its video).
    expect(value(ad, "-force_key_frames:v")).toBe(`expr:gte(t,n_forced*${SEGMENT_SECONDS})`);
    expect(value(ad, "-hls_time")).toBe(String(SEGMENT_SECONDS));
    expect(value(content, "-force_key_frames:v")).toBe(keyframeExpr(CONTENT_SCHEDULE));
  });

  it("leaves a content job's command exactly as it was (kind content or absent, maxSeconds ignored)", () => {
    const before = buildLadderArgs({ input: "i", outDir: "/o", probe: probe() });
    expect(
      buildLadderArgs({ input: "i", outDir: "/o", probe: probe(), kind: "content", maxSeconds: 60 }),
    ).toEqual(before);
    expect(before).not.toContain("-t");
    expect(value(before, "-filter_complex")).not.toContain("adaudio");
  });
});

describe("the ad's checks and its MP4", () => {
  it("refuses an ad over the limit (non-retryable, with the reason) but lets a 60.3 s '60 s' spot through", () => {
    expect(() => validateAdProbe(probe({ durationSeconds: 61 }), limits)).toThrow(
      new ProbeError("an ad may be at most 1m long; this video is 1m 1s (61.0 s)"),
    );
    expect(() => validateAdProbe(probe({ durationSeconds: 60.3 }), limits)).not.toThrow();
    // The size limits still hold.
    expect(() => validateAdProbe(probe({ width: 7680, height: 4320 }), limits)).toThrow(ProbeError);
  });

  it("checks the audio lasts as long as the video to within one AAC frame", () => {
    const stats = (video: number[], audio: number[]) =>
      new Map([
        ["720p", video.map((duration) => ({ duration, bytes: 1 }))],
        ["audio", audio.map((duration) => ({ duration, bytes: 1 }))],
      ]);
    const rungs = [{ name: "720p" }];
    const ok = checkAdAudioLength(stats([4, 1], [4.010667, 1.010667]), rungs);
    expect(ok.video).toBe(5);
    expect(ok.audio).toBeCloseTo(5.021334, 6);
    expect(() => checkAdAudioLength(stats([4, 1], [4, 1 + AAC_FRAME_SECONDS + 0.01]), rungs)).toThrow(
      ProbeError,
    );
    expect(() => checkAdAudioLength(stats([4, 1], [3]), rungs)).toThrow(
      /could not be made as long as its video/,
    );
  });

  it("makes the MP4 from the tallest rung ≤ 720p (else the smallest), copied, index first", () => {
    const probeSize = { width: 1920, height: 1080, fps: 30 };
    expect(mp4Rung(planRungs(probeSize, adLadderFor(1080))).name).toBe("720p");
    expect(mp4Rung(planRungs(probeSize, adLadderFor(480))).name).toBe("480p");
    const args = adMp4Args("/j/ad/video.mp4", "/j/ad/audio.mp4", `/j/out/${AD_MP4_PATH}`);
    expect(values(args, "-i")).toEqual(["file:/j/ad/video.mp4", "file:/j/ad/audio.mp4"]);
    expect(values(args, "-format_whitelist")).toEqual(["mov", "mov"]);
    expect(values(args, "-protocol_whitelist")).toEqual(["file", "file"]);
    expect(value(args, "-c")).toBe("copy");
    expect(value(args, "-movflags")).toBe("+faststart");
    expect(args[args.length - 1]).toBe("/j/out/mp4/ad.mp4");
  });
});
