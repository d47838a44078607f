// Pure tests of the short-tail join: which segments are joined under which name, the playlist text
// after the join, and the fMP4 boxes of the joined segment.
import { describe, expect, it } from "vitest";
import { parseStrict } from "./hls-conformance.testkit";
import { CONTENT_SCHEDULE, isCutTime, parseMediaPlaylist } from "./playlist";
import { groupAudioChunks, joinFragments, planTailMerge, topLevelBoxes } from "./tail";

const audioPlaylist = (durations: number[], ended = true) =>
  [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:1",
    `#EXT-X-PLAYLIST-TYPE:${ended ? "VOD" : "EVENT"}`,
    '#EXT-X-MAP:URI="init.mp4"',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `seg_${String(i + 1).padStart(5, "0")}.m4s`]),
    ...(ended ? ["#EXT-X-ENDLIST"] : []),
    "",
  ].join("\n");

const nothingStored = () => false;

describe("planTailMerge", () => {
  it("joins a sub-second last segment to the one before, under the earlier name", () => {
    const merge = planTailMerge(audioPlaylist([4.010667, 3.989333, 0.021333]), nothingStored);
    expect(merge).toMatchObject({ from: ["seg_00002.m4s", "seg_00003.m4s"], uri: "seg_00002.m4s" });
    const pl = parseMediaPlaylist(merge?.text ?? "");
    expect(pl.segments).toEqual([
      { uri: "seg_00001.m4s", duration: 4.010667 },
      { uri: "seg_00002.m4s", duration: 4.010666 },
    ]);
    expect(pl.ended).toBe(true);
    expect(pl.targetDuration).toBe(4);
    expect(parseStrict(merge?.text ?? "")).toMatchObject({ playlistType: "VOD", endlist: true });
  });

  it("raises the target duration when the joined segment rounds above it (RFC 8216 §4.3.3.1)", () => {
    const merge = planTailMerge(audioPlaylist([4, 4, 0.9]), nothingStored);
    expect(merge?.duration).toBeCloseTo(4.9, 9);
    expect(parseMediaPlaylist(merge?.text ?? "").targetDuration).toBe(5);
    // hls-parser (strict) refuses an EXTINF that rounds above the target: this one passes.
    expect(() => parseStrict(merge?.text ?? "")).not.toThrow();
  });

  it("publishes under the tail's own name when the earlier segment is already stored", () => {
    const merge = planTailMerge(audioPlaylist([4, 4, 0.5]), (uri) => uri === "seg_00002.m4s");
    expect(merge?.uri).toBe("seg_00003.m4s");
    expect(parseMediaPlaylist(merge?.text ?? "").segments.map((s) => s.uri)).toEqual([
      "seg_00001.m4s",
      "seg_00003.m4s",
    ]);
    // Both names stored: nothing can be joined without changing a stored object.
    expect(planTailMerge(audioPlaylist([4, 4, 0.5]), () => true)).toBeNull();
  });

  it("leaves alone a tail of a second or more, a single segment, and an unfinished playlist", () => {
    expect(planTailMerge(audioPlaylist([4, 4, 1]), nothingStored)).toBeNull();
    expect(planTailMerge(audioPlaylist([0.4]), nothingStored)).toBeNull();
    expect(planTailMerge(audioPlaylist([4, 0.4], false), nothingStored)).toBeNull();
  });
});

/** An ISO BMFF box: 32-bit size, type, payload. */
const box = (type: string, payload: number[]) => {
  const out = new Uint8Array(8 + payload.length);
  new DataView(out.buffer).setUint32(0, out.length);
  out.set(
    [...type].map((c) => c.charCodeAt(0)),
    4,
  );
  out.set(payload, 8);
  return out;
};
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const types = (bytes: Uint8Array) => topLevelBoxes(bytes).map((b) => b.type);

