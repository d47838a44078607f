/**
 * The storyboard: a WebVTT file whose cues point at tiles of a sprite image
 * (`sprite.jpg#xywh=320,90,160,90`). Used to preview frames while scrubbing.
 */
export interface StoryboardTile {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function seconds(stamp: string): number {
  const parts = stamp.trim().split(":").map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** Parses the cues; image URLs are resolved against the VTT's own URL. */
export function parseStoryboard(vtt: string, baseUrl: string): StoryboardTile[] {
  const tiles: StoryboardTile[] = [];
  const lines = vtt.replace(/\r/g, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const timing = line.match(/^\s*([\d:.]+)\s+-->\s+([\d:.]+)/);
    if (!timing) continue;
    const target = (lines[i + 1] ?? "").trim();
    const m = target.match(/^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/);
    if (!m) continue;
    tiles.push({
      start: seconds(timing[1] ?? "0"),
      end: seconds(timing[2] ?? "0"),
      url: new URL(m[1] ?? "", baseUrl).toString(),
      x: Number(m[2]),
      y: Number(m[3]),
      w: Number(m[4]),
      h: Number(m[5]),
    });
  }
  return tiles;
}

export function tileAt(tiles: StoryboardTile[], time: number): StoryboardTile | null {
  return tiles.find((t) => time >= t.start && time < t.end) ?? tiles[tiles.length - 1] ?? null;
}

/** The storyboard's tiles, or none when it is absent (not made yet) or unreadable. */
export async function fetchStoryboard(url: string): Promise<StoryboardTile[]> {
  try {
    const res = await fetch(url);
    const text = res.ok ? await res.text() : "";
    return text ? parseStoryboard(text, url) : [];
  } catch {
    return [];
  }
}

const loaded = new Map<string, Promise<StoryboardTile[]>>();

/** fetchStoryboard, once per URL for the page's life (every card hovered again reuses it). */
export function loadStoryboard(url: string): Promise<StoryboardTile[]> {
  let tiles = loaded.get(url);
  if (!tiles) {
    tiles = fetchStoryboard(url);
    loaded.set(url, tiles);
  }
  return tiles;
}

/** Up to `count` tiles spread evenly over the video: the frames a hover preview cycles through. */
export function previewTiles(tiles: StoryboardTile[], count = 10): StoryboardTile[] {
  if (tiles.length <= count) return tiles;
  const step = tiles.length / count;
  return Array.from({ length: count }, (_, i) => tiles[Math.floor(i * step)] as StoryboardTile);
}

/**
 * CSS background geometry that shows one tile of its sprite filling a box of any size: the sheet's
 * extent comes from the tiles themselves (the furthest right and bottom edges on the same sprite).
 */
export function tileBackground(
  tile: StoryboardTile,
  tiles: StoryboardTile[],
): { backgroundImage: string; backgroundSize: string; backgroundPosition: string } {
  let sheetW = tile.w;
  let sheetH = tile.h;
  for (const t of tiles) {
    if (t.url !== tile.url) continue;
    sheetW = Math.max(sheetW, t.x + t.w);
    sheetH = Math.max(sheetH, t.y + t.h);
  }
  const along = (offset: number, size: number, sheet: number) =>
    sheet > size ? (offset / (sheet - size)) * 100 : 0;
  return {
    backgroundImage: `url("${tile.url}")`,
    backgroundSize: `${(sheetW / tile.w) * 100}% ${(sheetH / tile.h) * 100}%`,
    backgroundPosition: `${along(tile.x, tile.w, sheetW)}% ${along(tile.y, tile.h, sheetH)}%`,
  };
}
