import { describe, expect, it } from "vitest";
import { apiJson, createVideo, seedAccount, videoPath } from "../../test/harness";
import { CHAPTER_TITLE_MAX, parseChapters } from "./chapters";

describe("parseChapters", () => {
  it("reads time-stamped lines in any of the usual forms, ignoring other lines", () => {
    const description = [
      "A talk about caching.",
      "",
      "0:00 Intro",
      "1:05 - Why cache",
      "  12:30 — The hard part  ",
      "1:02:03: Questions",
      "Thanks for watching! Slides at 10:00 in the morning.",
    ].join("\n");
    expect(parseChapters(description, 4_000_000)).toEqual([
      { startSeconds: 0, title: "Intro" },
      { startSeconds: 65, title: "Why cache" },
      { startSeconds: 750, title: "The hard part" },
      { startSeconds: 3723, title: "Questions" },
    ]);
  });

  it("makes no chapters when a rule is broken", () => {
    // Not starting at 0:00.
    expect(parseChapters("0:05 Intro\n1:00 Body")).toEqual([]);
    // Only one.
    expect(parseChapters("0:00 Everything")).toEqual([]);
    // Less than ten seconds apart.
    expect(parseChapters("0:00 Intro\n0:09 Too soon\n1:00 Body")).toEqual([]);
    // Out of order.
    expect(parseChapters("0:00 Intro\n2:00 Later\n1:00 Earlier")).toEqual([]);
    // Past the end of the video.
    expect(parseChapters("0:00 Intro\n1:00 Body", 60_000)).toEqual([]);
    expect(parseChapters("0:00 Intro\n1:00 Body", 60_001)).toHaveLength(2);
  });

  it("does not take malformed times or lines without a title as chapter lines", () => {
    const description = "0:00 Intro\n0:60 Not a time\n61:00 Not a time either\n1:00\n2:00 Body";
    expect(parseChapters(description)).toEqual([
      { startSeconds: 0, title: "Intro" },
      { startSeconds: 120, title: "Body" },
    ]);
    expect(parseChapters("0:00 Intro\n1:00:5 x\n2:00 Body")).toHaveLength(2);
  });

  it("cuts a long title and copes with CRLF and an empty description", () => {
    const long = "x".repeat(CHAPTER_TITLE_MAX + 50);
    const chapters = parseChapters(`0:00 ${long}\r\n0:30 Next\r\n`);
    expect(chapters[0]?.title).toHaveLength(CHAPTER_TITLE_MAX);
    expect(chapters[1]).toEqual({ startSeconds: 30, title: "Next" });
    expect(parseChapters("")).toEqual([]);
  });
});

describe("a video's chapters in the API", () => {
  it("come from the description, and change with it", async () => {
    const owner = await seedAccount({ tag: "chapters", channel: true });
    const { video } = await createVideo(owner, { size: 100 }, { description: "0:00 Intro\n0:45 Demo" });
    const read = await apiJson<{ chapters: unknown[] }>(videoPath(video.id), 200, {
      token: owner.accessToken,
    });
    expect(read.chapters).toEqual([
      { startSeconds: 0, title: "Intro" },
      { startSeconds: 45, title: "Demo" },
    ]);
    const patched = await apiJson<{ chapters: unknown[] }>(videoPath(video.id), 200, {
      method: "PATCH",
      token: owner.accessToken,
      json: { description: "0:00 Intro\n0:05 Too soon" },
    });
    expect(patched.chapters).toEqual([]);
  });
});

describe("parseChapters on hostile descriptions", () => {
  it("stays fast on a description built to make a line pattern backtrack", () => {
    const hostile = [
      `0:00${" ".repeat(4_900)}\rx\ry`,
      `0:00${" ".repeat(2_400)}\u2028x${" ".repeat(2_400)}y`,
      `${"0:00 ".repeat(1_000)}`,
      `0:00${" ".repeat(590)}\u0085x`,
    ];
    const started = performance.now();
    for (const description of hostile) parseChapters(description);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("treats \\r, U+2028 and U+2029 as line breaks, and never splits an emoji in a title", () => {
    expect(parseChapters("0:00 Intro\r0:30 Next\u20281:00 Last\u2029")).toHaveLength(3);
    const flags = "🇳🇴".repeat(CHAPTER_TITLE_MAX + 5);
    const [first] = parseChapters(`0:00 ${flags}\n0:30 Next`);
    expect(first?.title).toBe("🇳🇴".repeat(CHAPTER_TITLE_MAX));
  });
});
