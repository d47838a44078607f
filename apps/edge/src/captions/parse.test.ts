import { describe, expect, it } from "vitest";
import {
  type Cue,
  captionText,
  MAX_CAPTION_BYTES,
  MAX_CUE_TEXT,
  MAX_CUES,
  parseCaptions,
  toWebVtt,
} from "./parse";

const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string, durationMs: number | null = null) => parseCaptions(bytes(text), durationMs);

function cuesOf(text: string, durationMs: number | null = null): Cue[] {
  const result = parse(text, durationMs);
  if (!result.ok) throw new Error(`expected cues, got ${result.reason}`);
  return result.cues;
}

/** A WebVTT file of a cue per text, cue i from second i to i + 0.9: one-line cues time on line 3 + 3i. */
function vttOf(...texts: string[]): string {
  const at = (i: number, ms: string) => `00:${String(i).padStart(2, "0")}.${ms}`;
  return `WEBVTT\n\n${texts.map((t, i) => `${at(i, "000")} --> ${at(i, "900")}\n${t}\n\n`).join("")}`;
}

describe("parseCaptions: WebVTT", () => {
  const file = [
    "WEBVTT - English captions",
    "Kind: captions",
    "Language: en",
    "",
    "NOTE This file was",
    "made by hand",
    "",
    "STYLE",
    "::cue { color: yellow }",
    "",
    "REGION",
    "id:fred width:40%",
    "",
    "intro",
    "00:01.000 --> 00:04.000 align:start position:10%",
    "  Hello, <b>world</b>!  ",
    "Second line",
    "",
    "00:00:04.500 --> 00:00:06.000 line:0",
    "Two",
    "",
    "NOTE",
    "a note between cues",
    "",
    "3",
    "00:00:07.000\t-->\t00:00:08.250",
    "Tabs around the arrow",
    "",
  ].join("\n");

  it("skips the header, NOTE, STYLE and REGION blocks, identifiers and settings", () => {
    expect(parse(file)).toEqual({
      ok: true,
      format: "vtt",
      cues: [
        { startMs: 1000, endMs: 4000, text: "Hello, <b>world</b>!\nSecond line" },
        { startMs: 4500, endMs: 6000, text: "Two" },
        { startMs: 7000, endMs: 8250, text: "Tabs around the arrow" },
      ],
    });
  });

  it("converts to canonical WebVTT, which parses back to the same cues", () => {
    const cues = cuesOf(file);
    const canonical = toWebVtt(cues);
    expect(canonical).toBe(
      "WEBVTT\n\n" +
        "00:00:01.000 --> 00:00:04.000\nHello, <b>world</b>!\nSecond line\n\n" +
        "00:00:04.500 --> 00:00:06.000\nTwo\n\n" +
        "00:00:07.000 --> 00:00:08.250\nTabs around the arrow\n\n",
    );
    expect(cuesOf(canonical)).toEqual(cues);
    expect(toWebVtt([])).toBe("WEBVTT\n\n");
  });

  it("reads a file with a BOM and CRLF line ends", () => {
    const cues = [{ startMs: 1000, endMs: 2000, text: "Hi" }];
    expect(parse("\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n")).toEqual({
      ok: true,
      format: "vtt",
      cues,
    });
  });

  it("reads hours of more than two digits", () => {
    const cues = cuesOf("WEBVTT\n\n123:04:05.678 --> 123:04:06.000\nLate\n");
    expect(cues).toEqual([{ startMs: 443_045_678, endMs: 443_046_000, text: "Late" }]);
    expect(toWebVtt(cues)).toBe("WEBVTT\n\n123:04:05.678 --> 123:04:06.000\nLate\n\n");
  });

  it("allows overlapping cues and equal starts, drops empty cues, and accepts a file without cues", () => {
    const text =
      "WEBVTT\n\n00:01.000 --> 00:05.000\nA\n\n00:02.000 --> 00:03.000\n \n\n00:02.000 --> 00:06.000\nB\n";
    expect(cuesOf(text)).toEqual([
      { startMs: 1000, endMs: 5000, text: "A" },
      { startMs: 2000, endMs: 6000, text: "B" },
    ]);
    expect(parse("WEBVTT\n")).toEqual({ ok: true, format: "vtt", cues: [] });
  });

  it("escapes a bare & and a < that opens no known tag, keeping tags and references", () => {
    const text =
      "Tom & Jerry &amp; &#x1F600; <3 a<b <b>bold</b> <c.yellow.bg_blue>c</c> <v Bob>hi</v> " +
      "<lang en>x</lang> <ruby>a<rt>b</rt></ruby> <00:00:01.500>later <script>&x</script> <B>";
    const [cue] = cuesOf(`WEBVTT\n\n00:01.000 --> 00:02.000\n${text}\n`);
    expect(cue?.text).toBe(
      "Tom &amp; Jerry &amp; &#x1F600; &lt;3 a&lt;b <b>bold</b> <c.yellow.bg_blue>c</c> <v Bob>hi</v> " +
        "<lang en>x</lang> <ruby>a<rt>b</rt></ruby> <00:00:01.500>later &lt;script>&amp;x&lt;/script> &lt;B>",
    );
    // Escaping is idempotent: the stored file parses back to the same text.
    expect(cuesOf(toWebVtt(cuesOf(`WEBVTT\n\n00:01.000 --> 00:02.000\n${text}\n`)))[0]?.text).toBe(cue?.text);
  });

  it("checks cues against the video's length, with a second of slack", () => {
    const text = (end: string) => `WEBVTT\n\n00:09.000 --> ${end}\nLast\n`;
    expect(parse(text("00:11.000"), 10_000).ok).toBe(true);
    expect(parse(text("00:11.001"), 10_000)).toEqual({
      ok: false,
      line: 3,
      reason: "line 3: the cue ends at 00:00:11.001, but the video is 00:00:10.000 long",
    });
    expect(parse(text("10:00:00.000"), null).ok).toBe(true);
  });
});

