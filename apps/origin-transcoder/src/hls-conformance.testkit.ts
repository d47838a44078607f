// Test kit (imported by the origin's ffmpeg-backed tests and by tests/platform): checks a published
// HLS ladder the way a third party would, with `hls-parser` (strict mode: any RFC 8216 violation it
// knows, e.g. an EXTINF over the target duration, throws) and figures computed here from the real
// bytes, independently of the origin's own measuring code (playlist.ts):
// - every media playlist is finished: #EXT-X-ENDLIST and #EXT-X-PLAYLIST-TYPE:VOD;
// - each variant's BANDWIDTH ≥ its peak segment bit rate plus its audio's, by RFC 8216 §4.3.4.2
//   (every contiguous set of segments lasting 0.5–1.5 × the target duration, by brute force; a
//   segment's size includes its init segment), and AVERAGE-BANDWIDTH = the measured average;
// - no audio segment is shorter than a second unless the whole audio is, except the schedule's short
//   first segments (FIRST_SEGMENTS_SECONDS, to within an AAC frame); never the last one (no
//   sub-second tail).

import { FIRST_SEGMENTS_SECONDS } from "@marquee/shared";
import HLS from "hls-parser";
import type { MasterPlaylist, MediaPlaylist } from "hls-parser/types";
import { expect } from "vitest";
import { AAC_FRAME_SECONDS } from "./ad";

/** Reads the ladder: a playlist's text or a file's byte size, by path relative to the master. */
export interface LadderReader {
  text(path: string): Promise<string>;
  size(path: string): Promise<number>;
}

export interface RenditionFigures {
  uri: string;
  /** Bit/s, RFC 8216 peak segment bit rate, init segment counted with each segment. */
  peak: number;
  /** Bit/s, all segments and the init segment once, over the duration. */
  average: number;
  seconds: number;
  durations: number[];
}

export interface VariantFigures {
  uri: string;
  bandwidth: number;
  averageBandwidth: number;
  /** Measured: the rung's peak + its audio's. */
  peak: number;
  average: number;
}

export interface LadderFigures {
  variants: VariantFigures[];
  renditions: Map<string, RenditionFigures>;
}

/** Strict hls-parser: throws on what RFC 8216 forbids instead of logging it. */
export function parseStrict(text: string): ReturnType<typeof HLS.parse> {
  HLS.setOptions({ strictMode: true });
  return HLS.parse(text);
}

/** `rel` resolved against the directory of `base` (both relative paths, "/"-separated). */
export function resolvePath(base: string, rel: string): string {
  return new URL(rel, new URL(base, "http://ladder.invalid/")).pathname.slice(1);
}

/** RFC 8216 §4.3.4.2 peak segment bit rate by brute force over every contiguous set. */
export function bruteForcePeak(
  sizes: readonly number[],
  durations: readonly number[],
  target: number,
): number {
  let peak = 0;
  let found = false;
  for (let i = 0; i < sizes.length; i++) {
    for (let j = i; j < sizes.length; j++) {
      const bytes = sizes.slice(i, j + 1).reduce((a, b) => a + b, 0);
      const seconds = durations.slice(i, j + 1).reduce((a, b) => a + b, 0);
      if (seconds >= 0.5 * target && seconds <= 1.5 * target) {
        found = true;
        peak = Math.max(peak, (bytes * 8) / seconds);
      }
    }
  }
  if (found) return peak;
  // No set lasts half the target (a very short rendition): the whole rendition is the one set.
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const seconds = durations.reduce((a, b) => a + b, 0);
  return seconds > 0 ? (bytes * 8) / seconds : 0;
}

