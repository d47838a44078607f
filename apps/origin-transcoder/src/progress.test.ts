// Pure tests: ffmpeg -progress parsing.
import { describe, expect, it } from "vitest";
import { ProgressParser, progressPercent } from "./progress";

const block = (fields: Record<string, string>) =>
  `${Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;

describe("ffmpeg -progress parsing", () => {
  it("turns key=value blocks into a percentage of the duration, across chunk boundaries", () => {
    const parser = new ProgressParser();
    const text =
      block({
        frame: "30",
        out_time_us: "1000000",
        out_time_ms: "1000000",
        speed: "2.5x",
        progress: "continue",
      }) +
      block({ frame: "150", out_time_us: "5000000", out_time: "00:00:05.000000", progress: "continue" }) +
      block({ frame: "300", out_time_us: "10000000", progress: "end" });
    const got = [];
    for (let i = 0; i < text.length; i += 7) got.push(...parser.push(text.slice(i, i + 7)));
    expect(got).toHaveLength(3);
    expect(got[0]).toEqual({ outTimeSeconds: 1, speed: 2.5, done: false });
    expect(got.map((p) => progressPercent(p, 10))).toEqual([10, 50, 100]);
  });

  it("falls back to out_time_ms (µs) and out_time, and treats N/A as unknown", () => {
    const parser = new ProgressParser();
    const [a, b, c, d] = parser.push(
      block({ out_time_ms: "2500000", progress: "continue" }) +
        block({ out_time: "00:01:02.500000", progress: "continue" }) +
        block({ out_time_us: "N/A", out_time: "N/A", progress: "continue" }) +
        block({ out_time_us: "-9223372036854775807", progress: "continue" }),
    );
    expect(a?.outTimeSeconds).toBe(2.5);
    expect(b?.outTimeSeconds).toBe(62.5);
    expect(c?.outTimeSeconds).toBeNull();
    expect(d?.outTimeSeconds).toBeNull();
    expect(progressPercent(c as NonNullable<typeof c>, 10)).toBe(0);
    expect(progressPercent({ outTimeSeconds: 12, speed: null, done: false }, 10)).toBe(100);
  });
});