describe("parseCaptions: SRT", () => {
  const file = [
    "\uFEFF1",
    "00:00:01,000 --> 00:00:02,500",
    '{\\an8}<font color="#ffff00">Top</font> line',
    "<I>italic</I> and <b>bold</b> <FONT face=Arial>&</FONT>",
    "",
    "2",
    "00:00:03.000 --> 00:00:04,000 X1:100 X2:200 Y1:10 Y2:20",
    "{\\an8}",
    "Dot and comma",
    "",
    "00:00:05,000 --> 00:00:06,000",
    "No counter",
    "",
    "4",
    "00:00:07,000 --> 00:00:08,000",
    "",
    "5",
    "100:00:00,000 --> 100:00:01,000",
    "Hundred hours",
    "",
  ].join("\r\n");

  it("reads counters, both millisecond separators, CRLF and a BOM; drops ASS and font tags and empty cues", () => {
    const cues = [
      { startMs: 1000, endMs: 2500, text: "Top line\n<i>italic</i> and <b>bold</b> &amp;" },
      { startMs: 3000, endMs: 4000, text: "Dot and comma" },
      { startMs: 5000, endMs: 6000, text: "No counter" },
      { startMs: 360_000_000, endMs: 360_001_000, text: "Hundred hours" },
    ];
    expect(parse(file)).toEqual({ ok: true, format: "srt", cues });
    expect(toWebVtt(cues)).toBe(
      "WEBVTT\n\n" +
        "00:00:01.000 --> 00:00:02.500\nTop line\n<i>italic</i> and <b>bold</b> &amp;\n\n" +
        "00:00:03.000 --> 00:00:04.000\nDot and comma\n\n" +
        "00:00:05.000 --> 00:00:06.000\nNo counter\n\n" +
        "100:00:00.000 --> 100:00:01.000\nHundred hours\n\n",
    );
  });

  it("takes a line of only whitespace for a blank line", () => {
    expect(
      cuesOf("1\n00:00:01,000 --> 00:00:02,000\nA\n \t \n2\n00:00:03,000 --> 00:00:04,000\nB\n"),
    ).toEqual([
      { startMs: 1000, endMs: 2000, text: "A" },
      { startMs: 3000, endMs: 4000, text: "B" },
    ]);
  });

  it("reads old Mac line ends, and counts lines after normalising them", () => {
    expect(cuesOf("1\r00:00:01,000 --> 00:00:02,000\rHi\r")).toEqual([
      { startMs: 1000, endMs: 2000, text: "Hi" },
    ]);
    const broken =
      "1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n\r\n2\r\n00:00:03,000 --> 00:00:02,000\r\nBye\r\n";
    expect(parse(broken)).toMatchObject({ ok: false, line: 6 });
  });
});

