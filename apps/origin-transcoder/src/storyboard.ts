// Scrub-preview storyboard: one small tile every `interval` seconds, all tiles in one JPEG grid, and a
// WebVTT index whose cues point into the grid with `#xywh=`. Pure: imported by the tests under Node.
//
// The ladder process writes the tiles as separate small JPEGs from its own decode (a `tile` filter in
// the ladder would hold its output back until the end of the video, and ffmpeg withholds `-progress`
// until every output has started); a tiny second ffmpeg joins them into the sprite afterwards.

import { FFMPEG_QUIET } from "./ffmpeg";

export const TILE_WIDTH = 160;
export const TILE_HEIGHT = 90;
/** Tiles per row in the sprite. */
export const STORYBOARD_COLUMNS = 10;
/** At most this many tiles: a 4 h video gets one every 48 s, a 10 min one every 2 s. */
export const STORYBOARD_MAX_TILES = 300;
export const STORYBOARD_MIN_INTERVAL = 2;

export interface StoryboardPlan {
  /** Seconds between tiles (the first at 0 s). */
  interval: number;
  /** Tiles expected for the duration (the ladder may write one more or less; the sprite uses what exists). */
  count: number;
  tileWidth: number;
  tileHeight: number;
}

export function planStoryboard(durationSeconds: number): StoryboardPlan {
  const duration = Math.max(0, durationSeconds);
  const interval = Math.max(STORYBOARD_MIN_INTERVAL, Math.ceil(duration / STORYBOARD_MAX_TILES));
  return {
    interval,
    count: Math.max(1, Math.ceil(duration / interval)),
    tileWidth: TILE_WIDTH,
    tileHeight: TILE_HEIGHT,
  };
}

/**
 * The ladder's filter chain that turns a video branch into storyboard tiles (letterboxed 160×90): the
 * first frame at or after each multiple of the interval. Unlike `fps=1/N`, `select` emits the tile at
 * 0 s at once (fps waits half an interval to pick the nearest frame, and ffmpeg reports no progress
 * until every output has started) and cannot drift.
 */
export function storyboardTileFilter(plan: StoryboardPlan): string {
  const { tileWidth: w, tileHeight: h } = plan;
  return [
    `select='gte(t\\,selected_n*${plan.interval})'`,
    `scale=${w}:${h}:force_original_aspect_ratio=decrease`,
    `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`,
    "setsar=1",
  ].join(",");
}

export interface SpriteGrid {
  count: number;
  columns: number;
  rows: number;
}

/** Grid of `count` tiles, STORYBOARD_COLUMNS wide (narrower when there are fewer tiles). */
export function spriteGrid(count: number): SpriteGrid {
  const n = Math.max(1, count);
  const columns = Math.min(n, STORYBOARD_COLUMNS);
  return { count: n, columns, rows: Math.ceil(n / columns) };
}

/** ffmpeg argv joining tile JPEGs (`pattern`, numbered from 1) into one sprite JPEG. */
export function spriteArgs(pattern: string, grid: SpriteGrid, dest: string): string[] {
  return [
    ...FFMPEG_QUIET,
    // Our own tiles, but still: the image-sequence demuxer and the file protocol, nothing else.
    "-f",
    "image2",
    "-format_whitelist",
    "image2",
    "-protocol_whitelist",
    "file",
    "-framerate",
    "1",
    "-start_number",
    "1",
    "-i",
    pattern,
    "-vf",
    `tile=${grid.columns}x${grid.rows}`,
    "-frames:v",
    "1",
    "-q:v",
    "5",
    "-update",
    "1",
    dest,
  ];
}

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * WebVTT cues, one per tile that starts within the video: `sprite.jpg#xywh=x,y,w,h` (relative to the
 * .vtt's own URL, both under storyboard/).
 */
export function storyboardVtt(
  plan: StoryboardPlan,
  grid: SpriteGrid,
  durationSeconds: number,
  spriteName = "sprite.jpg",
): string {
  const lines = ["WEBVTT", ""];
  for (let i = 0; i < grid.count; i++) {
    const start = i * plan.interval;
    if (i > 0 && start >= durationSeconds) break;
    const end = Math.min((i + 1) * plan.interval, Math.max(durationSeconds, start + 0.001));
    const x = (i % grid.columns) * plan.tileWidth;
    const y = Math.floor(i / grid.columns) * plan.tileHeight;
    lines.push(`${vttTime(start)} --> ${vttTime(end)}`);
    lines.push(`${spriteName}#xywh=${x},${y},${plan.tileWidth},${plan.tileHeight}`);
    lines.push("");
  }
  return lines.join("\n");
}
