import { describe, expect, it } from "vitest";
import { type Cue, parseCaptions } from "./parse";
import { captionSegment, segmentCaptions, subtitlePlaylist } from "./segments";

const HEADER = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n";
const cue = (startMs: number, endMs: number, text: string): Cue => ({ startMs, endMs, text });

/** What the players read back from a segment file. */
function cuesIn(vtt: string): Cue[] {
  const parsed = parseCaptions(new TextEncoder().encode(vtt), null);
  if (!parsed.ok) throw new Error(`segment is not valid WebVTT: ${parsed.reason}`);
  return parsed.cues;
}

/** The sum of a playlist's EXTINF durations, in milliseconds. */
function playlistMs(playlist: string): number {
  const durations = playlist.split("\n").filter((line) => line.startsWith("#EXTINF:"));
  return durations.reduce((sum, line) => sum + Math.round(Number.parseFloat(line.slice(8)) * 1000), 0);
}

describe("segmentCaptions", () => {
  const cues = [cue(1000, 5000, "A"), cue(5500, 7000, "<b>B</b>"), cue(13_000, 14_000, "C")];

  it("cuts the timeline into windows and puts a cue that spans a boundary in both, with its own times", () => {
    const segments = segmentCaptions(cues, 15_000);
    expect(segments.map(({ vtt, ...rest }) => rest)).toEqual([
      { index: 0, startMs: 0, durationMs: 6000 },
      { index: 1, startMs: 6000, durationMs: 6000 },
      { index: 2, startMs: 12_000, durationMs: 3000 },
    ]);
    expect(segments[0]?.vtt).toBe(
      `${HEADER}00:00:01.000 --> 00:00:05.000\nA\n\n00:00:05.500 --> 00:00:07.000\n<b>B</b>\n\n`,
    );
    expect(segments[1]?.vtt).toBe(`${HEADER}00:00:05.500 --> 00:00:07.000\n<b>B</b>\n\n`);
    expect(segments[2]?.vtt).toBe(`${HEADER}00:00:13.000 --> 00:00:14.000\nC\n\n`);
  });

  it("keeps a cue out of a window it only touches", () => {
    const segments = segmentCaptions(
      [cue(1000, 6000, "ends at the boundary"), cue(12_000, 13_000, "starts at one")],
      18_000,
    );
    expect(segments.map((s) => cuesIn(s.vtt).map((c) => c.text))).toEqual([
      ["ends at the boundary"],
      [],
      ["starts at one"],
    ]);
  });

  it("makes empty segments valid WebVTT files", () => {
    const segments = segmentCaptions([cue(0, 1000, "only")], 20_000);
    expect(segments).toHaveLength(4);
    expect(segments[3]).toEqual({ index: 3, startMs: 18_000, durationMs: 2000, vtt: HEADER });
    for (const segment of segments.slice(1)) expect(cuesIn(segment.vtt)).toEqual([]);
  });

  it("orders the cues of a segment by start, whatever order they came in", () => {
    const [segment] = segmentCaptions([cue(3000, 4000, "second"), cue(1000, 2000, "first")], 6000);
    expect(cuesIn(segment?.vtt ?? "").map((c) => c.text)).toEqual(["first", "second"]);
  });

  it("runs to the latest cue end when the length is not known, and always makes one segment", () => {
    const segments = segmentCaptions([cue(0, 10_000, "long"), cue(2000, 3000, "short")], 0);
    expect(segments.map((s) => s.durationMs)).toEqual([6000, 4000]);
    expect(segmentCaptions([], 0)).toEqual([{ index: 0, startMs: 0, durationMs: 0, vtt: HEADER }]);
    expect(segmentCaptions([], 1)).toEqual([{ index: 0, startMs: 0, durationMs: 1, vtt: HEADER }]);
  });

  it("takes another segment length, and refuses one that would never end", () => {
    expect(segmentCaptions(cues, 15_000, 10_000).map((s) => s.durationMs)).toEqual([10_000, 5000]);
    expect(() => segmentCaptions(cues, 15_000, 0)).toThrow(RangeError);
  });
});

describe("subtitlePlaylist", () => {
  it("lists the segments as a VOD media playlist", () => {
    const segments = segmentCaptions([cue(1000, 2000, "A")], 13_500);
    expect(subtitlePlaylist(segments, (i) => `seg-${i}.vtt`)).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:6",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXTINF:6.000,",
        "seg-0.vtt",
        "#EXTINF:6.000,",
        "seg-1.vtt",
        "#EXTINF:1.500,",
        "seg-2.vtt",
        "#EXT-X-ENDLIST",
        "",
      ].join("\n"),
    );
  });

  it("rounds the target duration up, so no segment is longer than it", () => {
    const playlist = subtitlePlaylist(segmentCaptions([], 20_000, 6001), String);
    expect(playlist).toContain("#EXT-X-TARGETDURATION:7\n");
    expect(playlist).toContain("#EXTINF:6.001,\n0\n");
    expect(playlist).toContain("#EXTINF:1.997,\n3\n");
  });

  it.each([1, 999, 5999, 6000, 6001, 61_234, 3_600_001])(
    "has EXTINFs that add up to a %i ms video",
    (totalMs) => {
      const segments = segmentCaptions([], totalMs);
      expect(segments.reduce((sum, s) => sum + s.durationMs, 0)).toBe(totalMs);
      expect(playlistMs(subtitlePlaylist(segments, String))).toBe(totalMs);
    },
  );
});

describe("captionSegment", () => {
  const cue = (startMs: number, endMs: number, text: string): Cue => ({ startMs, endMs, text });
  const cues = [
    cue(0, 30_000, "whole"),
    cue(5_500, 6_500, "across"),
    cue(12_000, 13_000, "later"),
    cue(12_000, 12_500, "same start"),
  ];

  it("is exactly segmentCaptions' segment, built alone", () => {
    const all = segmentCaptions(cues, 20_000, 6000);
    for (const segment of all) expect(captionSegment(cues, 20_000, 6000, segment.index)).toEqual(segment);
    expect(captionSegment(cues, 20_000, 6000, all.length)).toBeNull();
    expect(captionSegment(cues, 20_000, 6000, -1)).toBeNull();
  });

  it("holds a file's cues once, however many windows they span", () => {
    // 5,000 cues across a three-hour video: built all at once this was every cue in 1,080 windows.
    const spanning = Array.from({ length: 5000 }, (_, n) => cue(0, 10_800_000, `cue ${n}`));
    const one = captionSegment(spanning, 10_800_000, 10_000, 700) as { vtt: string };
    expect(one.vtt.split("-->").length - 1).toBe(5000);
  });
});
