// Stitching, pure: rung matching, audio, the playlist's exact shape, durations, the DATERANGE
// attributes and absolute ad URLs (ads/stitch.ts).
import { describe, expect, it } from "vitest";
import {
  matchAdRendition,
  parseAdMaster,
  parseMediaPlaylist,
  quotedStringSafe,
  stitchMediaPlaylist,
  totalMillis,
} from "./stitch";

/** An ad master as the origin writes it (rungs tallest first), with or without audio. */
function adMaster(heights: number[], audio = true): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (audio) {
    lines.push(
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"',
    );
  }
  for (const h of heights) {
    const w = Math.round((h * 16) / 9 / 2) * 2;
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${h * 4000},RESOLUTION=${w}x${h},CODECS="avc1.64001f,mp4a.40.2"${audio ? ',AUDIO="aud"' : ""}`,
      `${h}p/playlist.m3u8`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A finished fMP4 media playlist (ffmpeg's shape) with these segment durations. */
function mediaPlaylist(durations: number[], target = 4): string {
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    '#EXT-X-MAP:URI="init.mp4"',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `seg_${String(i + 1).padStart(5, "0")}.m4s`]),
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

const BASE = "https://marquee.example/media/vid_ad1/TOKEN/hls/720p/";
const CLICK = "https://marquee.example/api/v1/ads/click/ads_s1.cmp_c1.abc.SIG";

function stitch(content: string, ad: string, extra: { title?: string; base?: string } = {}) {
  return stitchMediaPlaylist({
    content: parseMediaPlaylist(content),
    ad: parseMediaPlaylist(ad),
    adBaseUrl: extra.base ?? BASE,
    sessionId: "ads_s1",
    campaignId: "cmp_c1",
    title: extra.title ?? "Fresh Lemonade",
    clickUrl: CLICK,
    startDate: new Date("2026-12-06T07:00:00.000Z"),
  });
}

describe("matchAdRendition", () => {
  const full = parseAdMaster(adMaster([1080, 720, 480, 360]));

  it("gives each content rung the tallest ad rung not taller than it", () => {
    expect(matchAdRendition("2160p", full)).toBe("1080p");
    expect(matchAdRendition("1440p", full)).toBe("1080p");
    expect(matchAdRendition("1080p", full)).toBe("1080p");
    expect(matchAdRendition("720p", full)).toBe("720p");
    expect(matchAdRendition("600p", full)).toBe("480p");
    expect(matchAdRendition("480p", full)).toBe("480p");
    expect(matchAdRendition("360p", full)).toBe("360p");
  });

  it("falls back to the ad's smallest rung when every ad rung is taller than the content's", () => {
    const tall = parseAdMaster(adMaster([1080, 720]));
    expect(matchAdRendition("360p", tall)).toBe("720p");
    expect(matchAdRendition("240p", full)).toBe("360p");
  });

  it("pairs audio with audio, and has nothing for audio content when the ad has no audio", () => {
    expect(matchAdRendition("audio", full)).toBe("audio");
    const silent = parseAdMaster(adMaster([720], false));
    expect(silent.audio).toBeNull();
    expect(matchAdRendition("audio", silent)).toBeNull();
    // Video rungs of content without audio still get the ad's video.
    expect(matchAdRendition("720p", silent)).toBe("720p");
    expect(matchAdRendition("storyboard", full)).toBeNull();
  });

  it("reads the ad's rungs smallest first whatever the master's order", () => {
    expect(parseAdMaster(adMaster([720, 1080, 360])).video.map((r) => r.name)).toEqual([
      "360p",
      "720p",
      "1080p",
    ]);
  });
});

describe("stitchMediaPlaylist", () => {
  it("puts the ad first in exactly the contract's shape, then the content after a discontinuity", () => {
    const text = stitch(mediaPlaylist([4, 4, 2.5]), mediaPlaylist([4, 4, 4, 3.2]));
    const lines = text.trimEnd().split("\n");
    expect(lines.slice(0, 7)).toEqual([
      "#EXTM3U",
      "#EXT-X-VERSION:7",
      "#EXT-X-TARGETDURATION:4",
      "#EXT-X-MEDIA-SEQUENCE:0",
      "#EXT-X-PLAYLIST-TYPE:VOD",
      "#EXT-X-INDEPENDENT-SEGMENTS",
      "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T07:00:00.000Z",
    ]);
    expect(lines[7]).toBe(
      '#EXT-X-DATERANGE:ID="ad-ads_s1",CLASS="com.marquee.ad",START-DATE="2026-12-06T07:00:00.000Z",' +
        `DURATION=15.200,X-AD-ID="cmp_c1",X-AD-TITLE="Fresh Lemonade",X-AD-CLICK="${CLICK}"`,
    );
    expect(lines[8]).toBe(`#EXT-X-MAP:URI="${BASE}init.mp4"`);
    expect(lines.slice(9, 17)).toEqual([
      "#EXTINF:4.000000,",
      `${BASE}seg_00001.m4s`,
      "#EXTINF:4.000000,",
      `${BASE}seg_00002.m4s`,
      "#EXTINF:4.000000,",
      `${BASE}seg_00003.m4s`,
      "#EXTINF:3.200000,",
      `${BASE}seg_00004.m4s`,
    ]);
    expect(lines.slice(17)).toEqual([
      "#EXT-X-DISCONTINUITY",
      '#EXT-X-MAP:URI="init.mp4"',
      "#EXTINF:4.000000,",
      "seg_00001.m4s",
      "#EXTINF:4.000000,",
      "seg_00002.m4s",
      "#EXTINF:2.500000,",
      "seg_00003.m4s",
      "#EXT-X-ENDLIST",
    ]);
    // One DATERANGE, one discontinuity, one end; the content's EVENT type is gone (VOD now).
    expect(text.match(/#EXT-X-DATERANGE/g)).toHaveLength(1);
    expect(text.match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(text.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    expect(text).not.toContain("EVENT");
  });

  it("sums the ad's EXTINFs exactly for DURATION, and takes the larger TARGETDURATION", () => {
    const ad = mediaPlaylist([4.004, 4.004, 1.001], 5);
    expect(totalMillis(parseMediaPlaylist(ad))).toBe(9009);
    const text = stitch(mediaPlaylist([4, 4]), ad);
    expect(text).toContain(",DURATION=9.009,");
    expect(text).toContain("#EXT-X-TARGETDURATION:5\n");
    // A content segment longer than both targets raises it too (a target must cover every segment).
    expect(stitch(mediaPlaylist([6.2], 4), mediaPlaylist([4]))).toContain("#EXT-X-TARGETDURATION:7\n");
  });

  it("makes a title quoted-string safe: no double quote, no line break to inject tags", () => {
    const text = stitch(mediaPlaylist([4]), mediaPlaylist([4]), {
      title: 'Say "hi"\n#EXT-X-ENDLIST\r\nnow',
    });
    expect(text).toContain(`X-AD-TITLE="Say 'hi' #EXT-X-ENDLIST  now"`);
    // The text stays inside the attribute: still one line that is the tag.
    expect(text.match(/^#EXT-X-ENDLIST$/gm)).toHaveLength(1);
    expect(quotedStringSafe("a\u2028b\u0007c")).toBe("a b c");
    expect(quotedStringSafe("x".repeat(500))).toHaveLength(200);
  });

  it("builds every ad URL on the base it is given (PUBLIC_URL's), and refuses ad URIs that leave it", () => {
    const base = "https://cdn.marquee.example/media/vid_ad9/TKN/hls/480p/";
    const text = stitch(mediaPlaylist([4]), mediaPlaylist([4, 4]), { base });
    const adLines = text.split("\n").filter((l) => l.includes("vid_ad9"));
    expect(adLines).toHaveLength(3); // map + two segments
    for (const l of adLines) expect(l.replace(/^#EXT-X-MAP:URI="|"$/g, "").startsWith(base)).toBe(true);
    const hostile = mediaPlaylist([4]).replace("seg_00001.m4s", "https://evil.example/x.m4s");
    expect(() => stitch(mediaPlaylist([4]), hostile)).toThrow(/Unexpected ad URI/);
    const upward = mediaPlaylist([4]).replace('URI="init.mp4"', 'URI="../1080p/init.mp4"');
    expect(() => stitch(mediaPlaylist([4]), upward)).toThrow(/Unexpected ad URI/);
  });

  it("stitches an audio rendition the same way (its own init, no RESOLUTION involved)", () => {
    const audioBase = "https://marquee.example/media/vid_ad1/TOKEN/hls/audio/";
    const text = stitch(mediaPlaylist([4, 4]), mediaPlaylist([4, 4, 4, 3.2]), { base: audioBase });
    expect(text).toContain(`#EXT-X-MAP:URI="${audioBase}init.mp4"`);
    expect(text).toContain(`${audioBase}seg_00004.m4s`);
    expect(text).toContain(",DURATION=15.200,");
  });

  it("refuses an ad rendition without an init segment or segments", () => {
    const noMap = mediaPlaylist([4]).replace('#EXT-X-MAP:URI="init.mp4"\n', "");
    expect(() => stitch(mediaPlaylist([4]), noMap)).toThrow(/no init or segments/);
    expect(() => stitch(mediaPlaylist([4]), mediaPlaylist([]))).toThrow(/no init or segments/);
  });
});