/** Checks one finished media playlist and measures it from its files. */
export async function checkMediaPlaylist(
  reader: LadderReader,
  uri: string,
  opts: { audio: boolean },
): Promise<RenditionFigures> {
  const text = await reader.text(uri);
  const pl = parseStrict(text) as MediaPlaylist;
  expect(pl.isMasterPlaylist, uri).toBe(false);
  expect(pl.endlist, `${uri}: #EXT-X-ENDLIST`).toBe(true);
  expect(pl.playlistType, `${uri}: #EXT-X-PLAYLIST-TYPE`).toBe("VOD");
  expect(pl.segments.length, `${uri}: segments`).toBeGreaterThan(0);
  const initSizes = new Map<string, number>();
  /** Each segment's size with its init segment's. */
  const sizes: number[] = [];
  let segmentBytes = 0;
  for (const seg of pl.segments) {
    const mapUri = seg.map?.uri;
    expect(mapUri, `${uri}: ${seg.uri} has an EXT-X-MAP`).toBeTruthy();
    const initPath = resolvePath(uri, mapUri as string);
    if (!initSizes.has(initPath)) initSizes.set(initPath, await reader.size(initPath));
    const bytes = await reader.size(resolvePath(uri, seg.uri));
    segmentBytes += bytes;
    sizes.push(bytes + (initSizes.get(initPath) as number));
  }
  const durations = pl.segments.map((s) => s.duration);
  const seconds = durations.reduce((a, b) => a + b, 0);
  const initOnce = [...initSizes.values()].reduce((a, b) => a + b, 0);
  if (opts.audio && seconds >= 1) {
    for (const [i, d] of durations.entries()) {
      const last = i === durations.length - 1;
      // A short first segment ends at the first AAC frame (1024 samples at 48 kHz) at or past its
      // time, so it may lack up to one frame's worth against its start's overshoot.
      const first = FIRST_SEGMENTS_SECONDS[i];
      const least = last || first === undefined ? 1 : Math.min(1, first) - AAC_FRAME_SECONDS;
      expect(
        d,
        `${uri}: audio segment ${i + 1} of ${durations.length} lasts at least ${least} s`,
      ).toBeGreaterThanOrEqual(least);
    }
  }
  return {
    uri,
    peak: bruteForcePeak(sizes, durations, pl.targetDuration),
    average: ((segmentBytes + initOnce) * 8) / seconds,
    seconds,
    durations,
  };
}

/**
 * Checks the master at `masterPath` and every media playlist it names; returns the figures. Each
 * variant's BANDWIDTH must cover its rung's peak plus the largest peak of its audio group, and its
 * AVERAGE-BANDWIDTH (required here) must be the measured average to within 0.1 %, and ≤ BANDWIDTH.
 */
export async function checkLadderConformance(
  reader: LadderReader,
  masterPath = "master.m3u8",
): Promise<LadderFigures> {
  const master = parseStrict(await reader.text(masterPath)) as MasterPlaylist;
  expect(master.isMasterPlaylist).toBe(true);
  expect(master.variants.length).toBeGreaterThan(0);
  const renditions = new Map<string, RenditionFigures>();
  const measure = async (rel: string, audio: boolean) => {
    const path = resolvePath(masterPath, rel);
    let got = renditions.get(path);
    if (!got) {
      got = await checkMediaPlaylist(reader, path, { audio });
      renditions.set(path, got);
    }
    return got;
  };
  const variants: VariantFigures[] = [];
  for (const v of master.variants) {
    expect(v.resolution?.width, `${v.uri} RESOLUTION`).toBeGreaterThan(0);
    expect(v.codecs, `${v.uri} CODECS`).toMatch(/^avc1\.[0-9a-f]{6}(,mp4a\.40\.2)?$/);
    const video = await measure(v.uri, false);
    let audioPeak = 0;
    let audioAverage = 0;
    for (const a of v.audio) {
      if (!a.uri) continue;
      const got = await measure(a.uri, true);
      audioPeak = Math.max(audioPeak, got.peak);
      audioAverage = Math.max(audioAverage, got.average);
    }
    const peak = video.peak + audioPeak;
    const average = video.average + audioAverage;
    expect(v.bandwidth, `${v.uri}: BANDWIDTH ≥ measured peak ${peak.toFixed(0)}`).toBeGreaterThanOrEqual(
      peak,
    );
    expect(v.averageBandwidth, `${v.uri}: AVERAGE-BANDWIDTH`).toBeDefined();
    const avg = v.averageBandwidth as number;
    expect(
      Math.abs(avg - average),
      `${v.uri}: AVERAGE-BANDWIDTH ${avg} vs ${average.toFixed(0)}`,
    ).toBeLessThanOrEqual(average * 0.001 + 2);
    expect(avg, `${v.uri}: AVERAGE-BANDWIDTH ≤ BANDWIDTH`).toBeLessThanOrEqual(v.bandwidth);
    variants.push({ uri: v.uri, bandwidth: v.bandwidth, averageBandwidth: avg, peak, average });
  }
  return { variants, renditions };
}
