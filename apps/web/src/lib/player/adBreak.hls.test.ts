import { M3U8Parser, PlaylistLevelType } from "hls.js";
import { describe, expect, it } from "vitest";
import { adBreakFromDateRanges, contentTime } from "./adBreak";

/** A stitched media playlist in the shape the edge serves (docs/ads.md): the ad's 3 segments, then the content's. */
const STITCHED = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-PROGRAM-DATE-TIME:2026-12-06T07:00:00.000Z
#EXT-X-DATERANGE:ID="ad-ses_abc",CLASS="com.marquee.ad",START-DATE="2026-12-06T07:00:00.000Z",DURATION=10.5,X-AD-ID="cmp_1",X-AD-TITLE="Spring, sale",X-AD-CLICK="https://edge.test/api/v1/ads/click/tok.sig"
#EXT-X-MAP:URI="https://edge.test/media/vid_ad/tok/hls/360p/init.mp4"
#EXTINF:4.000,
https://edge.test/media/vid_ad/tok/hls/360p/seg_00000.m4s
#EXTINF:4.000,
https://edge.test/media/vid_ad/tok/hls/360p/seg_00001.m4s
#EXTINF:2.500,
https://edge.test/media/vid_ad/tok/hls/360p/seg_00002.m4s
#EXT-X-DISCONTINUITY
#EXT-X-MAP:URI="init.mp4"
#EXTINF:4.000,
seg_00000.m4s
#EXTINF:4.000,
seg_00001.m4s
#EXT-X-ENDLIST
`;

describe("hls.js reads the edge's ad break", () => {
  it("finds the com.marquee.ad date range at media time 0 with its duration and click URL", () => {
    const details = M3U8Parser.parseLevelPlaylist(
      STITCHED,
      "https://edge.test/media/vid_content/tok/hls/360p/index.m3u8",
      0,
      PlaylistLevelType.MAIN,
      0,
      null,
    );
    const ad = adBreakFromDateRanges(details.dateRanges);
    expect(ad).toEqual({
      id: "ad-ses_abc",
      start: 0,
      duration: 10.5,
      end: 10.5,
      clickUrl: "https://edge.test/api/v1/ads/click/tok.sig",
      title: "Spring, sale",
    });
    // The content's first segment starts where the break ends: content time 0 there.
    const firstContent = details.fragments.find((f) => f.url.includes("vid_content"));
    expect(firstContent?.start).toBeCloseTo(10.5, 6);
    expect(contentTime(firstContent?.start ?? 0, ad)).toBe(0);
  });
});
