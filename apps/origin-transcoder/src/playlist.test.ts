// Pure tests: reading ffmpeg's media playlists, publishing them, measuring bitrates.
import { describe, expect, it } from "vitest";
import { bruteForcePeak, parseStrict } from "./hls-conformance.testkit";
import {
  AD_SCHEDULE,
  asVod,
  CONTENT_SCHEDULE,
  chunkSeconds,
  contentTypeFor,
  firstSegments,
  isCompletePlaylist,
  isCutTime,
  keyframeExpr,
  measureRate,
  parseMediaPlaylist,
  peakSegmentBitrate,
  publishedVariantPlaylist,
  type SegmentStat,
  withTargetDuration,
} from "./playlist";

const EVENT = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="../720p/init.mp4"
#EXTINF:4.000000,
seg_00001.m4s
#EXTINF:4.000000,
seg_00002.m4s
`;

describe("media playlists", () => {
  it("parses the init segment, segments and ENDLIST", () => {
    expect(parseMediaPlaylist(EVENT)).toEqual({
      targetDuration: 4,
      mapUri: "../720p/init.mp4",
      segments: [
        { uri: "seg_00001.m4s", duration: 4 },
        { uri: "seg_00002.m4s", duration: 4 },
      ],
      ended: false,
    });
    expect(parseMediaPlaylist(`${EVENT}#EXTINF:2.5,\nseg_00003.m4s\n#EXT-X-ENDLIST\n`).ended).toBe(true);
  });

  it("publishes the init segment next to the playlist", () => {
    const text = publishedVariantPlaylist(EVENT);
    expect(text).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(text.replace('URI="init.mp4"', 'URI="../720p/init.mp4"')).toBe(EVENT);
  });

  it("only trusts complete playlist text", () => {
    expect(isCompletePlaylist(EVENT)).toBe(true);
    expect(isCompletePlaylist(EVENT.slice(0, -3))).toBe(false);
    expect(isCompletePlaylist("")).toBe(false);
  });

  it("types a finished playlist VOD, and leaves an unfinished one EVENT", () => {
    const ended = publishedVariantPlaylist(`${EVENT}#EXTINF:2.5,\nseg_00003.m4s\n#EXT-X-ENDLIST\n`);
    expect(ended).toContain("#EXT-X-PLAYLIST-TYPE:VOD\n");
    expect(ended).not.toContain("EVENT");
    const parsed = parseStrict(ended);
    expect(parsed).toMatchObject({ isMasterPlaylist: false, playlistType: "VOD", endlist: true });
    expect(publishedVariantPlaylist(EVENT)).toContain("#EXT-X-PLAYLIST-TYPE:EVENT\n");
    // No PLAYLIST-TYPE at all: the tag is added after the target duration.
    const bare = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n";
    expect(asVod(bare)).toBe(
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n",
    );
  });

  it("cuts an unfinished playlist to its first segments, header and map kept, never an ENDLIST", () => {
    const two = firstSegments(EVENT, 1);
    expect(parseMediaPlaylist(two).segments.map((s) => s.uri)).toEqual(["seg_00001.m4s"]);
    expect(two.startsWith(EVENT.slice(0, EVENT.indexOf("#EXTINF")))).toBe(true);
    expect(firstSegments(EVENT, 5)).toBe(EVENT);
    expect(parseMediaPlaylist(firstSegments(EVENT, 0)).segments).toEqual([]);
    expect(firstSegments(`${EVENT}#EXT-X-ENDLIST\n`, 2)).toBe(EVENT);
  });

  it("gives each output its content type", () => {
    expect(contentTypeFor("hls/master.m3u8")).toBe("application/vnd.apple.mpegurl");
    expect(contentTypeFor("hls/720p/seg_00001.m4s")).toBe("video/mp4");
    expect(contentTypeFor("hls/audio/init.mp4")).toBe("audio/mp4");
    expect(contentTypeFor("thumbs/poster.jpg")).toBe("image/jpeg");
    expect(contentTypeFor("storyboard/storyboard.vtt")).toBe("text/vtt");
  });
});

const seg = (duration: number, bytes: number): SegmentStat => ({ duration, bytes });