describe("joinFragments", () => {
  const first = cat(box("styp", [1]), box("sidx", [2]), box("moof", [3]), box("mdat", [4, 4]));
  const second = cat(box("styp", [5]), box("sidx", [6]), box("moof", [7]), box("mdat", [8]));

  it("keeps the first styp and both moof+mdat pairs in order, drops both sidx", () => {
    const joined = joinFragments(first, second);
    expect(types(joined)).toEqual(["styp", "moof", "mdat", "moof", "mdat"]);
    expect([...joined]).toEqual([
      ...box("styp", [1]),
      ...box("moof", [3]),
      ...box("mdat", [4, 4]),
      ...box("moof", [7]),
      ...box("mdat", [8]),
    ]);
  });

  it("refuses what is not a media segment, and truncated boxes", () => {
    expect(() => joinFragments(first, box("ftyp", [0]))).toThrow(/no moof\/mdat/);
    expect(() => joinFragments(first, second.subarray(0, second.length - 1))).toThrow(/bad size/);
    expect(() => topLevelBoxes(new Uint8Array([0, 0, 0]))).toThrow(/truncated/);
  });
});

describe("groupAudioChunks", () => {
  const isCut = (t: number) => isCutTime(CONTENT_SCHEDULE, t);
  const pieces = (durations: number[], ended: boolean) =>
    [
      "#EXTM3U",
      "#EXT-X-VERSION:7",
      "#EXT-X-TARGETDURATION:1",
      "#EXT-X-PLAYLIST-TYPE:EVENT",
      '#EXT-X-MAP:URI="init.mp4"',
      ...durations.flatMap((d, i) => [
        `#EXTINF:${d.toFixed(6)},`,
        `seg_${String(i + 1).padStart(5, "0")}.m4s`,
      ]),
      ...(ended ? ["#EXT-X-ENDLIST"] : []),
      "",
    ].join("\n");
  // ffmpeg's AAC pieces with -hls_time 0.5: each ends at the first 1024-sample frame (48 kHz) at or past
  // its half second, so they last 24 or 23 frames (0.512 or 0.490667 s). `ends[k]` = end of piece k+1.
  const FRAME = 1024 / 48_000;
  const ends = Array.from({ length: 14 }, (_, k) => Math.ceil(((k + 1) * 0.5) / FRAME - 1e-9) * FRAME);
  const aac = ends.map((e, k) => e - (ends[k - 1] ?? 0));

  it("joins half-second pieces into segments ending at 0.5, 1, 2, 6 s; lists only closed ones while running", () => {
    // Pieces to 3.5 s: 0.5 | 1 | 1.5, 2 | (2.5 … 3.5 still open)
    const running = groupAudioChunks(pieces(aac.slice(0, 7), false), isCut);
    expect(running?.groups.map((g) => [g.uri, g.from.length])).toEqual([
      ["seg_00001.m4s", 1],
      ["seg_00002.m4s", 1],
      ["seg_00003.m4s", 2],
    ]);
    const pl = parseMediaPlaylist(running?.text ?? "");
    expect(pl.ended).toBe(false);
    expect(pl.mapUri).toBe("init.mp4");
    expect(pl.segments.map((s) => s.uri)).toEqual(["seg_00001.m4s", "seg_00002.m4s", "seg_00003.m4s"]);
    expect(pl.segments.map((s) => s.duration)).toEqual(
      [0.512, 0.490667, 1.002666].map((d) => expect.closeTo(d, 5)),
    );
    // The fifth (6 s onwards) is still open while running: listed once the playlist is ended.
    const ended = groupAudioChunks(pieces([...aac, 0.021333], true), isCut);
    expect(ended?.groups.map((g) => g.from.length)).toEqual([1, 1, 2, 8, 3]);
    expect(ended?.groups.at(-1)).toMatchObject({
      uri: "seg_00005.m4s",
      from: ["seg_00013.m4s", "seg_00014.m4s", "seg_00015.m4s"],
    });
    expect(ended?.groups.at(-1)?.duration).toBeCloseTo(
      (ends[13] as number) - (ends[11] as number) + 0.021333,
      4,
    );
    expect(parseStrict(ended?.text.replace("TARGETDURATION:1", "TARGETDURATION:4") ?? "")).toBeTruthy();
    expect(parseMediaPlaylist(ended?.text ?? "").ended).toBe(true);
  });

  it("lists nothing before the first cut", () => {
    expect(groupAudioChunks(pieces([], false), isCut)).toBeNull();
    expect(groupAudioChunks(pieces([0.3], false), isCut)).toBeNull();
  });
});
