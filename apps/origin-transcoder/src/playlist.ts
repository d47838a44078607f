// Reading the media playlists ffmpeg writes (to know which segments are finished) and measuring the
// bitrates the master advertises. Pure: imported by the tests under Node.

export interface MediaSegment {
  uri: string;
  duration: number;
}

export interface MediaPlaylist {
  /** URI of the init segment (#EXT-X-MAP), as written. */
  mapUri: string | null;
  segments: MediaSegment[];
  /** #EXT-X-ENDLIST present: ffmpeg finished this rendition. */
  ended: boolean;
}

const MAP_URI = /^#EXT-X-MAP:.*?URI="([^"]*)"/;

export function parseMediaPlaylist(text: string): MediaPlaylist {
  let mapUri: string | null = null;
  let ended = false;
  let pending: number | null = null;
  const segments: MediaSegment[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      const map = line.match(MAP_URI);
      if (map) mapUri = map[1] ?? null;
      else if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
      else if (line === "#EXT-X-ENDLIST") ended = true;
      continue;
    }
    segments.push({ uri: line, duration: pending !== null && Number.isFinite(pending) ? pending : 0 });
    pending = null;
  }
  return { mapUri, segments, ended };
}

/**
 * A playlist ffmpeg may be rewriting is usable only when complete: it starts with #EXTM3U and its
 * last line is terminated (ffmpeg renames EVENT playlists into place, so this is a belt and braces).
 */
export function isCompletePlaylist(text: string): boolean {
  return text.startsWith("#EXTM3U") && text.endsWith("\n");
}

/** The last path segment of a relative URI: "../720p/init.mp4" → "init.mp4". */
export function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1);
}

/**
 * The variant playlist as published: the init segment's URI made local to the rendition directory
 * (ffmpeg writes "../720p/init.mp4", storage has it next to the playlist as "init.mp4").
 */
export function publishedVariantPlaylist(text: string): string {
  return text.replace(/^(#EXT-X-MAP:.*?URI=")([^"]*)(")/m, (_m, a: string, uri: string, b: string) => {
    return `${a}${baseName(uri)}${b}`;
  });
}

/** Content type of a stored output, by its path under videos/{videoId}/. */
export function contentTypeFor(path: string): string {
  if (path.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
  if (path.endsWith(".mp4") || path.endsWith(".m4s")) {
    return path.startsWith("hls/audio/") ? "audio/mp4" : "video/mp4";
  }
  if (path.endsWith(".jpg")) return "image/jpeg";
  if (path.endsWith(".vtt")) return "text/vtt"; // plain type/subtype: the edge signs it into the URL
  return "application/octet-stream";
}

export interface SegmentStat {
  duration: number;
  bytes: number;
}

export interface MeasuredRate {
  /** Highest bit/s of any segment (HLS BANDWIDTH is the peak segment bitrate). */
  peak: number;
  /** Total bits over total duration. */
  average: number;
  /** Seconds covered. */
  duration: number;
}

/**
 * Bitrates of a rendition from its segments. A last segment shorter than one second is left out of
 * the peak (a 0.2 s tail would otherwise dominate it), as Apple's validator does for partial tails.
 */
export function measureRate(segments: readonly SegmentStat[]): MeasuredRate {
  let bits = 0;
  let duration = 0;
  let peak = 0;
  segments.forEach((s, i) => {
    bits += s.bytes * 8;
    duration += s.duration;
    const isShortTail = i === segments.length - 1 && i > 0 && s.duration < 1;
    if (s.duration > 0 && !isShortTail) peak = Math.max(peak, (s.bytes * 8) / s.duration);
  });
  return { peak: Math.round(peak), average: duration > 0 ? Math.round(bits / duration) : 0, duration };
}
