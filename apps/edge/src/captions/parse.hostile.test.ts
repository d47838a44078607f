import { describe, expect, it } from "vitest";
import { captionText, MAX_CAPTION_BYTES, parseCaptions } from "./parse";

/**
 * Uploads are hostile: each of these fills the whole size limit with a pattern that would make a
 * backtracking regex, or a pass per line or per cue, take seconds. The parser reads them in one pass
 * (2–60 ms here, on a loaded two-core host): the bound leaves room for a busier CI host and still
 * catches anything quadratic by an order of magnitude.
 */
const LIMIT_MS = 500;

/** The prefix, then `unit` as many times as fits in MAX_CAPTION_BYTES, then the suffix. */
function fill(unit: string, prefix = "", suffix = ""): string {
  const times = Math.floor((MAX_CAPTION_BYTES - prefix.length - suffix.length) / unit.length);
  return prefix + unit.repeat(times) + suffix;
}

const vttCue = "WEBVTT\n\n00:01.000 --> 00:02.000\n";
const srtCue = "1\n00:00:01,000 --> 00:00:02,000\n";

describe("parseCaptions on hostile input", () => {
  // Each with the line of the error it is answered with, or "ok".
  const hostile: [string, string, number | "ok"][] = [
    ["repeated timings", fill("00:00:00.000 --> "), 1],
    ["repeated timings in WebVTT", fill("00:00:00.000 --> ", "WEBVTT\n\n"), 3],
    ["spaces before an arrow", fill(" ", "", "-->"), 1],
    ["digits as hours", fill("0", "WEBVTT\n\n", ":00.000 --> 00:01.000\nx"), 3],
    ["a line of arrows", fill("-->", "WEBVTT\n\n"), 3],
    ["unclosed tags", fill("<", vttCue), 4],
    ["tags that never end", fill("<b ", vttCue), 4],
    ["ampersands", fill("&", vttCue), 4],
    ["unclosed ASS tags", fill("{\\", srtCue), 3],
    ["unclosed font tags", fill("<font ", srtCue), 3],
    ["a cue of many lines", fill("a\n", vttCue), 4],
    [
      "many cues full of escapes",
      fill(`00:00.000 --> 00:01.000\n${"<&".repeat(50)}\n\n`, "WEBVTT\n\n"),
      "ok",
    ],
    [
      "many cues of almost-tags",
      fill(`00:00.000 --> 00:01.000\n${"<v x".repeat(25)}\n\n`, "WEBVTT\n\n"),
      "ok",
    ],
    ["many NOTE blocks", fill("NOTE\n\n", "WEBVTT\n\n"), "ok"],
    ["many cue numbers", fill("1\n"), 2],
  ];

  it.each(hostile)("answers %s in under 500 ms", (_, text, answer) => {
    const input = new TextEncoder().encode(text);
    expect(input.byteLength).toBeLessThanOrEqual(MAX_CAPTION_BYTES);
    const started = performance.now();
    const result = parseCaptions(input, 60_000);
    expect(performance.now() - started).toBeLessThan(LIMIT_MS);
    expect(result.ok ? "ok" : result.line).toBe(answer);
  });
});

describe("captionText on hostile text", () => {
  it("strips tags in linear time", () => {
    const text = `${"<".repeat(200_000)}${"<b ".repeat(50_000)}${"&".repeat(100_000)}`;
    const started = performance.now();
    const plain = captionText([{ startMs: 0, endMs: 1, text }]);
    expect(performance.now() - started).toBeLessThan(LIMIT_MS);
    expect(plain).toBe(text); // no ">" anywhere: nothing is a tag
  });
});