describe("peak segment bit rate (RFC 8216 §4.3.4.2)", () => {
  it("is one segment's rate when segments last the target duration (two would exceed 1.5 ×)", () => {
    const segs = [seg(4, 1_000_000), seg(4, 1_500_000), seg(4, 500_000)];
    expect(peakSegmentBitrate(segs, 4)).toBe(3_000_000);
  });

  it("counts the init segment with every segment", () => {
    const segs = [seg(4, 1_000_000), seg(4, 1_500_000)];
    expect(peakSegmentBitrate(segs, 4, 1_000)).toBe((1_501_000 * 8) / 4);
  });

  it("takes sets of short segments lasting 0.5–1.5 × target: a 2 s spike counts alone", () => {
    // Target 4: sets of 1 (2 s), 2 (4 s) and 3 (6 s) segments all qualify.
    const segs = [seg(2, 100_000), seg(2, 900_000), seg(2, 100_000), seg(2, 100_000)];
    expect(peakSegmentBitrate(segs, 4)).toBe((900_000 * 8) / 2);
    // Target 6: a 2 s set is under 3 s, so the spike is averaged with a neighbour at least.
    expect(peakSegmentBitrate(segs, 6)).toBe((1_000_000 * 8) / 4);
  });

  it("never lets a sub-second tail dominate: it only counts together with the segment before", () => {
    // The tail alone would be 2.1 Mbit/s, but 0.2 s is under half the target: it counts only in the
    // 4.2 s set with its neighbour.
    const segs = [seg(4, 1_000_000), seg(4, 1_000_000), seg(0.2, 52_500)];
    expect(peakSegmentBitrate(segs, 4)).toBeCloseTo((1_052_500 * 8) / 4.2, 6);
    expect(peakSegmentBitrate(segs, 4)).toBeLessThan((52_500 * 8) / 0.2);
    expect(peakSegmentBitrate([seg(4, 100_000), seg(0.2, 200_000)], 4)).toBeCloseTo((300_000 * 8) / 4.2, 6);
  });

  it("takes the whole rendition when it is shorter than half the target", () => {
    expect(peakSegmentBitrate([seg(0.5, 10_000)], 4)).toBe(160_000);
    expect(peakSegmentBitrate([seg(0.5, 10_000), seg(0.5, 30_000)], 4, 1_000)).toBe((42_000 * 8) / 1);
  });

  it("derives the target from the longest segment when the playlist has none, and ignores empties", () => {
    expect(peakSegmentBitrate([seg(3.6, 360_000), seg(0, 999)], 0)).toBe(800_000);
    expect(peakSegmentBitrate([], 4)).toBe(0);
    expect(peakSegmentBitrate([seg(0, 100)], 4)).toBe(0);
  });

  it("matches a brute force over every contiguous set, on random ladders", () => {
    let x = 42;
    const rand = () => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return x / 2 ** 31;
    };
    for (let run = 0; run < 200; run++) {
      const target = 1 + Math.floor(rand() * 6);
      const segs = Array.from({ length: 1 + Math.floor(rand() * 12) }, () =>
        seg(Math.round((0.05 + rand() * target) * 1e6) / 1e6, Math.floor(rand() * 2_000_000)),
      );
      const init = Math.floor(rand() * 5_000);
      const sizes = segs.map((s) => s.bytes + init);
      const expected = bruteForcePeak(
        sizes,
        segs.map((s) => s.duration),
        target,
      );
      const got = peakSegmentBitrate(segs, target, init);
      expect(got).toBeGreaterThanOrEqual(expected * (1 - 1e-12));
      // Only the 1 ms window slack can add sets a strict reading leaves out.
      expect(got).toBeLessThanOrEqual(expected * 1.002 + 1);
    }
  });
});

