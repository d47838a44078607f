/**
 * VAST 4.2 (IAB) for third-party players, pure: one InLine linear pre-roll, or the empty document.
 * Text is escaped; every URL is in CDATA (with `]]>` split, though our URLs never contain it).
 */

export interface VastMediaFile {
  url: string;
  width: number;
  height: number;
}

export interface VastAd {
  /** The ad session: AdServingId, and what every beacon is signed for. */
  sessionId: string;
  campaignId: string;
  creativeVideoId: string;
  title: string;
  durationMs: number;
  impressionUrl: string;
  tracking: Record<"start" | "firstQuartile" | "midpoint" | "thirdQuartile" | "complete", string>;
  /** Our signed click redirect (to the campaign's registered URL). */
  clickThroughUrl: string;
  clickTrackingUrl: string;
  /** The creative's HLS master with an ad-session grant. */
  hls: VastMediaFile;
  /** The progressive MP4 (`mp4/ad.mp4`). */
  mp4: VastMediaFile | null;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Nothing to show: players skip the break. */
export const EMPTY_VAST = `${XML_DECLARATION}\n<VAST version="4.2"/>\n`;

export function escapeXml(value: string): string {
  return (
    value
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
      // Characters XML 1.0 does not allow at all.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is removed
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
  );
}

export const cdata = (value: string) => `<![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** VAST's Duration: HH:MM:SS.mmm. */
export function vastDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
}

const mediaFile = (id: string, delivery: string, type: string, f: VastMediaFile) =>
  `<MediaFile id="${id}" delivery="${delivery}" type="${type}" width="${f.width}" ` +
  `height="${f.height}">${cdata(f.url)}</MediaFile>`;

/** The InLine document (VAST 4.2 element order). */
export function vastDocument(ad: VastAd): string {
  const tracking = Object.entries(ad.tracking).map(
    ([event, url]) => `<Tracking event="${event}">${cdata(url)}</Tracking>`,
  );
  const files = [
    mediaFile("hls", "streaming", "application/x-mpegURL", ad.hls),
    ...(ad.mp4 ? [mediaFile("mp4", "progressive", "video/mp4", ad.mp4)] : []),
  ];
  const lines = [
    XML_DECLARATION,
    '<VAST version="4.2" xmlns="http://www.iab.com/VAST">',
    ` <Ad id="${escapeXml(ad.campaignId)}">`,
    "  <InLine>",
    '   <AdSystem version="1">Marquee</AdSystem>',
    `   <Impression id="marquee">${cdata(ad.impressionUrl)}</Impression>`,
    `   <AdServingId>${escapeXml(ad.sessionId)}</AdServingId>`,
    `   <AdTitle>${escapeXml(ad.title)}</AdTitle>`,
    "   <Creatives>",
    `    <Creative id="${escapeXml(ad.creativeVideoId)}" adId="${escapeXml(ad.campaignId)}" sequence="1">`,
    `     <UniversalAdId idRegistry="marquee">${escapeXml(ad.creativeVideoId)}</UniversalAdId>`,
    "     <Linear>",
    `      <Duration>${vastDuration(ad.durationMs)}</Duration>`,
    "      <TrackingEvents>",
    ...tracking.map((t) => `       ${t}`),
    "      </TrackingEvents>",
    "      <VideoClicks>",
    `       <ClickThrough id="marquee">${cdata(ad.clickThroughUrl)}</ClickThrough>`,
    `       <ClickTracking id="marquee">${cdata(ad.clickTrackingUrl)}</ClickTracking>`,
    "      </VideoClicks>",
    "      <MediaFiles>",
    ...files.map((f) => `       ${f}`),
    "      </MediaFiles>",
    "     </Linear>",
    "    </Creative>",
    "   </Creatives>",
    "  </InLine>",
    " </Ad>",
    "</VAST>",
    "",
  ];
  return lines.join("\n");
}
