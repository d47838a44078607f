/**
 * Captions in HLS (docs/captions.md): the master lists each language as a SUBTITLES rendition, and
 * its media playlist and WebVTT segments are cut here, per request, from the one stored WebVTT of
 * the language's current revision (captions/service.ts). Nothing per segment is stored: a language
 * replaced is one object written, and a three-hour video is not a thousand writes.
 */

import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { parseAdMaster, parseMediaPlaylist } from "../ads/stitch";
import type { Cue } from "../captions/parse";
import { captionSegment, segmentCaptions, subtitlePlaylist } from "../captions/segments";
import { captionRenditions, SUBTITLE_SEGMENT_MS, storedCues, subsFolder } from "../captions/service";
import type { Db } from "../db/client";
import { captions, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";
import { isFinishedPlaylist } from "./playlists";
import type { AdGrant } from "./token";

export const SUBTITLES_GROUP = "subs";

/**
 * A subtitles file of the video: `hls/subs/<language>-<revision>/` then its playlist (`index.m3u8`),
 * a segment (`<n>.vtt`) or the empty stretch an ad break puts in front (`gap.vtt`).
 */
export const SUBTITLES_PATH =
  /^hls\/subs\/([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,2})-([0-9a-f]{12})\/(index\.m3u8|gap\.vtt|(\d{1,5})\.vtt)$/;

/** A quoted-string attribute value may hold neither `"` nor a line break (RFC 8216 §4.2). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const quotedSafe = (s: string) => s.replace(/["\r\n\u0000-\u001f]/g, " ");

/**
 * The master with one `EXT-X-MEDIA:TYPE=SUBTITLES` line per language and every variant naming the
 * group. Captions are off until the viewer turns them on (`DEFAULT=NO`); `AUTOSELECT=YES` lets a
 * player that has them on pick the viewer's language by itself.
 */
export function withSubtitles(
  master: string,
  tracks: { language: string; label: string; revision: string }[],
): string {
  if (tracks.length === 0) return master;
  const media = tracks.map(
    (t) =>
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLES_GROUP}",NAME="${quotedSafe(t.label)}",LANGUAGE="${t.language}",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${subsFolder(t.language, t.revision)}index.m3u8"`,
  );
  const out: string[] = [];
  let placed = false;
  for (const line of master.split("\n")) {
    if (!placed && line.startsWith("#EXT-X-STREAM-INF:")) {
      out.push(...media);
      placed = true;
    }
    out.push(line.startsWith("#EXT-X-STREAM-INF:") ? `${line},SUBTITLES="${SUBTITLES_GROUP}"` : line);
  }
  return out.join("\n");
}

export async function masterWithSubtitles(db: Db, videoId: string, master: string): Promise<string> {
  return withSubtitles(master, await captionRenditions(db, videoId));
}

/**
 * The parsed cues of recent revisions, in isolate memory: a player fetches a language's segments
 * one after another, and a revision's object never changes, so it is read and parsed once per
 * isolate. Bounded by the text it holds (a file is at most 512 KiB), like media.ts's playlists.
 */
const recent = new Map<string, { cues: Cue[]; chars: number }>();
const RECENT_MAX_CHARS = 4 * 1024 * 1024;
let recentChars = 0;

async function cuesOf(bucket: R2Bucket, videoId: string, language: string, revision: string): Promise<Cue[]> {
  const key = `${videoId}/${language}/${revision}`;
  const hit = recent.get(key);
  if (hit) return hit.cues;
  const cues = await storedCues(bucket, videoId, language, revision);
  if (!cues) throw new AppError("not_found");
  const chars = cues.reduce((sum, cue) => sum + cue.text.length + 32, 0);
  while (recent.size > 0 && recentChars + chars > RECENT_MAX_CHARS) {
    const [oldest, entry] = recent.entries().next().value as [string, { chars: number }];
    recent.delete(oldest);
    recentChars -= entry.chars;
  }
  if (!recent.has(key)) {
    recent.set(key, { cues, chars });
    recentChars += chars;
  }
  return cues;
}

const EMPTY_VTT = "WEBVTT\n\n";

/**
 * Serves one subtitles file. The language's current revision answers, and the one it replaced (a
 * player that loaded it before the replace plays on); older ones are 404, their objects gone.
 * `adSeconds` > 0 (a session with a stitched pre-roll) puts an empty stretch that long in front
 * (subtitlePlaylist's `gap`).
 */
export async function serveSubtitles(
  c: Context<AppEnv>,
  videoId: string,
  match: RegExpExecArray,
  adSeconds: () => Promise<number>,
): Promise<Response> {
  const [, language = "", revision = "", file = "", index] = match;
  const [row, video] = await Promise.all([
    c.var.db
      .select({ revision: captions.revision, previousRevision: captions.previousRevision })
      .from(captions)
      .where(and(eq(captions.videoId, videoId), eq(captions.language, language)))
      .get(),
    c.var.db.select({ durationMs: videos.durationMs }).from(videos).where(eq(videos.id, videoId)).get(),
  ]);
  const served = row && (row.revision === revision || row.previousRevision === revision);
  if (!served || !video?.durationMs) throw new AppError("not_found");
  const headers = new Headers({ "cache-control": "private, max-age=3600" });
  if (file === "index.m3u8") {
    headers.set("content-type", "application/vnd.apple.mpegurl");
    const windows = segmentCaptions([], video.durationMs, SUBTITLE_SEGMENT_MS);
    const gap = await adSeconds();
    // Per viewer (the ad session decides it): short and private, as the stitched playlists are.
    if (gap > 0) headers.set("cache-control", "private, max-age=60");
    const playlist = subtitlePlaylist(
      windows,
      (i) => `${i}.vtt`,
      gap > 0 ? { seconds: gap, uri: "gap.vtt" } : undefined,
    );
    return new Response(playlist, { headers });
  }
  headers.set("content-type", "text/vtt; charset=utf-8");
  if (file === "gap.vtt") return new Response(EMPTY_VTT, { headers });
  const cues = await cuesOf(c.env.MEDIA, videoId, language, revision);
  const segment = captionSegment(cues, video.durationMs, SUBTITLE_SEGMENT_MS, Number(index));
  if (!segment) throw new AppError("not_found");
  return new Response(segment.vtt, { headers });
}

/**
 * How long the grant's pre-roll runs in the stitched playlists (the sum of its EXTINFs; every rung
 * of a creative is cut alike), or 0 when serveStitched would not stitch it (its media missing or
 * unfinished): the subtitles of the session leave that much room in front. `finishedPlaylistText`
 * is media.ts's (memory, Cache API, R2).
 */
export async function adBreakSeconds(
  ad: AdGrant,
  finishedPlaylistText: (key: string, kind?: "ad-master") => Promise<string | null>,
): Promise<number> {
  const adHls = `videos/${ad.creativeVideoId}/hls/`;
  const adMaster = await finishedPlaylistText(`${adHls}master.m3u8`, "ad-master");
  if (adMaster === null) return 0;
  const ladder = parseAdMaster(adMaster);
  const rendition = ladder.video[0]?.name ?? ladder.audio;
  const text = rendition ? await finishedPlaylistText(`${adHls}${rendition}/playlist.m3u8`) : null;
  if (text === null || !isFinishedPlaylist(text)) return 0;
  const playlist = parseMediaPlaylist(text);
  if (!playlist.mapUri || playlist.segments.length === 0) return 0;
  return playlist.segments.reduce((sum, s) => sum + s.duration, 0);
}
