/**
 * Server-side ad insertion (docs/ads.md), pure: one content media playlist (a video rung or the
 * audio rendition) with the ad's matching rendition spliced in front of it.
 *
 * The stitched playlist is
 *   header (TARGETDURATION = the larger of both, VOD)
 *   #EXT-X-PROGRAM-DATE-TIME:t0 and one #EXT-X-DATERANGE (CLASS "com.marquee.ad") starting at t0
 *     for the ad's duration (the sum of its EXTINFs), with the ad id, title and click URL, so the
 *     player can show "Ad · 0:12" and "Learn more" with no plug-in;
 *   the ad rendition's own EXT-X-MAP and segments, as absolute URLs on /media/{creativeId}/{adToken}/
 *   (the ad lives under another video id and token; built on PUBLIC_URL, never the Host);
 *   #EXT-X-DISCONTINUITY (timestamps, init segment and encoder change);
 *   the content's own EXT-X-MAP and segments, relative as before, and #EXT-X-ENDLIST.
 *
 * What an ad must match to splice (the origin's ad ladder guarantees it): the same codec family,
 * fMP4 segments, the same segment duration, AAC in the audio rendition. The rung is matched per
 * content rung: the tallest ad rung not taller than it, else the ad's smallest.
 */

export interface PlaylistSegment {
  /** Seconds, from EXTINF. */
  duration: number;
  uri: string;
  /** The segment's own tag lines before its URI (EXTINF, BYTERANGE …), kept verbatim. */
  tags: string[];
}

export interface MediaPlaylist {
  targetDuration: number;
  independentSegments: boolean;
  /** EXT-X-MAP's URI (null: none). */
  mapUri: string | null;
  segments: PlaylistSegment[];
  finished: boolean;
}

const attr = (line: string, name: string) => new RegExp(`(?:^|[:,])${name}="([^"]*)"`).exec(line)?.[1];

/** The parts of a media playlist stitching needs. Unknown playlist-level tags are dropped. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const out: MediaPlaylist = {
    targetDuration: 0,
    independentSegments: false,
    mapUri: null,
    segments: [],
    finished: false,
  };
  let pending: string[] = [];
  let duration = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#EXT-X-TARGETDURATION:")) {
      out.targetDuration = Number(line.slice("#EXT-X-TARGETDURATION:".length)) || 0;
    } else if (line === "#EXT-X-INDEPENDENT-SEGMENTS") {
      out.independentSegments = true;
    } else if (line.startsWith("#EXT-X-MAP:")) {
      // One init segment for the whole rendition (as the origin writes it); the first one wins.
      out.mapUri ??= attr(line, "URI") ?? null;
    } else if (line === "#EXT-X-ENDLIST") {
      out.finished = true;
    } else if (line.startsWith("#EXTINF:")) {
      duration = Number.parseFloat(line.slice("#EXTINF:".length)) || 0;
      pending.push(line);
    } else if (line.startsWith("#EXT-X-BYTERANGE:")) {
      pending.push(line);
    } else if (!line.startsWith("#")) {
      out.segments.push({ duration, uri: line, tags: pending });
      pending = [];
      duration = 0;
    }
  }
  return out;
}

/** Whole milliseconds of each segment, so sums and quartiles are exact (no float drift). */
export const segmentMillis = (p: Pick<MediaPlaylist, "segments">): number[] =>
  p.segments.map((s) => Math.round(s.duration * 1000));

export const totalMillis = (p: Pick<MediaPlaylist, "segments">): number =>
  segmentMillis(p).reduce((a, b) => a + b, 0);

export interface AdLadder {
  /** Video renditions: directory name (`720p`) and height. */
  video: { name: string; height: number }[];
  /** The audio rendition's directory (`audio`), or null. */
  audio: string | null;
}

/** The directory of a rendition URI in a master playlist (`720p/playlist.m3u8` → `720p`). */
function renditionDir(uri: string): string | null {
  const m = /^([a-z0-9_-]+)\/playlist\.m3u8$/.exec(uri.trim());
  return m?.[1] ?? null;
}