describe("parseCaptions: errors", () => {
  const cases: [string, string, number, string][] = [
    [
      "an end not after the start",
      "WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n\n00:00:04.000 --> 00:00:03.000\nTwo\n",
      6,
      "the end 00:00:03.000 is not after the start 00:00:04.000",
    ],
    [
      "an empty duration",
      vttOf("x").replace("00.900", "00.000"),
      3,
      "the end 00:00:00.000 is not after the start 00:00:00.000",
    ],
    [
      "cues out of order",
      "WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\nid\n00:01.000 --> 00:07.000\nB\n",
      7,
      "the cue starts at 00:00:01.000, before the cue above it (00:00:05.000); cues must be in order of start time",
    ],
    [
      "a bad timestamp",
      "WEBVTT\n\n00:00:1.000 --> 00:00:02.000\nx\n",
      3,
      'the start time "00:00:1.000" is not a timestamp (HH:MM:SS.mmm or MM:SS.mmm)',
    ],
    [
      "settings glued to the end time",
      "WEBVTT\n\n00:01.000 --> 00:02.000align:start\nx\n",
      3,
      'the end time "00:02.000align:start" is not a timestamp (HH:MM:SS.mmm or MM:SS.mmm)',
    ],
    ["a missing start", "WEBVTT\n\n --> 00:02.000\nx\n", 3, "the start time is missing"],
    ["a missing end", "WEBVTT\n\n00:01.000 -->\nx\n", 3, "the end time is missing"],
    [
      "an SRT timestamp without milliseconds",
      "1\n00:00:01 --> 00:00:02,000\nx\n",
      2,
      'the start time "00:00:01" is not a timestamp (HH:MM:SS,mmm)',
    ],
    [
      "a cue in the header",
      "WEBVTT\n00:01.000 --> 00:02.000\nHi\n",
      2,
      "a blank line must separate the header from the first cue",
    ],
    [
      "text where a cue should start",
      "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n\nWorld\n",
      6,
      `expected a timing line like "00:00:01.000 --> 00:00:04.000" (a blank line inside a cue's text ends the cue)`,
    ],
    [
      '"-->" in cue text',
      "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n00:02.000 --> 00:03.000\nWorld\n",
      5,
      'cue text must not contain "-->" (is a blank line missing before this cue?)',
    ],
    [
      '"-->" made by removing SRT styling',
      "1\n00:00:01,000 --> 00:00:02,000\n--{\\an8}>\n",
      3,
      'cue text must not contain "-->" (is a blank line missing before this cue?)',
    ],
    [
      "neither WebVTT nor SRT",
      '{"captions": []}\n',
      1,
      `expected a cue number or a timing line like "00:00:01,000 --> 00:00:04,000" (a blank line inside a cue's text ends the cue)`,
    ],
    [
      "an SRT counter without a timing line",
      "\n\n1\nHello\n",
      4,
      'expected a timing line like "00:00:01,000 --> 00:00:04,000" after the cue number',
    ],
    [
      "a cue text too long",
      vttOf("ok", `${"a".repeat(MAX_CUE_TEXT - 1)}\nb`),
      7,
      `the cue's text is longer than ${MAX_CUE_TEXT} characters`,
    ],
  ];

  it.each(cases)("names the line of %s", (_, text, line, reason) => {
    expect(parse(text)).toEqual({ ok: false, line, reason: `line ${line}: ${reason}` });
  });

  it("rejects malformed WebVTT timestamps", () => {
    for (const bad of [
      "00:60.000",
      "60:00.000",
      "00:01.00",
      "00:01.0000",
      "1:00:00.000",
      "00:01,000",
      "1.000",
    ]) {
      const result = parse(`WEBVTT\n\n${bad} --> 99:00:00.000\nx\n`);
      const reason = expect.stringContaining(`"${bad}" is not a timestamp`);
      expect(result, bad).toEqual({ ok: false, line: 3, reason });
    }
  });

  it("counts characters, escapes included, not UTF-16 units", () => {
    expect(parse(vttOf("😀".repeat(MAX_CUE_TEXT))).ok).toBe(true);
    expect(parse(vttOf("&".repeat(MAX_CUE_TEXT / 5))).ok).toBe(true); // each is "&amp;"
    expect(parse(vttOf("&".repeat(MAX_CUE_TEXT / 5 + 1)))).toMatchObject({ ok: false, line: 4 });
  });

  it(`allows at most ${MAX_CUES} cues`, () => {
    const texts = Array.from({ length: MAX_CUES + 1 }, (_, i) => `cue ${i}`);
    const at = (i: number) => `00:00:${String(i % 60).padStart(2, "0")}.000`;
    const file = (n: number) =>
      `WEBVTT\n\n${texts
        .slice(0, n)
        .map((t, i) => `${at(Math.floor(i / 100))} --> 99:00:00.000\n${t}\n\n`)
        .join("")}`;
    expect(parse(file(MAX_CUES)).ok).toBe(true);
    const line = 3 + 3 * MAX_CUES;
    expect(parse(file(MAX_CUES + 1))).toEqual({
      ok: false,
      line,
      reason: `line ${line}: a file may have at most ${MAX_CUES} cues`,
    });
  });

  it("rejects what is not text, too big or empty, without a line", () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const notText = { ok: false, line: null, reason: "not a text file" };
    expect(parseCaptions(png, null)).toEqual(notText);
    expect(parseCaptions(new Uint8Array([0x57, 0xc3, 0x28]), null)).toEqual(notText); // invalid UTF-8
    expect(parse(`${vttOf("a")}\u0000`)).toEqual(notText);
    expect(parse(vttOf("a\u001b[31m"))).toEqual(notText);
    expect(parse(vttOf("a\tb")).ok).toBe(true);

    const tooBig = { ok: false, line: null, reason: "the file is larger than 512 KB" };
    expect(parseCaptions(new Uint8Array(MAX_CAPTION_BYTES + 1).fill(0x20), null)).toEqual(tooBig);
    expect(parseCaptions(new Uint8Array(MAX_CAPTION_BYTES).fill(0x20), null)).not.toEqual(tooBig);

    const empty = { ok: false, line: null, reason: "the file is empty" };
    expect(parseCaptions(new Uint8Array(0), null)).toEqual(empty);
    expect(parse(" \r\n\t\n")).toEqual(empty);
    expect(parse("\uFEFF")).toEqual(empty);
  });
});

describe("captionText", () => {
  it("strips tags, decodes references and collapses whitespace", () => {
    const cues = [
      { startMs: 0, endMs: 1, text: "Hello&nbsp;<i>there</i>,\n  <v Kenobi>general</v>" },
      {
        startMs: 1,
        endMs: 2,
        text: "a &lt;b&gt; &amp;amp; <00:00:01.000>c &#233;&#x20AC; &unknown; &constructor;",
      },
    ];
    expect(captionText(cues)).toBe("Hello there, general a <b> &amp; c é€ &unknown; &constructor;");
    expect(captionText([])).toBe("");
  });

  it("reads the text of parsed cues as the creator wrote it", () => {
    const cues = cuesOf(vttOf("Tom & <b>Jerry</b> <3", "  second\ncue  "));
    expect(captionText(cues)).toBe("Tom & Jerry <3 second cue");
  });
});