describe("measureRate", () => {
  it("rounds up, counts the init segment once in the average, and keeps peak ≥ average", () => {
    const rate = measureRate({
      segments: [seg(4, 1_000_000), seg(4, 1_500_000), seg(0.2, 100_000)],
      initBytes: 800,
      targetDuration: 4,
    });
    // The 4 s + 0.2 s set beats the 4 s one alone: (1.5 MB + 0.1 MB + two inits) / 4.2 s.
    expect(rate.peak).toBe(Math.ceil(((1_500_800 + 100_800) * 8) / 4.2));
    expect(rate.average).toBe(Math.ceil((2_600_800 * 8) / 8.2));
    expect(rate.duration).toBeCloseTo(8.2, 9);
    // A flat rendition: the peak (init with every segment) is above the average (init once).
    const flat = measureRate({ segments: [seg(4, 10), seg(4, 10)], initBytes: 1_000, targetDuration: 4 });
    expect(flat.peak).toBeGreaterThanOrEqual(flat.average);
    expect(measureRate({ segments: [], initBytes: 0, targetDuration: 4 })).toEqual({
      peak: 0,
      average: 0,
      duration: 0,
    });
  });
});

describe("the segment schedule", () => {
  it("cuts content at 0.5, 1, 2, then every SEGMENT_SECONDS; ads every SEGMENT_SECONDS", () => {
    const cuts = (schedule: typeof CONTENT_SCHEDULE) =>
      Array.from({ length: 120 }, (_, i) => (i + 1) / 4).filter((t) => isCutTime(schedule, t));
    expect(cuts(CONTENT_SCHEDULE)).toEqual([0.5, 1, 2, 6, 10, 14, 18, 22, 26, 30]);
    expect(cuts(AD_SCHEDULE)).toEqual([4, 8, 12, 16, 20, 24, 28]);
    // AAC pieces end up to a frame (21 ms) past a half second: still the cut; half a second off is not.
    expect(isCutTime(CONTENT_SCHEDULE, 6.0213)).toBe(true);
    expect(isCutTime(CONTENT_SCHEDULE, 0.512)).toBe(true);
    expect(isCutTime(CONTENT_SCHEDULE, 1.512)).toBe(false);
    expect(isCutTime(CONTENT_SCHEDULE, 5.5)).toBe(false);
    // The muxer's unit: the longest of 1, ½, ¼ s every length is a multiple of.
    expect(chunkSeconds(CONTENT_SCHEDULE)).toBe(0.5);
    expect(chunkSeconds({ first: [1, 1], steady: 4 })).toBe(1);
    expect(chunkSeconds(AD_SCHEDULE)).toBe(4);
    expect(() => chunkSeconds({ first: [0.3], steady: 4 })).toThrow(/multiples/);
  });

  it("forces keyframes at exactly the cut times (ffmpeg's expression, evaluated here)", () => {
    // Evaluates the expression's shape for n_forced = 0, 1, 2, …: the time the next keyframe is due.
    const due = (expr: string, n: number): number => {
      const body = expr.replace(/^expr:gte\(t,/, "").replace(/\)$/, "");
      const js = body
        .replace(/n_forced/g, String(n))
        .replace(/if\(/g, "iff(")
        .replace(/lte\(([^,]+),([^)]+)\)/g, "($1<=$2)")
        .replace(/eq\(([^,]+),([^)]+)\)/g, "($1===$2)");
      const iff = (c: boolean, a: number, b: number) => (c ? a : b);
      return new Function("iff", `return ${js};`)(iff) as number;
    };
    const content = keyframeExpr(CONTENT_SCHEDULE);
    expect(Array.from({ length: 6 }, (_, n) => due(content, n))).toEqual([0, 0.5, 1, 2, 6, 10]);
    expect(keyframeExpr(AD_SCHEDULE)).toBe("expr:gte(t,n_forced*4)");
  });

  it("keeps TARGETDURATION at the steady length while only short segments are listed", () => {
    const pl = (target: number, durations: number[]) =>
      [
        "#EXTM3U",
        `#EXT-X-TARGETDURATION:${target}`,
        ...durations.flatMap((d, i) => [`#EXTINF:${d},`, `s${i}.m4s`]),
        "",
      ].join("\n");
    expect(parseMediaPlaylist(withTargetDuration(pl(1, [1, 1]))).targetDuration).toBe(4);
    expect(parseMediaPlaylist(withTargetDuration(pl(4, [1, 1, 4.6]))).targetDuration).toBe(5);
    expect(parseMediaPlaylist(withTargetDuration(pl(6, [1]))).targetDuration).toBe(6);
  });
});