/** The ad's renditions from its master playlist. */
export function parseAdMaster(master: string): AdLadder {
  const lines = master.split("\n").map((l) => l.trim());
  const video: AdLadder["video"] = [];
  let audio: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("#EXT-X-MEDIA:") && /TYPE=AUDIO/.test(line)) {
      audio ??= renditionDir(attr(line, "URI") ?? "");
    } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
      const height = Number(/RESOLUTION=\d+x(\d+)/.exec(line)?.[1] ?? "0");
      const name = renditionDir(lines[i + 1] ?? "");
      i++;
      if (name && height > 0) video.push({ name, height });
    }
  }
  video.sort((a, b) => a.height - b.height);
  return { video, audio };
}

/**
 * The ad rendition for a content rendition (`720p`, `audio`): audio ↔ audio; a video rung gets the
 * tallest ad rung not taller than it, else the ad's smallest. Null: nothing to splice (audio
 * content, ad without audio; or an ad without video rungs).
 */
export function matchAdRendition(contentRendition: string, ad: AdLadder): string | null {
  const rung = /^(\d{3,4})p$/.exec(contentRendition);
  if (!rung) return contentRendition === "audio" ? ad.audio : null;
  const height = Number(rung[1]);
  const fitting = ad.video.filter((r) => r.height <= height);
  return (fitting[fitting.length - 1] ?? ad.video[0])?.name ?? null;
}

/** A value for an HLS quoted-string: no double quote, no line break or other control character. */
export function quotedStringSafe(value: string, maxLength = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = value.replace(/"/g, "'").replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ");
  return [...clean].slice(0, maxLength).join("").trim();
}

export interface StitchInput {
  content: MediaPlaylist;
  ad: MediaPlaylist;
  /**
   * The absolute URL of the ad rendition's directory, ending in `/`:
   * `{PUBLIC_URL}/media/{creativeVideoId}/{adToken}/hls/{rendition}/`.
   */
  adBaseUrl: string;
  sessionId: string;
  campaignId: string;
  title: string;
  /** Absolute, signed click URL (ads/tracking.ts `clickUrl`). */
  clickUrl: string;
  /** The ad break's start on the program clock (PROGRAM-DATE-TIME and START-DATE). */
  startDate: Date;
}

/** An ad playlist's relative URI, resolved under adBaseUrl; anything else is refused. */
function adUrl(base: string, uri: string): string {
  if (!/^[a-z0-9_.-]+$/i.test(uri) || uri.startsWith(".")) throw new Error(`Unexpected ad URI: ${uri}`);
  return base + uri;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The stitched media playlist (see the file comment for its shape). */
export function stitchMediaPlaylist(input: StitchInput): string {
  const { content, ad } = input;
  if (!ad.mapUri || ad.segments.length === 0) throw new Error("The ad rendition has no init or segments");
  const adMs = totalMillis(ad);
  const target = Math.max(
    content.targetDuration,
    ad.targetDuration,
    ...[...content.segments, ...ad.segments].map((s) => Math.ceil(s.duration)),
  );
  const t0 = input.startDate.toISOString();
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    ...(content.independentSegments ? ["#EXT-X-INDEPENDENT-SEGMENTS"] : []),
    `#EXT-X-PROGRAM-DATE-TIME:${t0}`,
    `#EXT-X-DATERANGE:ID="ad-${quotedStringSafe(input.sessionId)}",CLASS="com.marquee.ad",` +
      `START-DATE="${t0}",DURATION=${seconds(adMs)},X-AD-ID="${quotedStringSafe(input.campaignId)}",` +
      `X-AD-TITLE="${quotedStringSafe(input.title)}",X-AD-CLICK="${quotedStringSafe(input.clickUrl, 4000)}"`,
    `#EXT-X-MAP:URI="${adUrl(input.adBaseUrl, ad.mapUri)}"`,
  ];
  for (const s of ad.segments) lines.push(...s.tags, adUrl(input.adBaseUrl, s.uri));
  lines.push("#EXT-X-DISCONTINUITY");
  if (content.mapUri) lines.push(`#EXT-X-MAP:URI="${quotedStringSafe(content.mapUri, 1000)}"`);
  for (const s of content.segments) lines.push(...s.tags, s.uri);
  lines.push("#EXT-X-ENDLIST", "");
  return lines.join("\n");
}
