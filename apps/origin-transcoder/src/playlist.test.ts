// Pure tests: reading ffmpeg's media playlists, publishing them, measuring bitrates.
import { describe, expect, it } from "vitest";
import {
  contentTypeFor,
  isCompletePlaylist,
  measureRate,
  parseMediaPlaylist,
  publishedVariantPlaylist,
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

  it("measures peak and average bitrate, ignoring a sub-second tail for the peak", () => {
    const rate = measureRate([
      { duration: 4, bytes: 1_000_000 },
      { duration: 4, bytes: 1_500_000 },
      { duration: 0.2, bytes: 100_000 },
    ]);
    expect(rate.peak).toBe(3_000_000);
    expect(rate.average).toBe(Math.round((2_600_000 * 8) / 8.2));
  });

  it("gives each output its content type", () => {
    expect(contentTypeFor("hls/master.m3u8")).toBe("application/vnd.apple.mpegurl");
    expect(contentTypeFor("hls/720p/seg_00001.m4s")).toBe("video/mp4");
    expect(contentTypeFor("hls/audio/init.mp4")).toBe("audio/mp4");
    expect(contentTypeFor("thumbs/poster.jpg")).toBe("image/jpeg");
    expect(contentTypeFor("storyboard/storyboard.vtt")).toBe("text/vtt");
  });
});
